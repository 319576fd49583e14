from __future__ import annotations

from fastapi.testclient import TestClient

from api.conftest import SignAs
from api.test_visibility import OUTSIDERS
from ceasefire.domain.workflow import Role
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario

TRUCE = {
    "id": "homs-truce",
    "agreement_id": "syria",
    "name": "Homs local truce",
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[36.6, 34.7], [36.8, 34.7], [36.8, 34.8], [36.6, 34.8], [36.6, 34.7]]],
    },
    "start": "2016-02-20T00:01:00",
    "end": "2016-02-22T00:01:00",
}


def test_agreements_list_their_co_chairs_and_regimes(client: TestClient) -> None:
    body = client.get("/api/v1/agreements").json()
    assert body[0]["id"] == "syria"
    assert body[0]["co_chairs"] == ["ru", "us"]
    assert body[0]["regime_ids"] == ["coh"]


def test_regime_start_without_offset_is_in_the_agreement_time_zone(client: TestClient) -> None:
    created = client.post("/api/v1/regimes", json=TRUCE)
    assert created.status_code == 201, created.text
    assert created.json()["start"] == "2016-02-19T22:01:00Z"


def test_extending_a_regime_reclassifies_its_incidents(client: TestClient) -> None:
    client.post("/api/v1/regimes", json=TRUCE)
    report = {
        "source": "x",
        "source_id": "1",
        "date_start": "2016-02-24",
        "lon": 36.7,
        "lat": 34.75,
    }
    incident_id = client.post("/api/v1/reports", json=report).json()["incident_id"]
    before = client.get(f"/api/v1/incidents/{incident_id}").json()
    assert before["regime_ids"] == []
    extended = client.post(
        "/api/v1/regimes/homs-truce/extensions", json={"new_end": None, "note": "made indefinite"}
    )
    assert extended.status_code == 201
    assert extended.json()["effective_end"] is None
    assert extended.json()["extensions"][0]["note"] == "made indefinite"
    after = client.get(f"/api/v1/incidents/{incident_id}").json()
    assert after["regime_ids"] == ["homs-truce"]
    assert extended.json()["reclassified"] == [
        {"incident_id": incident_id, "before": "outside_regime", "after": "potential_violation"}
    ]
    again = client.post("/api/v1/regimes/homs-truce/extensions", json={"new_end": None})
    assert again.status_code == 422 and again.json()["field"] == "new_end"
    assert "'homs-truce' is open-ended already" in again.json()["message"]


