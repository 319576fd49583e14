"""Tampering with a real database, SQLite and PostgreSQL, is always caught and named.

The history is the seeds' story in small: a host loads the agreement and its regime, two
co-chairs file reports, an incident is merged and split, a truce is extended. Then every
column of every row of shared state is changed in turn, rows are deleted and added behind
the ledger's back, entries are deleted, reordered and re-signed, and the log is rolled
back; ``verify_database`` must name the entry (or record) each time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Table, delete, func, select, update
from sqlalchemy.exc import DBAPIError

from builders import ending, report, scenario
from ceasefire.domain.measures import MeasureKind
from ceasefire.domain.regimes import Extension
from ceasefire.domain.workflow import Confidence, Finding, Role
from ceasefire.ledger import canonical_json, leaf_hash
from ceasefire.services.accounts import Accounts
from ceasefire.services.findings import Assessing, assess, comment, propose_measure
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.merges import merge_incidents, split_incident
from ceasefire.services.regimes import extend_regime
from ceasefire.services.restrictions import record_restriction
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import Verification, verify_database
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import ledger as log_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.records import RECORD_TYPES
from conftest import PASSWORD_MEMORY_KIB

ORIGIN = "ceasefire.localhost/ledger"


@pytest.fixture
def history(ledger: Ledger) -> Ledger:
    # the cessation as first declared, until 20 September 2016; extended below
    load_scenario(ledger, ending(scenario(), datetime(2016, 9, 20, tzinfo=ledger_tz())))
    a = submit_report(ledger, report("us-1", source="us"), author="us")
    submit_report(ledger, report("us-2", source="us", day=date(2016, 3, 9)), author="us")
    b = submit_report(ledger, report("ru-1", source="ru", lon=36.9), author="ru")
    submit_report(ledger, report("ru-2", source="ru", day=date(2016, 3, 9), lon=36.9), author="ru")
    merged = merge_incidents(ledger, [a.incident_id, b.incident_id], author="us").incident
    split_incident(ledger, merged.id, [b.id], author="ru")
    extend_regime(ledger, "coh", Extension(datetime(2016, 12, 31, tzinfo=ledger_tz())))
    accounts = Accounts(ledger.db, memory_kib=PASSWORD_MEMORY_KIB)
    us = accounts.add_user("us", "us-officer", role=Role.OFFICER, password=None)
    ru = accounts.add_user("ru", "ru-officer", role=Role.OFFICER, password=None)
    found = assess(
        ledger,
        us,
        a.incident_id,
        Assessing(Finding.VIOLATION, Confidence.HIGH, "seen", attributed_actor_id="saa"),
    )
    measure = propose_measure(
        ledger,
        ru,
        a.incident_id,
        kind=MeasureKind.DEMARCHE,
        description="démarche",
        owner_party="us",
        due=date(2016, 3, 9),
    )
    comment(ledger, us, measure.id, "noted")
    record_restriction(
        ledger,
        us,
        patrol="team 3",
        time=datetime(2016, 3, 4, 8, tzinfo=ledger_tz()),
        lon=36.3,
        lat=33.5,
        denied_by="Syrian Arab Army",
        reason="none given",
        duration_minutes=30,
    )
    assert found.joint.waiting_for == ("ru",)
    return ledger


def ledger_tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Damascus")


def verify(db: Database, **options: Any) -> Verification:
    return verify_database(db, origin=ORIGIN, **options)


def test_an_untouched_history_verifies_with_each_party_signing_its_own_writes(
    history: Ledger,
) -> None:
    result = verify(history.db)
    assert result.problems == []
    assert result.size == 22 and result.checkpoints == 12  # one checkpoint per write
    with history.db.read() as conn:
        authors = {
            (row.kind, row.author_party)
            for row in conn.execute(
                select(t.ledger_entries.c.kind, t.ledger_entries.c.author_party)
            )
        }
    assert {("key.added", "us"), ("key.added", "ru"), ("key.added", "host")} <= authors
    assert ("incident.merged", "us") in authors and ("incident.split", "ru") in authors
    assert ("regime.extended", "host") in authors


def altered(value: Any) -> Any:
    """A different value of the same type and length."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 0.001
    if isinstance(value, datetime):
        return value + timedelta(seconds=1)
    if isinstance(value, date):
        return value + timedelta(days=1)
    if isinstance(value, str) and value.startswith("{"):  # GeoJSON: one vertex moved a little
        geometry = json.loads(value)
        ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else None
        assert ring is not None, geometry["type"]
        ring[1] = [ring[1][0] + 0.001, ring[1][1]]
        return json.dumps(geometry)
    if isinstance(value, str):
        return value[:-1] + ("y" if value.endswith("x") else "x") if value else "x"
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return bytes([raw[0] ^ 1]) + raw[1:]
    if isinstance(value, list):
        return [*value, "x"]
    if isinstance(value, dict):
        return {**value, "x": "y"}
    raise AssertionError(f"no alteration for {value!r}")


