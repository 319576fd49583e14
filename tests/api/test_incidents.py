from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

REPORT: dict[str, Any] = {
    "source": "us-centre",
    "source_id": "2016-03-02-001",
    "date_start": "2016-03-02",
    "lon": 36.29,
    "lat": 33.51,
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Shelling/artillery/missile attack",
    "actors": [{"name": "Government of Syria", "role": "actor1"}],
    "narrative": "Shelling reported in Jobar.",
}


def post_report(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/reports", json={**REPORT, **changes})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_filed_report_shows_up_as_a_classified_incident(client: TestClient) -> None:
    created = post_report(client)
    assert created["actors"][0]["actor_id"] == "saa"
    incident = client.get(f"/api/v1/incidents/{created['incident_id']}").json()
    assert incident["classification"] == "potential_violation"
    assert incident["regime_ids"] == ["coh"]
    assert incident["reasons"][0].startswith("2016-03-02 (known to the day), inside")
    assert [r["source_id"] for r in incident["reports"]] == ["2016-03-02-001"]


def test_incidents_filter_by_classification_bbox_and_time(client: TestClient) -> None:
    post_report(client, source_id="in")
    post_report(client, source_id="before", date_start="2016-02-01")
    post_report(client, source_id="away", lon=20.0, lat=20.0)
    by_class = client.get("/api/v1/incidents", params={"classification": "outside_regime"}).json()
    assert len(by_class["items"]) == 2
    box = client.get("/api/v1/incidents", params={"bbox": "36,33,37,34"}).json()
    assert len(box["items"]) == 2
    window = client.get(
        "/api/v1/incidents", params={"bbox": "36,33,37,34", "from": "2016-02-20T00:00:00Z"}
    ).json()
    assert [i["classification"] for i in window["items"]] == ["potential_violation"]
    by_regime = client.get("/api/v1/incidents", params={"regime": "coh"}).json()
    assert len(by_regime["items"]) == 1


def test_geojson_by_parameter_and_by_accept_header(client: TestClient) -> None:
    post_report(client)
    by_param = client.get("/api/v1/incidents?f=geojson")
    by_header = client.get("/api/v1/incidents", headers={"Accept": "application/geo+json"})
    for response in (by_param, by_header):
        assert response.headers["content-type"].startswith("application/geo+json")
        body = response.json()
        assert body["type"] == "FeatureCollection"
        assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [36.29, 33.51]}
        assert body["features"][0]["properties"]["classification"] == "potential_violation"


def test_cursor_pagination_visits_every_incident_once(client: TestClient) -> None:
    for n in range(7):
        post_report(client, source_id=f"r{n}", lon=36.0 + n)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/incidents", params=params).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and len(set(seen)) == 7


def test_bad_input_gets_a_4xx_naming_the_field(client: TestClient) -> None:
    cases = [
        (client.post("/api/v1/reports", json={**REPORT, "lat": 91}), 422, "lat"),
        (
            client.post("/api/v1/reports", json={**REPORT, "event_type": "Batles"}),
            422,
            "event_type",
        ),
        (client.post("/api/v1/reports", json={**REPORT, "date_start": None}), 422, "time"),
        (
            client.post(
                "/api/v1/reports",
                json={**REPORT, "source_id": "x", "fatalities": {"low": 5, "best": 2, "high": 1}},
            ),
            422,
            "fatalities.best",
        ),
        (client.get("/api/v1/incidents", params={"bbox": "1,2,3"}), 422, "bbox"),
        (client.get("/api/v1/incidents", params={"cursor": "nonsense!"}), 422, "cursor"),
        (client.get("/api/v1/incidents", params={"classification": "bad"}), 422, "classification"),
        (client.get("/api/v1/incidents", params={"from": "2016-01-01T00:00"}), 422, "from"),
        (client.get("/api/v1/incidents/999"), 404, None),
        (client.post("/api/v1/incidents/merge", json={"incident_ids": [1]}), 422, "incident_ids"),
    ]
    for response, status, field in cases:
        assert response.status_code == status, response.text
        body = response.json()
        assert body["message"]
        if field is not None:
            assert body["field"] == field, body
    assert client.get("/api/v1/reports").json()["items"] == []  # nothing was written


