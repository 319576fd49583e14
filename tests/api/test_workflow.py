"""The seeds' story over HTTP: a report, two co-chairs' findings, a dispute, a revision, an
agreed finding, a response measure agreed and done, every step signed by its party."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.conftest import SignAs
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t

REPORT: dict[str, Any] = {
    "source": "us-centre",
    "source_id": "2016-03-02-001",
    "date_start": "2016-03-02",
    "lon": 36.29,
    "lat": 33.51,
    "event_type": "Explosions/Remote violence",
    "actors": [{"name": "Government of Syria", "role": "actor1"}],
    "narrative": "Shelling reported in Jobar.",
}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_joint_centre_story_from_report_to_measure_done(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    http = anonymous
    us_reporter, us = sign_as("us", Role.REPORTER), sign_as("us", Role.OFFICER)
    ru = sign_as("ru", Role.OFFICER)
    report = ok(http.post("/api/v1/reports", json=REPORT, headers=us_reporter), 201)
    incident = report["incident_id"]
    for co_chair in (us, ru):  # both co-chairs see the incident
        seen = ok(http.get(f"/api/v1/incidents/{incident}", headers=co_chair))
        assert seen["classification"] == "potential_violation"
    url = f"/api/v1/incidents/{incident}/assessments"
    first = ok(
        http.post(
            url,
            json={
                "finding": "violation",
                "reasoning": "Shelling seen by the monitors.",
                "attributed_actor_id": "saa",
                "confidence": "high",
            },
            headers=us,
        ),
        201,
    )
    assert first["joint"] == "pending" and first["waiting_for"] == ["ru"]
    second = ok(
        http.post(
            url,
            json={"finding": "no_violation", "reasoning": "Return fire at an excluded group."},
            headers=ru,
        ),
        201,
    )
    assert second["joint"] == "disputed"
    assert second["by_party"] == {"us": "violation", "ru": "no_violation"}
    revised = ok(
        http.post(
            url,
            json={"finding": "violation", "reasoning": "The maps show no excluded group there."},
            headers=ru,
        ),
        201,
    )
    assert revised["joint"] == "agreed" and revised["agreed_finding"] == "violation"
    assert [a["finding"] for a in revised["history"]] == ["violation", "no_violation", "violation"]
    measure = ok(
        http.post(
            f"/api/v1/incidents/{incident}/measures",
            json={
                "kind": "demarche",
                "description": "Joint démarche to the Syrian government.",
                "owner_party": "ru",
                "due": "2016-03-05",
            },
            headers=us,
        ),
        201,
    )
    # due in 2016: overdue today, and still proposed
    assert measure["status"] == "proposed" and measure["overdue"] is True
    mid = measure["id"]
    skipped = http.post(f"/api/v1/measures/{mid}/status", json={"status": "done"}, headers=ru)
    assert skipped.status_code == 422 and skipped.json()["field"] == "status"
    own = http.post(f"/api/v1/measures/{mid}/status", json={"status": "agreed"}, headers=us)
    assert own.status_code == 403  # its proposer's word is not the other co-chair's
    assert own.json()["message"] == (
        "only a co-chair of the agreement other than the one that proposed it may mark a "
        "proposed measure agreed; us is not"
    )
    agreed = ok(http.post(f"/api/v1/measures/{mid}/status", json={"status": "agreed"}, headers=ru))
    assert agreed["status"] == "agreed" and agreed["overdue"] is True
    register = ok(http.get("/api/v1/measures?overdue=true&owner=ru", headers=us))
    assert [m["id"] for m in register] == [mid]
    ok(
        http.post(
            f"/api/v1/measures/{mid}/comments", json={"text": "Delivered in Damascus."}, headers=ru
        ),
        201,
    )
    done = ok(http.post(f"/api/v1/measures/{mid}/status", json={"status": "done"}, headers=ru))
    assert done["status"] == "done" and done["comments"][0]["party_id"] == "ru"
    assert done["overdue"] is False
    assert ok(http.get("/api/v1/measures?overdue=true", headers=us)) == []
    assert [m["id"] for m in ok(http.get("/api/v1/measures?status=done", headers=ru))] == [mid]
    findings = ok(http.get(f"/api/v1/incidents/{incident}/findings", headers=us))
    assert findings["joint"] == "agreed"
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []
    with ledger.db.read() as conn:
        steps = [
            (row.kind, row.author_party)
            for row in conn.execute(
                select(t.ledger_entries.c.kind, t.ledger_entries.c.author_party).order_by(
                    t.ledger_entries.c.sequence
                )
            )
            if not row.kind.startswith(
                ("key.", "party.", "actor.", "place.", "agreement.", "regime.")
            )
        ]
    assert steps == [
        ("report.created", "us"),
        ("assessment.recorded", "us"),
        ("assessment.recorded", "ru"),
        ("assessment.revised", "ru"),
        ("measure.proposed", "us"),
        ("measure.agreed", "ru"),
        ("measure.commented", "ru"),
        ("measure.done", "ru"),
    ]


def test_bad_requests_get_a_4xx_that_names_the_problem(
    anonymous: TestClient, sign_as: SignAs, accounts: Accounts, ledger: Ledger
) -> None:
    http = anonymous
    us, ru = sign_as("us", Role.OFFICER), sign_as("ru", Role.OFFICER)
    incident = ok(http.post("/api/v1/reports", json=REPORT, headers=us), 201)["incident_id"]
    unknown = http.post(
        "/api/v1/incidents/99999/assessments",
        json={"finding": "violation", "reasoning": "x"},
        headers=us,
    )
    assert unknown.status_code == 404 and "incident 99999" in unknown.json()["message"]
    analyst = sign_as("us", Role.ANALYST)
    refused = http.post(
        f"/api/v1/incidents/{incident}/assessments",
        json={"finding": "violation", "reasoning": "x"},
        headers=analyst,
    )
    assert refused.status_code == 403 and "needs the role officer" in refused.json()["message"]
    bad_finding = http.post(
        f"/api/v1/incidents/{incident}/assessments",
        json={"finding": "maybe", "reasoning": "x"},
        headers=ru,
    )
    assert bad_finding.status_code == 422 and bad_finding.json()["field"] == "finding"
    forged = http.post(
        "/api/v1/reports",
        json={
            **REPORT,
            "source_id": "2",
            "signed": {
                "author": "us",
                "time": "2016-03-02T00:00:00Z",
                "start": 0,
                "signature": "AA==",
            },
        },
        headers=ru,
    )
    assert forged.status_code == 403 and "for ru only" in forged.json()["message"]
    # an expired token
    accounts.add_user("us", "us-script", role=Role.OBSERVER, password=None)
    _, token = accounts.issue_token("us-script", name="expiring", days=1)
    bearer = {"Authorization": f"Bearer {token}"}
    assert ok(http.get("/api/v1/me", headers=bearer))["username"] == "us-script"
    with ledger.db.transaction() as conn:
        yesterday = datetime.now(UTC) - timedelta(days=1)
        conn.execute(
            update(t.credentials)
            .where(t.credentials.c.name == "expiring")
            .values(expires=yesterday)
        )
    expired = http.get("/api/v1/me", headers=bearer)
    assert expired.status_code == 401 and "the API token expired" in expired.json()["message"]
    # a signed-in session posting without its CSRF token
    accounts.add_user("us", "us-web", role=Role.OFFICER, password="a long enough password")
    signed_in = ok(
        http.post(
            "/api/v1/session", json={"username": "us-web", "password": "a long enough password"}
        )
    )
    assert http.cookies.get("ceasefire_session")
    no_csrf = http.post(
        f"/api/v1/incidents/{incident}/assessments", json={"finding": "violation", "reasoning": "x"}
    )
    assert no_csrf.status_code == 403 and "X-CSRF-Token" in no_csrf.json()["message"]
    with_csrf = http.post(
        f"/api/v1/incidents/{incident}/assessments",
        json={"finding": "violation", "reasoning": "x"},
        headers={"X-CSRF-Token": signed_in["csrf_token"]},
    )
    assert with_csrf.status_code == 201, with_csrf.text
    # the README's tour: a token made with the session, with no body at all
    token = http.post("/api/v1/tokens", headers={"X-CSRF-Token": signed_in["csrf_token"]})
    assert token.status_code == 201 and token.json()["expires_in_days"] == 90, token.text
    http.cookies.clear()
    mine = http.get("/api/v1/me", headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert mine.status_code == 200 and mine.json()["username"] == "us-web"
    # an oversized body
    huge = http.post(
        "/api/v1/reports",
        content=b"x" * 10_000_001,
        headers={**us, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["field"] == "body"


def test_failed_sign_ins_slow_the_next_attempt_but_never_lock_out(
    anonymous: TestClient, accounts: Accounts
) -> None:
    accounts.add_user("ru", "ru-web", role=Role.OFFICER, password="the right password")
    wrong = {"username": "ru-web", "password": "a wrong password"}
    right = {"username": "ru-web", "password": "the right password"}
    for _ in range(4):  # three are free; the fourth makes the next wait a second
        assert anonymous.post("/api/v1/session", json=wrong).status_code == 401
    slowed = anonymous.post("/api/v1/session", json=right)
    assert slowed.status_code == 429
    assert "too many failed sign-ins from testclient: try again in 1 s" in slowed.json()["message"]
    time.sleep(1.1)
    assert anonymous.post("/api/v1/session", json=right).status_code == 200  # never locked out
    # the failures are kept in the database, where every server process reads them
    with accounts.db.read() as conn:
        kept = conn.execute(select(t.sign_in_failures.c.key)).scalars().all()
    assert kept == ["address:testclient"]  # the right password forgot the username's count
    unknown = anonymous.post("/api/v1/session", json={"username": "nobody", "password": "x"})
    assert unknown.status_code == 401
    assert unknown.json()["message"] == "the username or the password is wrong"


def test_the_measures_register_filters_by_status_owner_and_overdue_and_its_proposer_withdraws(
    client: TestClient, sign_as: SignAs
) -> None:
    report = ok(client.post("/api/v1/reports", json=REPORT), 201)
    url = f"/api/v1/incidents/{report['incident_id']}/measures"
    ru = sign_as("ru", Role.OFFICER)
    late = {"kind": "demarche", "description": "late", "owner_party": "ru", "due": "2016-03-05"}
    later = {"kind": "communication", "description": "open", "owner_party": "us"}
    first = ok(client.post(url, json=late), 201)
    second = ok(client.post(url, json=later), 201)
    register = ok(client.get("/api/v1/measures"))
    assert [(m["id"], m["overdue"]) for m in register] == [
        (first["id"], True),
        (second["id"], False),
    ]
    assert [m["id"] for m in ok(client.get("/api/v1/measures?overdue=false"))] == [second["id"]]
    assert [m["id"] for m in ok(client.get("/api/v1/measures?owner=ru"))] == [first["id"]]
    not_proposer = client.post(
        f"/api/v1/measures/{first['id']}/status", json={"status": "withdrawn"}, headers=ru
    )
    assert not_proposer.status_code == 403
    withdrawn = ok(
        client.post(f"/api/v1/measures/{first['id']}/status", json={"status": "withdrawn"})
    )
    assert withdrawn["status"] == "withdrawn" and withdrawn["overdue"] is False
    assert ok(client.get("/api/v1/measures?overdue=true")) == []
    assert [m["id"] for m in ok(client.get("/api/v1/measures?status=withdrawn"))] == [first["id"]]