def shared_columns() -> Iterator[tuple[Table, str]]:
    """Every column a record's declared state is read from."""
    for kind in RECORD_TYPES.values():
        for _, column, _ in kind.row_fields():
            yield kind.table, column
        for child in kind.children:
            if child.value is not None:
                yield child.table, child.value
            else:
                for f in kind.kind.current.field(child.field).items:
                    yield child.table, f.name


def identity(table: Table) -> list[str]:
    keys = [c.name for c in table.primary_key.columns]
    return keys or ["key"]  # actor_aliases: the unique alias key


def another_referenced(db: Database, table: Table, name: str, value: Any) -> Any:
    """The value to tamper with: for a column that refers to another table (a report's
    incident), another row that exists there; else the value altered."""
    (foreign, *_) = [*table.c[name].foreign_keys, None]
    if foreign is None:
        return altered(value)
    with db.read() as conn:
        other = conn.execute(
            select(foreign.column).where(foreign.column != value).order_by(foreign.column).limit(1)
        ).scalar()
    return altered(value) if other is None else other


def test_changing_any_column_of_any_shared_row_is_named(history: Ledger) -> None:
    db = history.db
    checked, missed, refused = [], [], []
    for table, name in shared_columns():
        with db.read() as conn:
            row = conn.execute(select(table).where(table.c[name].is_not(None)).limit(1)).first()
        if row is None:
            continue  # the history leaves this column empty everywhere
        values = row._mapping
        where = [table.c[k] == values[k] for k in identity(table)]
        changed = another_referenced(db, table, name, values[name])
        try:
            with db.transaction() as conn:
                conn.execute(update(table).where(*where).values({name: changed}))
        except DBAPIError:
            refused.append(f"{table.name}.{name}")  # a foreign key or type refuses the change
            continue
        problems = verify(db).problems
        restore = [table.c[k] == (changed if k == name else values[k]) for k in identity(table)]
        with db.transaction() as conn:
            conn.execute(update(table).where(*restore).values({name: values[name]}))
        checked.append(f"{table.name}.{name}")
        # the record is named first; what is derived from it (incidents) may follow
        if not problems or not ("entry" in problems[0].where or ":" in problems[0].where):
            missed.append(f"{table.name}.{name}: {problems}")
    assert missed == []
    assert len(checked) >= 60, (checked, refused)  # ids that foreign keys hold refuse
    assert verify(db).problems == []  # every change was undone