def test_an_extension_that_does_not_move_the_end_later_is_refused(client: TestClient) -> None:
    """The truce ends at 00:01 on 22 February 2016: an "extension" to that minute, or to
    any earlier one, would end it no later (or sooner), and writes nothing."""
    client.post("/api/v1/regimes", json=TRUCE)
    for new_end in ("2016-02-21T06:00:00", "2016-02-22T00:01:00"):
        refused = client.post(
            "/api/v1/regimes/homs-truce/extensions", json={"new_end": new_end, "note": "cut"}
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "new_end"
        assert refused.json()["message"] == (
            f"new_end: {new_end}+02:00 is not after the end of regime 'homs-truce' in force "
            "(2016-02-22T00:01:00+02:00): an extension moves the end later"
        )
    assert client.get("/api/v1/regimes/homs-truce").json()["extensions"] == []
    later = client.post(
        "/api/v1/regimes/homs-truce/extensions", json={"new_end": "2016-02-22T00:02:00"}
    )
    assert later.status_code == 201, later.text
    again = client.post(
        "/api/v1/regimes/homs-truce/extensions", json={"new_end": "2016-02-22T00:02:00"}
    )
    assert again.status_code == 422 and "(2016-02-22T00:02:00+02:00)" in again.json()["message"]


def test_a_new_regime_names_the_incidents_it_classified_anew(client: TestClient) -> None:
    report = {
        "source": "x",
        "source_id": "1",
        "date_start": "2016-02-21",
        "lon": 36.7,
        "lat": 34.75,
    }
    incident_id = client.post("/api/v1/reports", json=report).json()["incident_id"]
    created = client.post("/api/v1/regimes", json=TRUCE)
    assert created.status_code == 201, created.text
    assert created.json()["reclassified"] == [
        {"incident_id": incident_id, "before": "outside_regime", "after": "potential_violation"}
    ]
    assert created.json()["ledger_index"] is not None


def test_the_answer_to_a_regime_change_is_documented_strictly(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    changed = schemas["RegimeChangedOut"]
    assert "reclassified" in changed["required"] and changed["properties"]["reclassified"][
        "description"
    ].startswith("The incidents in the regime's area")
    item = schemas["ReclassifiedOut"]
    assert set(item["required"]) == {"incident_id", "before", "after"}
    assert schemas["Classification"]["enum"] == [
        "potential_violation", "outside_regime", "excluded_actor", "undetermined", "not_covered",
    ]  # fmt: skip


def test_regimes_as_geojson(client: TestClient) -> None:
    response = client.get("/api/v1/regimes?f=geojson")
    assert response.headers["content-type"].startswith("application/geo+json")
    assert response.json()["features"][0]["geometry"]["type"] == "Polygon"


def test_bad_regimes_get_clear_errors(client: TestClient) -> None:
    unknown = client.post("/api/v1/regimes", json={**TRUCE, "agreement_id": "nope"})
    assert unknown.status_code == 404 and "agreement 'nope'" in unknown.json()["message"]
    duplicate = client.post("/api/v1/regimes", json={**TRUCE, "id": "coh"})
    assert duplicate.status_code == 409
    backwards = client.post("/api/v1/regimes", json={**TRUCE, "end": "2016-02-01T00:00:00"})
    assert backwards.status_code == 422 and "is not after start" in backwards.json()["message"]
    line = client.post(
        "/api/v1/regimes",
        json={**TRUCE, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
    )
    assert line.status_code == 422 and "Polygon" in line.json()["message"]
    extension = client.post("/api/v1/regimes/missing/extensions", json={"new_end": None})
    assert extension.status_code == 404


def test_a_local_time_the_clocks_skipped_or_passed_twice_is_refused_naming_the_field(
    client: TestClient,
) -> None:
    skipped = client.post("/api/v1/regimes", json={**TRUCE, "start": "2016-03-25T00:30:00"})
    assert skipped.status_code == 422
    assert skipped.json()["field"] == "start"
    assert "does not exist in Asia/Damascus" in skipped.json()["message"]
    twice = client.post("/api/v1/regimes", json={**TRUCE, "end": "2016-10-27T23:30:00"})
    assert twice.status_code == 422
    assert twice.json()["field"] == "end"
    assert "happened twice in Asia/Damascus" in twice.json()["message"]
    exact = client.post("/api/v1/regimes", json={**TRUCE, "end": "2016-10-27T23:30:00+02:00"})
    assert exact.status_code == 201, exact.text


def test_an_officer_of_a_party_that_does_not_co_chair_the_agreement_adds_no_regime(
    client: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    load_scenario(ledger, OUTSIDERS)
    refused = client.post("/api/v1/regimes", json=TRUCE, headers=sign_as("osce", Role.OFFICER))
    assert refused.status_code == 403 and "only the co-chairs of syria" in refused.text
    assert client.get("/api/v1/regimes/homs-truce").status_code == 404


def test_ending_a_regime_early_reclassifies_and_is_named_an_ending(client: TestClient) -> None:
    client.post("/api/v1/regimes", json=TRUCE)
    report = {
        "source": "x",
        "source_id": "1",
        "date_start": "2016-02-21",
        "lon": 36.7,
        "lat": 34.75,
    }
    incident_id = client.post("/api/v1/reports", json=report).json()["incident_id"]
    ended = client.post(
        "/api/v1/regimes/homs-truce/endings",
        json={"end": "2016-02-20T12:00:00", "decided": "2016-02-20T13:00:00", "note": "over"},
    )
    assert ended.status_code == 201, ended.text
    body = ended.json()
    assert body["effective_end"] == "2016-02-20T10:00:00Z"  # noon in Damascus
    assert body["extensions"] == [
        {
            "kind": "ending",
            "new_end": "2016-02-20T10:00:00Z",
            "decided": "2016-02-20T11:00:00Z",
            "note": "over",
        }
    ]
    assert body["reclassified"] == [
        {"incident_id": incident_id, "before": "potential_violation", "after": "outside_regime"}
    ]
    later = client.post("/api/v1/regimes/homs-truce/endings", json={"end": "2016-02-21T00:00:00"})
    assert later.status_code == 422 and later.json()["field"] == "end"
    assert later.json()["message"].startswith("end: 2016-02-21T00:00:00+02:00 is not before")
    assert "an ending brings the end forward" in later.json()["message"]
    for wrong in ({"end": 5}, {"end": "2016-02-20T11:00:00", "note": "x" * 5_001}, {}):
        refused = client.post("/api/v1/regimes/homs-truce/endings", json=wrong)
        assert refused.status_code == 422, wrong
    missing = client.post("/api/v1/regimes/missing/endings", json={"end": "2016-02-21T00:00:00"})
    assert missing.status_code == 404
