"""Sealed entries under verification: a row of an agreement's record changed, opened to
every party behind the ledger's back, or an opening altered or lost, is caught and named.

The history is the one of ``test_verification``: the co-chairs' reports, assessment,
measure and restriction are all filed under their agreement, so their entries are sealed.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from ceasefire.services.ledger import Ledger
from ceasefire.store import tables as t
from services.test_verification import history, last_entry_of, verify

__all__ = ["history"]  # the fixture, shared


def test_the_history_seals_the_agreements_records_and_opens_every_one(history: Ledger) -> None:
    result = verify(history.db)
    assert result.problems == []
    with history.db.read() as conn:
        kinds = set(
            conn.execute(
                select(t.ledger_entries.c.kind).where(
                    t.ledger_entries.c.sequence.in_(select(t.ledger_openings.c.sequence))
                )
            ).scalars()
        )
    assert {"report.created", "assessment.recorded", "measure.commented"} <= kinds
    assert {"restriction.recorded", "incident.merged", "incident.split"} <= kinds
    assert result.sealed == result.opened > 0


def test_a_sealed_reports_changed_row_names_its_entry_and_the_field(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        report_id = conn.execute(select(t.reports.c.id).limit(1)).scalar_one()
        conn.execute(update(t.reports).where(t.reports.c.id == report_id).values(narrative="x"))
        sequence = last_entry_of(conn, f"report:{report_id}")
    (problem,) = verify(db).problems
    assert problem.where == f"entry {sequence} (report:{report_id})"
    assert problem.reason.endswith("field 'narrative'")


def test_opening_an_agreements_record_to_every_party_behind_the_ledgers_back_is_named(
    history: Ledger,
) -> None:
    db = history.db
    with db.transaction() as conn:
        found = conn.execute(select(t.access_restrictions.c.id)).scalar_one()
        conn.execute(
            update(t.access_restrictions)
            .where(t.access_restrictions.c.id == found)
            .values(agreement_id=None)
        )
        sequence = last_entry_of(conn, f"restriction:{found}")
    (problem,) = verify(db).problems
    assert problem.where == f"entry {sequence} (restriction:{found})"
    assert problem.reason.endswith("field 'agreement_id'")


def alter_an_opening(ledger: Ledger, **values: object) -> int:
    """Change the first stored opening behind the ledger's back; its sequence."""
    with ledger.db.transaction() as conn:
        sequence = conn.execute(select(t.ledger_openings.c.sequence).limit(1)).scalar_one()
        openings = t.ledger_openings
        conn.execute(update(openings).where(openings.c.sequence == sequence).values(**values))
    return int(sequence)


def test_an_altered_opening_is_named(history: Ledger) -> None:
    db = history.db
    sequence = alter_an_opening(history, salt=bytes(32))
    problems = [str(p) for p in verify(db).problems]
    assert f"opening of entry {sequence}: is not what the entry commits to" in problems[0]


def test_an_opening_kept_under_another_agreement_is_named(history: Ledger) -> None:
    db = history.db
    sequence = alter_an_opening(history, agreement_id="minsk")
    (problem,) = verify(db).problems
    assert str(problem) == (
        f"opening of entry {sequence}: is kept under minsk, but the entry is syria's"
    )


def test_a_lost_opening_is_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        sequence = conn.execute(select(t.ledger_openings.c.sequence).limit(1)).scalar_one()
        conn.execute(delete(t.ledger_openings).where(t.ledger_openings.c.sequence == sequence))
    problems = [str(p) for p in verify(db).problems]
    assert f"entry {sequence}: is sealed, and no opening of it is kept" in problems
