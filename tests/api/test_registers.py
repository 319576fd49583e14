"""/api/v1/accessions and /api/v1/control-areas: recorded by an officer's party, shown as
GeoJSON for the map, counted over time; bad input is a 422 naming the field."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.conftest import SignAs
from ceasefire.domain.workflow import Role

DOUMA = {"regime": "coh", "date": "2016-03-01", "channel": "Hmeymim", "settlement": "Douma",
         "lon": 36.40, "lat": 33.57}  # fmt: skip


def test_accessions_recorded_mapped_and_counted(client: TestClient) -> None:
    recorded = client.post("/api/v1/accessions", json={"accessions": [DOUMA]})
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["settlements_added"] == ["settlement-douma"]
    listed = client.get("/api/v1/accessions", params={"regime": "coh"}).json()
    assert [(a["place_id"], a["recorded_by"]) for a in listed] == [("settlement-douma", "us")]
    layer = client.get("/api/v1/accessions/map", params={"at": "2016-03-10"})
    assert layer.headers["content-type"] == "application/geo+json"
    assert layer.json()["features"][0]["properties"]["in"] is True
    counts = client.get(
        "/api/v1/accessions/counts",
        params={"regime": "coh", "from": "2016-02-28", "to": "2016-03-13", "step": 7},
    ).json()
    assert [c["settlements"] for c in counts] == [0, 1, 1]


def test_bad_accessions_are_422_and_write_nothing(client: TestClient, sign_as: SignAs) -> None:
    left_first = {**DOUMA, "change": "left"}
    refused = client.post("/api/v1/accessions", json={"accessions": [left_first]})
    assert refused.status_code == 422 and "without having joined it" in refused.json()["message"]
    both = client.post("/api/v1/accessions", json={"accessions": [{**DOUMA, "actor": "saa"}]})
    assert both.status_code == 422 and "accessions[0].actor" in both.json()["message"]
    far = client.post("/api/v1/accessions", json={"accessions": [{**DOUMA, "lat": 91}]})
    assert far.status_code == 422 and "lat" in far.text
    assert client.get("/api/v1/accessions").json() == []
    reporter = client.post(
        "/api/v1/accessions", json={"accessions": [DOUMA]}, headers=sign_as("us", Role.REPORTER)
    )
    assert reporter.status_code == 403


def _area(actor: str, start: str, box: list[list[float]]) -> dict[str, object]:
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [box]},
        "properties": {"actor": actor, "valid_from": start, "source": "test"},
    }


BOX = [[36.5, 35.8], [36.8, 35.8], [36.8, 36.0], [36.5, 36.0], [36.5, 35.8]]


def test_control_areas_recorded_and_asked(client: TestClient) -> None:
    body = {"type": "FeatureCollection", "features": [_area("nusra", "2015-03-28", BOX)]}
    recorded = client.post("/api/v1/control-areas", json=body)
    assert recorded.status_code == 201, recorded.text
    holder = client.get(
        "/api/v1/control-areas/holder", params={"lon": 36.6, "lat": 35.9, "at": "2016-03-01"}
    )
    assert holder.json()["actor"] == "Jabhat al-Nusra"
    before = client.get(
        "/api/v1/control-areas/holder", params={"lon": 36.6, "lat": 35.9, "at": "2015-01-01"}
    )
    assert before.status_code == 200 and before.json() is None
    layer = client.get("/api/v1/control-areas", params={"at": "2016-03-01"}).json()
    assert [f["properties"]["actor_id"] for f in layer["features"]] == ["nusra"]

    again = client.post("/api/v1/control-areas", json={"type": "FeatureCollection",
                        "features": [_area("saa", "2016-01-01", BOX)]})  # fmt: skip
    assert again.status_code == 422 and "overlaps" in again.json()["message"]
    broken = client.post("/api/v1/control-areas", json={"type": "Feature"})
    assert broken.status_code == 422 and "FeatureCollection" in broken.json()["message"]