def test_an_event_in_the_future_is_refused_naming_the_field(client: TestClient) -> None:
    # the walkthrough's report, dated 2031: accepted and signed, with no warning
    now = datetime.now(UTC)
    later = (now + timedelta(days=2)).replace(microsecond=0)
    cases = [
        ("/api/v1/reports", {**REPORT, "date_start": "2031-01-01"}, "date_start"),
        ("/api/v1/reports", {**REPORT, "date_start": later.date().isoformat()}, "date_start"),
        ("/api/v1/reports", {**REPORT, "date_start": None, "time": later.isoformat()}, "time"),
        ("/api/v1/drafts", {**REPORT, "date_start": "2031-01-01"}, "date_start"),
    ]
    for path, body, field in cases:
        refused = client.post(path, json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == field
        assert (
            " is in the future: an event may start at most one day after now ("
            in (refused.json()["message"])
        )
    prepare = {"author": "us", "report": {**REPORT, "date_start": "2031-01-01"}}
    assert client.post("/api/v1/reports/prepare", json=prepare).status_code == 422
    assert client.get("/api/v1/reports").json()["items"] == []
    assert client.get("/api/v1/drafts").json() == []
    # today, and an hour ahead, as a source's clock or time zone may put it, are kept
    post_report(client, source_id="today", date_start=now.date().isoformat())
    ahead = (now + timedelta(hours=1)).isoformat()
    post_report(client, source_id="ahead", date_start=None, time=ahead)


def test_duplicate_report_is_a_conflict(client: TestClient) -> None:
    post_report(client)
    response = client.post("/api/v1/reports", json=REPORT)
    assert response.status_code == 409
    assert "exists already" in response.json()["message"]


def test_merge_and_split_over_http(client: TestClient) -> None:
    a = post_report(client, source_id="a")
    b = post_report(client, source_id="b", lon=36.9)  # 57 km away
    merged = client.post(
        "/api/v1/incidents/merge", json={"incident_ids": [a["incident_id"], b["incident_id"]]}
    )
    assert merged.status_code == 200
    assert merged.json()["report_count"] == 2
    gone_id = max(a["incident_id"], b["incident_id"])
    assert merged.json()["merged_ids"] == [gone_id]
    assert merged.json()["moved"] == {"reports": [b["id"]], "assessments": [], "measures": []}
    gone = client.get(f"/api/v1/incidents/{gone_id}")
    assert gone.status_code == 410
    assert gone.json()["moved_to"] == f"incidents/{merged.json()['id']}"
    assert gone.headers["location"] == f"/api/v1/incidents/{merged.json()['id']}"
    split = client.post(
        f"/api/v1/incidents/{merged.json()['id']}/split", json={"report_ids": [b["id"]]}
    )
    assert split.status_code == 201
    assert split.json()["new"]["report_count"] == 1


def test_a_merge_of_incidents_far_apart_needs_confirm_far(client: TestClient) -> None:
    damascus = post_report(client, source_id="a")["incident_id"]
    aleppo = post_report(client, source_id="b", lon=37.16, lat=36.2)["incident_id"]  # 309 km
    ids = {"incident_ids": [damascus, aleppo]}
    for body in (ids, {**ids, "confirm_far": False}, {**ids, "confirm_far": "yes"}):
        refused = client.post("/api/v1/incidents/merge", json=body)
        assert refused.status_code == 422, body
        assert refused.json()["field"] == "confirm_far", refused.json()
    assert client.get(f"/api/v1/incidents/{aleppo}").status_code == 200  # nothing merged
    said = client.post("/api/v1/incidents/merge", json=ids).json()["message"]
    assert said.startswith(f"confirm_far: incidents {damascus} (") and "309 km" in said
    merged = client.post("/api/v1/incidents/merge", json={**ids, "confirm_far": True})
    assert merged.status_code == 200 and merged.json()["merged_ids"] == [aleppo]


def test_lists_write_out_reasons_only_when_asked(client: TestClient) -> None:
    post_report(client)
    plain = client.get("/api/v1/incidents").json()["items"][0]
    explained = client.get("/api/v1/incidents", params={"reasons": "true"}).json()["items"][0]
    features = client.get("/api/v1/incidents", params={"f": "geojson", "reasons": "true"}).json()
    assert plain["reasons"] is None
    assert plain["regime_ids"] == ["coh"]
    assert explained["reasons"][0].endswith("no excluded actor")
    assert features["features"][0]["properties"]["reasons"] == explained["reasons"]


def test_an_id_no_record_can_have_is_refused_naming_it(client: TestClient) -> None:
    huge = "99999999999999999999"  # past what SQLite and PostgreSQL integers hold
    for path in (f"/api/v1/incidents/{huge}", f"/api/v1/reports/{huge}"):
        refused = client.get(path)
        assert refused.status_code == 422, path
        assert refused.json()["field"].endswith("_id")
    merged = client.post("/api/v1/incidents/merge", json={"incident_ids": [1, int(huge)]})
    assert merged.status_code == 422 and merged.json()["field"] == "incident_ids[1]"


def test_filters_naming_what_does_not_exist_are_refused_not_answered_empty(
    client: TestClient,
) -> None:
    post_report(client)
    for query, field in (
        ("/api/v1/incidents?regime=no-such-regime", "regime"),
        ("/api/v1/incidents?agreement=no-such-agreement", "agreement"),
        ("/api/v1/incidents?event_type=Shootings", "event_type"),
        ("/api/v1/incidents/export?regime=no-such-regime", "regime"),
        ("/api/v1/measures?owner=nobody", "owner"),
        ("/api/v1/measures?agreement=no-such-agreement", "agreement"),
    ):
        response = client.get(query)
        assert response.status_code == 422, (query, response.text)
        assert response.json()["field"] == field, query
    # what exists answers, and an event type is read as the CLI reads it (any case)
    assert len(client.get("/api/v1/incidents?regime=coh").json()["items"]) == 1
    found = client.get("/api/v1/incidents?event_type=explosions/remote%20violence").json()
    assert len(found["items"]) == 1
    assert client.get("/api/v1/measures?agreement=syria&owner=us").status_code == 200
