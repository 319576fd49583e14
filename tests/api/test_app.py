from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_docs_page_loads_nothing_from_the_internet(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    external = [u for u in re.findall(r"""(?:src|href)=["']([^"']+)""", page.text) if "//" in u]
    assert external == []
    script = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 1_000_000


def test_the_openapi_description_lists_every_v1_route(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/agreements",
        "/api/v1/regimes",
        "/api/v1/regimes/{regime_id}/extensions",
        "/api/v1/reports",
        "/api/v1/incidents",
        "/api/v1/incidents/merge",
        "/api/v1/incidents/{incident_id}/split",
    } <= set(spec["paths"])


def test_the_root_sends_people_to_the_docs(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307)
    assert response.headers["location"] == "/docs"
