"""Conflicting accounts of one event: proposed as candidates with a score and reasons,
confirmed into one incident (a merge) or rejected for good (a signed record)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from builders import report, scenario, two_accounts
from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.events import ActorMention
from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.visibility import Audience
from ceasefire.services import queries
from ceasefire.services.candidates import confirm_candidate, list_candidates, reject_candidate
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.merges import merge_incidents
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.verification import verify_database
from ceasefire.store import candidates as candidate_store
from ceasefire.store import tables as t
from ceasefire.store.candidates import Candidate

ORIGIN = "ceasefire.localhost/ledger"


def disputed(ledger: Ledger) -> tuple[int, int]:
    load_scenario(ledger, scenario())
    return two_accounts(ledger)


def test_an_account_naming_other_actors_is_proposed_with_its_reasons(ledger: Ledger) -> None:
    a, b = disputed(ledger)
    queue = list_candidates(ledger.db)
    assert queue.total == 1
    (candidate,) = queue.candidates
    assert (candidate.incident_id, candidate.other_id) == (min(a, b), max(a, b))
    assert 0.45 <= candidate.score < 0.65
    assert candidate.reasons == "2.8 km apart, same day, both 'Battles', no actor in common " \
        "(saa vs nusra)"  # fmt: skip
    assert candidate.agreement_id == "syria"


def test_an_account_of_another_wording_joins_without_asking(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    a = submit_report(ledger, report("a", source="us-centre", actors=("Syrian Arab Army",)))
    shelling = replace(
        report("b", source="ru-centre", lon=36.31, actors=("Government of Syria",)),
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
    )
    b = submit_report(ledger, shelling)
    assert b.incident_id == a.incident_id
    assert list_candidates(ledger.db).total == 0


def test_a_confirmed_candidate_becomes_one_incident(ledger: Ledger) -> None:
    a, b = disputed(ledger)
    merged = confirm_candidate(ledger, b, a, author="us")
    assert merged.incident.id == min(a, b) and merged.merged_ids == (max(a, b),)
    assert merged.incident.report_count == 2
    assert list_candidates(ledger.db).total == 0
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_a_rejected_candidate_is_kept_signed_and_not_proposed_again(ledger: Ledger) -> None:
    a, b = disputed(ledger)
    rejection = reject_candidate(ledger, a, b, author="ru")
    assert list_candidates(ledger.db).total == 0
    # a third account, from another source, joins one and is near the other again
    c = submit_report(
        ledger, report("c", source="osce", lon=36.30, actors=("Syrian Arab Army",)), author="us"
    )
    assert c.incident_id in (a, b)
    assert list_candidates(ledger.db).total == 0
    with ledger.db.read() as conn:
        kinds = conn.execute(
            select(t.ledger_entries.c.kind, t.ledger_entries.c.record).where(
                t.ledger_entries.c.kind == "candidate_rejection.recorded"
            )
        ).all()
    assert [tuple(k) for k in kinds] == [
        ("candidate_rejection.recorded", f"candidate_rejection:{rejection}")
    ]
    assert verify_database(ledger.db, origin=ORIGIN).problems == []
    with pytest.raises(NotFoundError):
        reject_candidate(ledger, a, b, author="ru")  # decided already


def test_a_party_outside_the_agreement_neither_sees_nor_decides_its_candidates(
    ledger: Ledger,
) -> None:
    a, b = disputed(ledger)
    outsider = Audience.of_party("un", [])
    assert list_candidates(ledger.db, outsider).total == 0
    with pytest.raises(NotFoundError):
        confirm_candidate(ledger, a, b, author="us", audience=outsider)
    with pytest.raises(NotFoundError):
        reject_candidate(ledger, a, b, author="us", audience=outsider)
    assert len(queries.list_incidents(ledger.db, _all(), EVERYTHING)) == 2


def _all() -> IncidentFilter:
    return IncidentFilter(limit=100)


def test_reports_of_one_source_are_never_proposed(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    submit_report(ledger, report("a", source="ucdp", actors=("Syrian Arab Army",)))
    other = report("b", source="ucdp", lon=36.32)
    submit_report(ledger, replace(other, actors=(ActorMention("Jabhat al-Nusra"),)))
    assert list_candidates(ledger.db).total == 0


def test_a_rejection_changed_behind_the_ledgers_back_is_named(ledger: Ledger) -> None:
    a, b = disputed(ledger)
    rejection = reject_candidate(ledger, a, b, author="ru")
    r = t.candidate_rejections.c
    for column, value in (("rejected_by", "us"), ("score", 0.99), ("other_id", b + 1)):
        with ledger.db.transaction() as conn:
            before = conn.execute(select(r[column]).where(r.id == rejection)).scalar_one()
            conn.execute(
                t.candidate_rejections.update().where(r.id == rejection).values({column: value})
            )
        problems = verify_database(ledger.db, origin=ORIGIN).problems
        assert any(f"candidate_rejection:{rejection}" in str(p) and column in str(p)
                   for p in problems), problems  # fmt: skip
        with ledger.db.transaction() as conn:
            conn.execute(
                t.candidate_rejections.update().where(r.id == rejection).values({column: before})
            )
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_a_rejection_holds_for_the_incident_a_rejected_one_was_merged_into(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, scenario())
    first = submit_report(
        ledger, report("z", source="osce", lon=37.2, actors=("Syrian Arab Army",)), author="us"
    ).incident_id
    a = submit_report(
        ledger, report("a", source="us-centre", actors=("Syrian Arab Army",)), author="us"
    ).incident_id
    b = submit_report(
        ledger,
        report("b", source="ru-centre", lon=36.32, actors=("Jabhat al-Nusra",)),
        author="ru",
    ).incident_id
    reject_candidate(ledger, a, b, author="ru")
    merge_incidents(ledger, [first, a], author="us")  # a lives on as `first`
    proposal = Candidate(first, b, 0.5, "again", "syria", datetime.now(UTC))
    with ledger.db.transaction() as conn:
        assert candidate_store.rejected(conn, [(first, b)]) == {(first, b)}
        assert candidate_store.propose(conn, [proposal]) == 0
    assert list_candidates(ledger.db).total == 0
