"""Hostile report bodies: each is a 422 naming the field, and nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.conftest import SignAs
from api.test_incidents import REPORT
from ceasefire.domain.workflow import Role
from counts import row_counts


def refused(client: TestClient, body: dict[str, Any], field: str) -> None:
    # as JSON text, escapes kept (a lone surrogate travels as \ud800 in JSON)
    text = json.dumps(body, ensure_ascii=True)
    db = client.app.state.db  # type: ignore[attr-defined]
    before = row_counts(db)
    response = client.post(
        "/api/v1/reports", content=text, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field, response.json()
    assert client.get("/api/v1/reports").json()["items"] == []
    assert row_counts(db) == before  # nothing written: no row, no ledger entry


def test_a_lone_surrogate_is_not_text(client: TestClient) -> None:
    refused(client, {**REPORT, "narrative": "shelling \ud800 seen"}, "narrative")
    refused(client, {**REPORT, "citations": ["ok", "\udfff"]}, "citations[1]")


def test_a_signature_that_is_not_ascii_is_not_base64(client: TestClient) -> None:
    signed = {"author": "us", "time": "2016-03-02T00:00:00Z", "start": 0, "signature": "Зй=="}
    refused(client, {**REPORT, "signed": signed}, "signed.signature")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_start": None, "time": "0001-01-01T00:00:00+02:00"}, "time"),
        ({"date_start": None, "time": "9999-12-31T23:59:59-14:00"}, "time"),
        ({"date_start": "0001-01-01"}, "time"),
        ({"date_start": "9999-12-31"}, "time"),
    ],
)
def test_times_at_the_ends_of_the_calendar_are_refused(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    body = {**REPORT, **changes}
    if body.get("date_start") is None:
        body.pop("date_start")
    refused(client, body, field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lon": True}, "lon"),
        ({"lat": "33.51"}, "lat"),
        ({"date_start": None, "time": 12345}, "time"),
        ({"date_start": 20160302}, "date_start"),
        ({"fatalities": {"low": "3"}}, "fatalities.low"),
        ({"fatalities": {"best": False}}, "fatalities.best"),
    ],
)
def test_no_value_is_silently_turned_into_another_type(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    refused(client, {**REPORT, **changes}, field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"actors": [{"name": f"group {n}"} for n in range(51)]}, "actors"),
        ({"citations": ["x"] * 51}, "citations"),
        ({"citations": ["x" * 2001]}, "citations[0]"),
        ({"narrative": "x" * 20_001}, "narrative"),
        ({"place": "x" * 301}, "place"),
    ],
)
def test_lists_and_texts_have_limits_the_openapi_states(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    refused(client, {**REPORT, **changes}, field)
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    body = schema.get("ReportIn") or schema["ReportBody"]
    properties = body["properties"]
    assert properties["actors"]["maxItems"] == 50
    assert properties["citations"]["maxItems"] == 50
    assert properties["narrative"]["maxLength"] == 20_000


def test_huge_ledger_sizes_and_non_ascii_keys_are_422(client: TestClient, sign_as: SignAs) -> None:
    # found by schemathesis: each was a 500
    huge = client.get("/api/v1/ledger/checkpoint", params={"size": str(2**124)})
    assert huge.status_code == 422 and huge.json()["field"] == "size"
    key = client.post(
        "/api/v1/parties/us/keys/prepare",
        json={"name": "us-device", "public_key": "𫡲=="},
        headers=sign_as("us", Role.ADMIN),
    )
    assert key.status_code == 422, key.text
    assert key.json()["field"] == "public_key"


# a route served in one hand-off (api.handoffs), and one FastAPI serves itself
BODY_ROUTES = ["/api/v1/reports", "/api/v1/reports/prepare"]


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_body_that_is_not_json_is_named_with_where_it_stops_parsing(
    client: TestClient, path: str
) -> None:
    broken = client.post(path, content=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 422, broken.text
    assert broken.json()["field"] == "body"
    assert broken.json()["message"].startswith("body: is not valid JSON at character 1: ")


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_body_that_is_not_utf8_is_named_with_its_first_bad_byte(
    client: TestClient, path: str
) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    before = row_counts(db)
    latin1 = json.dumps({**REPORT, "narrative": "Dera\xe2"}, ensure_ascii=False).encode("latin-1")
    response = client.post(path, content=latin1, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "body"
    at = latin1.index(b"\xe2")
    assert response.json()["message"] == f"body: is not UTF-8: byte 0xe2 at position {at} " + (
        "(JSON is sent in UTF-8)"
    )
    assert row_counts(db) == before


def test_a_body_that_is_not_an_object_names_the_body(client: TestClient) -> None:
    listed = client.post("/api/v1/reports", json=[REPORT])
    assert listed.status_code == 422 and listed.json()["field"] == "body", listed.text


def test_a_cosignature_of_a_size_past_64_bits_is_422(client: TestClient) -> None:
    # found by schemathesis: a 500
    huge = client.post(
        "/api/v1/ledger/cosign", json={"signature": "\u0019\b", "size": 10311438876400349609984}
    )
    assert huge.status_code == 422 and huge.json()["field"] == "size", huge.text
