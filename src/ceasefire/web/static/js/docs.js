// The OpenAPI browser at /docs (a file of its own: the pages allow no inline script).
"use strict";
window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui" });
