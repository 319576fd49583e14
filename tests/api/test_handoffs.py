"""POST /reports, served in one hand-off (``api.handoffs``), refuses and answers as a route
FastAPI serves: the same statuses and error bodies, the access rule before the body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.conftest import SignAs
from api.test_incidents import REPORT
from ceasefire.api import schemas as s
from ceasefire.api.handoffs import OneHandOff
from ceasefire.domain.workflow import Role
from counts import row_counts

JSON = {"Content-Type": "application/json"}

# (body, headers): bodies no report can be made of, whatever the model
UNREADABLE = [
    pytest.param(b"", JSON, id="empty"),
    pytest.param(b'{"source": "us-centre",', JSON, id="json cut short"),
    pytest.param(b"[1, 2]", JSON, id="json array"),
    pytest.param(b"null", JSON, id="json null"),
    pytest.param(b'{"source": "\xff\xfe"}', JSON, id="not utf-8"),
    pytest.param(b'{"source": "us-centre"}', {"Content-Type": "text/plain"}, id="not json"),
    pytest.param(b'{"source": "us-centre"}', {}, id="no content type"),
    pytest.param(b"[]", {"Content-Type": "application/merge-patch+json"}, id="+json"),
]


@pytest.mark.parametrize(("body", "headers"), UNREADABLE)
def test_a_body_no_report_is_made_of_is_refused_as_fastapi_refuses_it(
    client: TestClient, body: bytes, headers: dict[str, str]
) -> None:
    """/reports/prepare is a route FastAPI serves itself, with another model: where no
    model could read the body, both must answer alike, and nothing is written."""
    db = client.app.state.db  # type: ignore[attr-defined]
    before = row_counts(db)
    ours = client.post("/api/v1/reports", content=body, headers=headers)
    theirs = client.post("/api/v1/reports/prepare", content=body, headers=headers)
    assert ours.status_code == theirs.status_code, (ours.text, theirs.text)
    assert ours.status_code in (400, 422), ours.text
    assert ours.json() == theirs.json()
    assert row_counts(db) == before


def test_a_field_of_the_wrong_type_is_named(client: TestClient) -> None:
    response = client.post("/api/v1/reports", json={**REPORT, "lat": "33.51"})
    assert response.status_code == 422
    assert response.json()["field"] == "lat"
    assert response.json()["message"].startswith("lat: ")


def test_a_caller_who_may_not_file_is_refused_before_the_body_is_read(
    anonymous: TestClient, sign_as: SignAs
) -> None:
    nobody = anonymous.post("/api/v1/reports", content=b"{", headers=JSON)
    assert nobody.status_code == 401, nobody.text
    observer = {**JSON, **sign_as("us", Role.OBSERVER)}
    reader = anonymous.post("/api/v1/reports", content=b"{", headers=observer)
    assert reader.status_code == 403, reader.text
    assert "reporter" in reader.json()["message"]


def test_a_filed_report_is_answered_as_its_model_says(client: TestClient) -> None:
    response = client.post("/api/v1/reports", json=REPORT)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    answer = s.ReportOut.model_validate_json(response.content)
    assert answer.source_id == REPORT["source_id"]
    assert client.get(f"/api/v1/reports/{answer.id}").json() == response.json()


def test_a_route_it_cannot_serve_is_refused_when_the_app_is_built() -> None:
    async def on_the_loop(
        body: s.ReportIn, ledger: object, settings: object, user: object
    ) -> s.ReportOut:
        raise AssertionError

    def with_a_query(body: s.ReportIn, ledger: object, settings: object, limit: int) -> None:
        raise AssertionError

    for endpoint in (on_the_loop, with_a_query):
        with pytest.raises(TypeError, match="plain function of body, ledger, settings, user"):
            OneHandOff("/reports", endpoint, methods=["POST"], response_model=s.ReportOut)