def test_a_changed_report_names_its_entry_and_the_field(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        report_id = conn.execute(select(t.reports.c.id).limit(1)).scalar_one()
        conn.execute(
            update(t.reports).where(t.reports.c.id == report_id).values(fatalities_best=99)
        )
        sequence = last_entry_of(conn, f"report:{report_id}")
    (problem,) = verify(db).problems
    assert problem.where == f"entry {sequence} (report:{report_id})"
    assert "field 'fatalities_best'" in problem.reason


def last_entry_of(conn: Connection, record: str) -> int:
    entries = t.ledger_entries
    found = conn.execute(
        select(entries.c.sequence)
        .where(entries.c.record == record)
        .order_by(entries.c.sequence.desc())
    ).first()
    assert found is not None
    return int(found[0])


def test_a_deleted_row_names_the_entry_that_wrote_it(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        report_id = (
            conn.execute(select(t.reports.c.id).order_by(t.reports.c.id.desc())).scalars().first()
        )
        sequence = last_entry_of(conn, f"report:{report_id}")
        conn.execute(delete(t.reports).where(t.reports.c.id == report_id))
    problem, *derived = verify(db).problems  # and its incident no longer adds up
    assert problem.where == f"entry {sequence} (report:{report_id})"
    assert "no longer holds" in problem.reason
    assert all(p.where.startswith("incident ") for p in derived)


def test_a_row_added_behind_the_ledgers_back_is_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        row = dict(conn.execute(select(t.reports).limit(1)).first()._mapping)  # type: ignore[union-attr]
        row.update(id=9999, source_id="forged")
        conn.execute(t.reports.insert().values(row))
    problem, *derived = verify(db).problems  # and the incident it joined no longer adds up
    assert problem.where == "report:9999"
    assert "no ledger entry wrote it" in problem.reason
    assert [p.where for p in derived] == [f"incident {row['incident_id']}"]


def test_a_deleted_entry_is_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        conn.execute(delete(t.ledger_entries).where(t.ledger_entries.c.sequence == 5))
    problems = verify(db).problems
    assert str(problems[0]) == "entry 5: is missing: the stored entries go from 4 to 6"


def test_two_entries_swapped_are_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        leaves = {
            s: (leaf, hashed) for s, leaf, hashed in log_store.stored_leaves(conn) if s in (10, 11)
        }
        for sequence, other in ((10, 11), (11, 10)):
            leaf, hashed = leaves[other]
            conn.execute(
                update(t.ledger_entries)
                .where(t.ledger_entries.c.sequence == sequence)
                .values(leaf=leaf, leaf_hash=hashed)
            )
    wheres = [p.where for p in verify(db).problems]
    assert any(w.startswith("entry 10 ") for w in wheres)
    assert any("says it is entry 11" in str(p) for p in verify(db).problems)


def single_signed(conn: Connection, party: str) -> tuple[int, dict[str, Any]]:
    """The last entry a party signed alone (not in a batch), as JSON."""
    for sequence, leaf, _ in reversed(list(log_store.stored_leaves(conn))):
        value = json.loads(leaf)
        if value["entry"]["author_party"] == party and "batch" not in value:
            return sequence, value
    raise AssertionError(f"{party} signed no entry alone")


def rewrite(conn: Connection, sequence: int, value: dict[str, Any]) -> None:
    data = canonical_json(value)
    conn.execute(
        update(t.ledger_entries)
        .where(t.ledger_entries.c.sequence == sequence)
        .values(leaf=data, leaf_hash=leaf_hash(data))
    )


def swap_signatures(conn: Connection) -> tuple[int, int]:
    """Swap the signatures of the last entries us and ru signed alone; their sequences."""
    us, us_leaf = single_signed(conn, "us")
    ru, ru_leaf = single_signed(conn, "ru")
    us_leaf["signature"], ru_leaf["signature"] = ru_leaf["signature"], us_leaf["signature"]
    rewrite(conn, us, us_leaf)
    rewrite(conn, ru, ru_leaf)
    return us, ru


def test_two_parties_signatures_swapped_are_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        us, ru = swap_signatures(conn)
    problems = [str(p) for p in verify(db).problems]
    assert any(
        p.startswith(f"entry {us} (") and "by us)" in p and "does not verify" in p for p in problems
    )
    assert any(
        p.startswith(f"entry {ru} (") and "by ru)" in p and "does not verify" in p for p in problems
    )


def test_an_entry_forged_under_another_partys_name_is_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        sequence, value = single_signed(conn, "ru")
        value["entry"]["author_party"] = "us"  # ru's write passed off as us's
        rewrite(conn, sequence, value)
    problems = [str(p) for p in verify(db).problems]
    assert any(p.startswith(f"entry {sequence} (") for p in problems), problems


def test_a_rollback_is_caught_by_a_checkpoint_kept_earlier(history: Ledger) -> None:
    db = history.db
    with db.read() as conn:
        kept = checkpoint_store.load_checkpoint(conn)
        assert kept is not None
    trusted = kept.cosigned_note()
    # The host undoes the last write (a restriction) everywhere: rows, entries, subtrees,
    # checkpoints. What is left is consistent on its own...
    with db.transaction() as conn:
        last = kept.checkpoint.size - 1
        assert (
            conn.execute(
                select(t.ledger_entries.c.kind).where(t.ledger_entries.c.sequence == last)
            ).scalar()
            == "restriction.recorded"
        )
        conn.execute(delete(t.access_restrictions))
        conn.execute(delete(t.ledger_entries).where(t.ledger_entries.c.sequence == last))
        conn.execute(delete(t.ledger_openings).where(t.ledger_openings.c.sequence == last))
        for level in range(1, 8):
            conn.execute(
                delete(t.ledger_subtrees).where(
                    t.ledger_subtrees.c.level == level,
                    (t.ledger_subtrees.c.index + 1) * (2**level) > last,
                )
            )
        conn.execute(delete(t.ledger_checkpoints).where(t.ledger_checkpoints.c.size > last))
    assert verify(db).problems == []
    # ...but not with the checkpoint a party kept.
    (problem,) = verify(db, trusted=trusted).problems
    assert problem.where == f"trusted checkpoint of size {last + 1}"
    assert "rolled back" in problem.reason


def test_an_early_entry_deleted_is_caught_by_a_checkpoint_kept_earlier(history: Ledger) -> None:
    db = history.db
    with db.read() as conn:
        kept = checkpoint_store.load_checkpoint(conn, checkpoint_store.checkpoint_sizes(conn)[1])
        assert kept is not None
    with db.transaction() as conn:
        conn.execute(delete(t.ledger_entries).where(t.ledger_entries.c.sequence == 0))
    problems = verify(db, trusted=kept.cosigned_note()).problems
    assert any(p.where == f"trusted checkpoint of size {kept.checkpoint.size}" for p in problems)


def test_a_changed_checkpoint_or_subtree_hash_is_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        size = checkpoint_store.checkpoint_sizes(conn)[0]
        note = conn.execute(
            select(t.ledger_checkpoints.c.note).where(t.ledger_checkpoints.c.size == size)
        ).scalar_one()
        lines = note.split("\n")
        lines[1] = str(int(lines[1]) + 1)
        conn.execute(
            update(t.ledger_checkpoints)
            .where(t.ledger_checkpoints.c.size == size)
            .values(note="\n".join(lines))
        )
        top = conn.execute(select(func.max(t.ledger_subtrees.c.level))).scalar_one()
        conn.execute(
            update(t.ledger_subtrees)
            .where(t.ledger_subtrees.c.level == top, t.ledger_subtrees.c.index == 0)
            .values(hash=b"\0" * 32)
        )
    wheres = {p.where for p in verify(db).problems}
    assert f"checkpoint of size {size + 1}" in wheres
    assert "subtree hashes" in wheres


def test_spread_over_processes_the_verifier_finds_the_same_problems(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        swap_signatures(conn)
        conn.execute(delete(t.ledger_entries).where(t.ledger_entries.c.sequence == 3))
        conn.execute(update(t.reports).where(t.reports.c.id == 1).values(narrative="x"))
    alone = verify(db, workers=0).problems
    spread = verify(db, workers=2).problems
    assert len(alone) >= 4
    assert spread == alone


def test_a_classification_changed_behind_the_ledgers_back_is_named(history: Ledger) -> None:
    db = history.db
    with db.transaction() as conn:
        incident_id = conn.execute(select(t.incidents.c.id).limit(1)).scalar_one()
        conn.execute(
            update(t.incidents)
            .where(t.incidents.c.id == incident_id)
            .values(classification="outside_regime")
        )
        conn.execute(
            delete(t.incident_regimes).where(t.incident_regimes.c.incident_id == incident_id)
        )
    (problem,) = verify(db).problems
    assert problem.where == f"incident {incident_id}"
    assert "'classification', 'verdicts'" in problem.reason
