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


def test_a_page_sends_a_browser_without_a_session_to_sign_in(anonymous: TestClient) -> None:
    response = anonymous.get("/incidents/1?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/incidents/1%3Fx%3D1"
    root = anonymous.get("/", follow_redirects=False)
    assert root.status_code == 303 and root.headers["location"] == "/login?next=/"
    assert anonymous.get("/login").status_code == 200


def test_every_response_carries_the_security_headers(anonymous: TestClient) -> None:
    for path in ("/login", "/docs", "/api/v1/openapi.json", "/static/css/app.css", "/nope"):
        headers = anonymous.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "'unsafe-inline'" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
    assert "<script>" not in anonymous.get("/docs").text  # no inline script to allow
