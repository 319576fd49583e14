"""/api/v1/humanitarian: a location, a request decided and delivered, each signed by the
caller's party; bad input a 422 naming the field, with nothing written; the summary and
the map layer."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from api.conftest import SignAs
from ceasefire.domain.workflow import Role

MADAYA = {
    "id": "madaya",
    "name": "Madaya",
    "lon": 36.1,
    "lat": 33.69,
    "agreement_id": "syria",
    "statuses": [{"status": "besieged", "since": "2015-07-01", "source": "OCHA"}],
}


def _request(client: TestClient, **changes: object) -> dict[str, object]:
    body = {"location_id": "madaya", "requested_by": "OCHA", "requested": "2016-01-05"}
    body |= {"people": 40000, "trucks": 44, **changes}
    made = client.post("/api/v1/humanitarian/requests", json=body)
    assert made.status_code == 201, made.text
    found: dict[str, object] = made.json()
    return found


def _entries(client: TestClient) -> int:
    found = client.get("/api/v1/ledger/checkpoint")
    assert found.status_code == 200, found.text
    return int(found.text.splitlines()[1])  # a signed note: origin, size, root hash


def test_a_convoy_goes_from_request_to_delivery_on_the_map(
    client: TestClient, sign_as: SignAs
) -> None:
    made = client.post("/api/v1/humanitarian/locations", json=MADAYA)
    assert made.status_code == 201, made.text
    assert made.json()["status"]["status"] == "besieged" and made.json()["ledger_index"] > 0
    request = _request(client)
    assert request["decision"] == "pending"
    ru = sign_as("ru", Role.OFFICER)
    decided = client.post(
        f"/api/v1/humanitarian/requests/{request['id']}/decision",
        json={"decision": "approved", "decided": "2016-01-07", "decided_by": "Syria"},
        headers=ru,
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["approved_trucks"] == 44
    delivered = client.post(
        f"/api/v1/humanitarian/requests/{request['id']}/deliveries",
        json={"delivered": "2016-01-11", "people_reached": 40000, "trucks": 44, "items": "food"},
    )
    assert delivered.status_code == 201, delivered.text

    file = client.get("/api/v1/humanitarian/locations/madaya").json()
    assert [r["decision"] for r in file["requests"]] == ["approved"]
    assert file["deliveries"][0]["people_reached"] == 40000

    (summary,) = client.get(
        "/api/v1/humanitarian/summary", params={"from": "2016-01-01", "to": "2016-01-31"}
    ).json()
    assert summary["approved"] == 1 and summary["people_reached"] == 40000
    assert summary["last_delivery"] == "2016-01-11"
    (earlier,) = client.get("/api/v1/humanitarian/summary", params={"to": "2015-12-31"}).json()
    assert earlier["requests"] == 0 and earlier["last_delivery"] is None

    layer = client.get("/api/v1/humanitarian/map")
    assert layer.headers["content-type"] == "application/geo+json"
    (feature,) = layer.json()["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [36.1, 33.69]}
    assert feature["properties"]["status"]["status"] == "besieged"
    assert feature["properties"]["last_delivery"] == "2016-01-11"
    before = client.get("/api/v1/humanitarian/map", params={"to": "2015-06-30"}).json()
    assert before["features"][0]["properties"]["status"] is None


def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(client: TestClient) -> None:
    assert client.post("/api/v1/humanitarian/locations", json=MADAYA).status_code == 201
    request = _request(client)
    path = f"/api/v1/humanitarian/requests/{request['id']}"
    size = _entries(client)
    cases = [
        (f"{path}/deliveries", {"delivered": "2016-01-09"}, "request_id"),  # pending
        (
            f"{path}/decision",
            {"decision": "approved", "decided": "2016-01-04", "decided_by": "Syria"},
            "decided",
        ),
        (
            f"{path}/decision",
            {"decision": "denied", "decided": "2016-01-06", "decided_by": "Syria"},
            "reason",
        ),
        (
            "/api/v1/humanitarian/requests",
            {"location_id": "nowhere", "requested_by": "OCHA", "requested": "2016-01-05"},
            "location_id",
        ),
        (
            "/api/v1/humanitarian/requests",
            {"location_id": "madaya", "requested_by": "OCHA", "requested": "2016-01-05"}
            | {"people": -3},
            "people",
        ),
        (f"{path}/deliveries", {"delivered": "2016-01-09", "people_reached": -1}, "people_reached"),
        (
            "/api/v1/humanitarian/requests/999999/deliveries",
            {"delivered": "2016-01-09"},
            "request_id",
        ),
        (
            "/api/v1/humanitarian/locations",
            MADAYA | {"id": "zabadani", "place_id": "nowhere"},
            "place_id",
        ),
        ("/api/v1/humanitarian/locations", MADAYA | {"name": "x" * 301}, "name"),
        ("/api/v1/humanitarian/locations", MADAYA | {"extra": 1}, "extra"),
        ("/api/v1/humanitarian/locations", MADAYA | {"lat": float("nan")}, "lat"),
        (
            "/api/v1/humanitarian/requests/99999999999999999999/deliveries",
            {"delivered": "2016-01-09"},
            "request_id",
        ),
        (f"{path}/deliveries", {"delivered": "2016-01-09", "trucks": 10**12}, "trucks"),
        (f"{path}/deliveries", {"delivered": "2016-13-09"}, "delivered"),
    ]
    for url, body, field in cases:
        # as sent: NaN is not JSON, and a client that sends it anyway is refused
        sent = json.dumps(body)
        answer = client.post(url, content=sent, headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, (url, body, answer.text)
        assert answer.json()["field"] == field, answer.json()
    # denied, then a delivery of the denied request
    denied = client.post(
        f"{path}/decision",
        json={"decision": "denied", "decided": "2016-01-06", "decided_by": "Syria", "reason": "x"},
    )
    assert denied.status_code == 201
    refused = client.post(f"{path}/deliveries", json={"delivered": "2016-01-09"})
    assert refused.status_code == 422 and "was denied (x)" in refused.json()["message"]
    assert _entries(client) == size + 1  # the denial alone
    file = client.get("/api/v1/humanitarian/locations/madaya").json()
    assert file["deliveries"] == [] and len(file["requests"]) == 1


def test_an_observer_reads_but_does_not_record(client: TestClient, sign_as: SignAs) -> None:
    observer = sign_as("ru", Role.OBSERVER)
    refused = client.post("/api/v1/humanitarian/locations", json=MADAYA, headers=observer)
    assert refused.status_code == 403
    assert client.get("/api/v1/humanitarian/locations", headers=observer).json() == []
    assert client.get("/api/v1/humanitarian/locations/nowhere").status_code == 404
