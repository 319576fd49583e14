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
