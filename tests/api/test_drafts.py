"""A party's drafts: never readable by another party, in no incident and no ledger entry,
until the party shares them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.conftest import SignAs
from ceasefire.domain.workflow import Role
from ceasefire.services.ledger import Ledger
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t

REPORT: dict[str, Any] = {
    "source": "us-monitors",
    "source_id": "draft-1",
    "date_start": "2016-03-04",
    "lon": 36.29,
    "lat": 33.51,
    "event_type": "Battles",
    "narrative": "Unconfirmed: clashes north of Harasta.",
}


def entries(ledger: Ledger) -> int:
    with ledger.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(t.ledger_entries)).scalar_one())


def test_another_partys_draft_is_never_readable_and_sharing_files_it(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    http = anonymous
    us, us_observer = sign_as("us", Role.REPORTER), sign_as("us", Role.OBSERVER)
    ru = sign_as("ru", Role.ADMIN)
    before = entries(ledger)
    draft = http.post("/api/v1/drafts", json=REPORT, headers=us)
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["id"]
    assert entries(ledger) == before  # no ledger entry for a draft
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []
    assert [d["id"] for d in http.get("/api/v1/drafts", headers=us_observer).json()] == [draft_id]
    # ru sees nothing of it, anywhere
    assert http.get("/api/v1/drafts", headers=ru).json() == []
    for method, path in (
        ("GET", f"/api/v1/drafts/{draft_id}"),
        ("DELETE", f"/api/v1/drafts/{draft_id}"),
        ("POST", f"/api/v1/drafts/{draft_id}/share"),
    ):
        response = http.request(method, path, headers=ru)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["message"] == f"draft {draft_id} does not exist"
    assert http.get("/api/v1/reports", headers=ru).json()["items"] == []
    assert http.get("/api/v1/incidents", headers=ru).json()["items"] == []
    # an observer of us reads it but cannot share it
    refused = http.post(f"/api/v1/drafts/{draft_id}/share", headers=us_observer)
    assert refused.status_code == 403
    shared = http.post(f"/api/v1/drafts/{draft_id}/share", headers=us)
    assert shared.status_code == 201, shared.text
    assert shared.json()["narrative"] == REPORT["narrative"]
    assert http.get("/api/v1/drafts", headers=us).json() == []
    seen = http.get(f"/api/v1/incidents/{shared.json()['incident_id']}", headers=ru)
    assert seen.status_code == 200
    with ledger.db.read() as conn:
        author = conn.execute(
            select(t.ledger_entries.c.author_party).where(
                t.ledger_entries.c.record == f"report:{shared.json()['id']}"
            )
        ).scalar_one()
    assert author == "us"
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []


def test_a_bad_draft_is_refused_when_it_is_saved(anonymous: TestClient, sign_as: SignAs) -> None:
    bad = anonymous.post("/api/v1/drafts", json={**REPORT, "lat": 91}, headers=sign_as("us"))
    assert bad.status_code == 422 and bad.json()["field"] == "lat"


UNPLACED: dict[str, Any] = {
    "source": "us-monitors",
    "source_id": "draft-2",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Shelling/artillery/missile attack",
    "actors": [{"name": "Syrian Arab Army", "role": "actor1"}],
    "fatalities": {"low": 1, "best": 2},
    "narrative": "Shelling heard to the north; the place is still to be checked.",
}


def drafts(http: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = http.get("/api/v1/drafts", headers=headers).json()
    return found


def test_a_draft_may_leave_out_the_place_and_the_time_and_says_what_filing_needs(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    us = sign_as("us", Role.REPORTER)
    before = entries(ledger)
    kept = anonymous.post("/api/v1/drafts", json=UNPLACED, headers=us)
    assert kept.status_code == 201, kept.text
    draft = kept.json()
    assert draft["still_needed"] == ["lon", "lat", "time"]
    assert "lon" not in draft["report"] and "lat" not in draft["report"]
    assert draft["report"]["narrative"] == UNPLACED["narrative"]
    assert kept.headers["ETag"] == f'"{draft["version"]}"'
    dated = anonymous.post(
        "/api/v1/drafts",
        json={**UNPLACED, "source_id": "d-3", "date_start": "2016-03-04"},
        headers=us,
    )
    assert dated.json()["still_needed"] == ["lon", "lat"]
    assert entries(ledger) == before  # still no ledger entry for a draft


def test_what_a_draft_gives_is_checked_as_a_reports_is(
    anonymous: TestClient, sign_as: SignAs
) -> None:
    us = sign_as("us", Role.REPORTER)
    for change, field in (
        ({"lat": 33.5}, "lon"),  # half a place
        ({"lon": 36.3}, "lat"),
        ({"lat": 91, "lon": 36.3}, "lat"),
        ({"date_start": "2031-01-01"}, "date_start"),  # in the future
        ({"time": "2016-03-04T10:00:00"}, "time"),  # no offset
        ({"date_end": "2016-03-04"}, "date_start"),  # a last date with no first
        ({"fatalities": {"low": 5, "best": 2}}, "fatalities.best"),  # out of order
        ({"event_type": "Picnic"}, "event_type"),
        ({"source_id": ""}, "source_id"),  # what identifies it is still needed
        ({"narrative": "x" * 20_001}, "narrative"),
        ({"lat": "33.5", "lon": 36.3}, "lat"),  # text is not a number
    ):
        refused = anonymous.post("/api/v1/drafts", json={**UNPLACED, **change}, headers=us)
        assert refused.status_code == 422, (change, refused.text)
        assert refused.json()["field"] == field, (change, refused.json())
    without = {k: v for k, v in UNPLACED.items() if k != "source"}
    assert anonymous.post("/api/v1/drafts", json=without, headers=us).json()["field"] == "source"
    assert drafts(anonymous, us) == []


def test_filing_a_draft_that_lacks_the_place_and_time_names_each_and_files_nothing(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    us = sign_as("us", Role.REPORTER)
    draft = anonymous.post("/api/v1/drafts", json=UNPLACED, headers=us).json()
    before = entries(ledger)
    refused = anonymous.post(f"/api/v1/drafts/{draft['id']}/share", headers=us)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "lon"
    assert [p["field"] for p in refused.json()["problems"]] == ["lon", "lat", "time"]
    assert all(
        "draft leaves it out" in p["message"] or "neither" in p["message"]
        for p in refused.json()["problems"]
    )
    assert entries(ledger) == before
    assert [d["id"] for d in drafts(anonymous, us)] == [draft["id"]]
    assert anonymous.get("/api/v1/reports", headers=us).json()["items"] == []


def test_a_draft_is_kept_again_changed_then_filed_with_what_it_holds_now(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    us, colleague = sign_as("us", Role.REPORTER), sign_as("us", Role.ANALYST)
    draft = anonymous.post("/api/v1/drafts", json=UNPLACED, headers=us).json()
    finished = {**UNPLACED, "lon": 36.29, "lat": 33.51, "date_start": "2016-03-04"}
    put = anonymous.put(f"/api/v1/drafts/{draft['id']}", json=finished, headers=colleague)
    assert put.status_code == 200, put.text
    kept = put.json()
    assert kept["id"] == draft["id"] and kept["author"] == draft["author"]  # the same draft
    assert kept["created"] == draft["created"] and kept["version"] != draft["version"]
    assert kept["still_needed"] == [] and kept["report"]["lat"] == 33.51
    assert [d["id"] for d in drafts(anonymous, us)] == [draft["id"]]
    assert anonymous.get(f"/api/v1/drafts/{draft['id']}", headers=us).json() == kept
    before = entries(ledger)
    filed = anonymous.post(f"/api/v1/drafts/{draft['id']}/share", headers=us)
    assert filed.status_code == 201, filed.text
    report = filed.json()
    assert (report["lon"], report["lat"]) == (36.29, 33.51)
    assert report["time_start"].startswith("2016-03-04")
    assert report["actors"][0]["role"] == "actor1" and report["fatalities"]["best"] == 2
    assert entries(ledger) > before and drafts(anonymous, us) == []
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []


def test_a_put_replaces_the_whole_draft_and_a_bad_one_changes_nothing(
    anonymous: TestClient, sign_as: SignAs
) -> None:
    us = sign_as("us", Role.REPORTER)
    draft = anonymous.post(
        "/api/v1/drafts", json={**UNPLACED, "lon": 36.3, "lat": 33.5}, headers=us
    )
    path = f"/api/v1/drafts/{draft.json()['id']}"
    for bad, field in (({"lat": 95}, "lat"), ({"date_start": "2031-01-01"}, "date_start")):
        refused = anonymous.put(
            path, json={**UNPLACED, "lon": 36.3, "lat": 33.5, **bad}, headers=us
        )
        assert refused.status_code == 422 and refused.json()["field"] == field
    assert anonymous.get(path, headers=us).json() == draft.json()
    emptied = anonymous.put(path, json=UNPLACED, headers=us).json()  # the place left out now
    assert emptied["still_needed"] == ["lon", "lat", "time"]
    signed = anonymous.put(path, json={**UNPLACED, "signed": {}}, headers=us)
    assert signed.status_code == 422 and signed.json()["field"].startswith("signed")
    two = anonymous.put(path, json=UNPLACED, headers={**us, "If-Match": '"a", "b"'})
    assert two.status_code == 422 and two.json()["field"] == "If-Match"
    assert anonymous.get(path, headers=us).json() == emptied


def test_a_draft_kept_since_the_version_read_is_not_overwritten(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    us, colleague = sign_as("us", Role.REPORTER), sign_as("us", Role.OFFICER)
    draft = anonymous.post("/api/v1/drafts", json=UNPLACED, headers=us).json()
    path = f"/api/v1/drafts/{draft['id']}"
    read = {"If-Match": f'"{draft["version"]}"'}
    theirs = {**UNPLACED, "narrative": "Checked: it was north of Harasta."}
    assert anonymous.put(path, json=theirs, headers={**colleague, **read}).status_code == 200
    mine = {**UNPLACED, "narrative": "Mine, from the version before."}
    stale = anonymous.put(path, json=mine, headers={**us, **read})
    assert stale.status_code == 412, stale.text
    assert stale.json()["error"] == "PreconditionFailedError"
    assert anonymous.get(path, headers=us).json()["report"]["narrative"] == theirs["narrative"]
    before = entries(ledger)
    placed = {**theirs, "lon": 36.29, "lat": 33.51, "date_start": "2016-03-04"}
    now = anonymous.put(path, json=placed, headers={**us, "If-Match": "*"}).json()
    refused = anonymous.post(f"{path}/share", headers={**us, **read})
    assert refused.status_code == 412 and entries(ledger) == before
    fresh = {"If-Match": f'W/"{now["version"]}"'}
    assert anonymous.post(f"{path}/share", headers={**us, **fresh}).status_code == 201


def test_another_party_or_an_observer_may_not_change_a_draft(
    anonymous: TestClient, sign_as: SignAs
) -> None:
    us = sign_as("us", Role.REPORTER)
    draft = anonymous.post("/api/v1/drafts", json=UNPLACED, headers=us).json()
    path = f"/api/v1/drafts/{draft['id']}"
    changed = {**UNPLACED, "narrative": "changed"}
    for headers, status in (
        (sign_as("ru", Role.ADMIN), 404),
        (sign_as("ru", Role.REPORTER), 404),
        (sign_as("us", Role.OBSERVER), 403),
    ):
        assert anonymous.put(path, json=changed, headers=headers).status_code == status
    gone = anonymous.put("/api/v1/drafts/999999", json=changed, headers=us)
    assert gone.status_code == 404
    assert anonymous.get(path, headers=us).json() == draft
