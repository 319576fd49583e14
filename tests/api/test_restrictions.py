"""Monitors denied access: recorded by their party, signed, on the map as GeoJSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.conftest import SignAs
from ceasefire.domain.workflow import Role
from ceasefire.services.ledger import Ledger
from ceasefire.services.verification import verify_database

DENIED = {
    "patrol": "SMM patrol 3",
    "time": "2016-03-04T10:15:00+02:00",
    "lon": 36.31,
    "lat": 33.55,
    "place": "checkpoint north of Harasta",
    "denied_by": "جبهة النصرة",
    "reason": "no reason given",
    "duration_minutes": 90,
}


def test_a_denial_of_access_is_recorded_resolved_and_mapped(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    monitor, observer = sign_as("us", Role.REPORTER), sign_as("ru", Role.OBSERVER)
    made = anonymous.post("/api/v1/restrictions", json=DENIED, headers=monitor)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["actor_id"] == "nusra"  # Jabhat al-Nusra, named in Arabic
    assert body["reported_by"] == "us" and isinstance(body["ledger_index"], int)
    assert body["time"] == "2016-03-04T08:15:00Z"
    mapped = anonymous.get(
        "/api/v1/restrictions",
        params={"f": "geojson", "bbox": "36,33,37,34", "from": "2016-03-01T00:00:00Z"},
        headers=observer,
    )
    assert mapped.headers["content-type"].startswith("application/geo+json")
    (feature,) = mapped.json()["features"]
    assert feature["geometry"]["coordinates"] == [36.31, 33.55]
    assert feature["properties"]["duration_minutes"] == 90
    elsewhere = anonymous.get(
        "/api/v1/restrictions", params={"bbox": "30,40,31,41"}, headers=observer
    )
    assert elsewhere.json() == []
    refused = anonymous.post("/api/v1/restrictions", json=DENIED, headers=observer)
    assert refused.status_code == 403
    bad = anonymous.post("/api/v1/restrictions", json={**DENIED, "lat": 95}, headers=monitor)
    assert bad.status_code == 422 and bad.json()["field"] == "lat"
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []
