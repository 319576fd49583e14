"""A snapshot of the ledger at a checkpoint holds every record as the ledger then stood, on
SQLite and PostgreSQL: at the latest checkpoint exactly what the store holds (records of
every kind, and incidents derived with the same classification, reasons and joint
findings), at an earlier one what the store held then, whatever changed since in the
ledger or behind its back; a sealed entry it cannot open is an error naming the entry."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from builders import report, scenario
from ceasefire.cli import app
from ceasefire.domain.daily import DEFAULT_CUTOFF, reach
from ceasefire.domain.designations import DesignationList, Row
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.humanitarian import Decision, Delivery, Location, Request, RequestKind
from ceasefire.domain.measures import MeasureStatus
from ceasefire.domain.regimes import Extension
from ceasefire.domain.states import State
from ceasefire.domain.workflow import Confidence, Finding, Role
from ceasefire.reports.daily import agreement_audience
from ceasefire.reports.documents import daily_document
from ceasefire.services import designations, humanitarian
from ceasefire.services.accounts import Accounts
from ceasefire.services.actors import map_name
from ceasefire.services.daily_reports import Issuing, issue_daily_report
from ceasefire.services.findings import Assessing, assess, set_status
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.merges import merge_incidents, split_incident
from ceasefire.services.regimes import extend_regime
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.snapshots import Snapshot, snapshot
from ceasefire.store import incidents as incident_store
from ceasefire.store import ledger as log_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database, sqlite_file
from ceasefire.store.incidents import StoredIncident
from ceasefire.store.proofs import root as log_root
from ceasefire.store.records import RECORD_TYPES, all_states
from conftest import PASSWORD_MEMORY_KIB
from services.test_upgrades import Run, backend, release, run
from services.test_verification import history, ledger_tz

__all__ = ["backend", "history", "release", "run"]
Records = dict[str, dict[str, State]]


def records(db: Database) -> Records:
    """Every shared record's state, by kind, as the database's rows give it."""
    with db.read() as conn:
        return {
            name: {r: s for batch in all_states(conn, kind) for r, s in batch.items()}
            for name, kind in RECORD_TYPES.items()
        }


def incidents(db: Database) -> list[StoredIncident]:
    """Every incident with its verdicts, reasons (in English) and joint finding."""
    with db.read() as conn:
        ids = incident_store.all_incident_ids(conn)
        return incident_store.find_incidents(conn, ids, EVERYTHING, explain=True)


def size_of(db: Database) -> int:
    with db.read() as conn:
        return log_store.DatabaseLog(conn).size


def _officer(ledger: Ledger, party: str) -> Any:
    accounts = Accounts(ledger.db, memory_kib=PASSWORD_MEMORY_KIB)
    return accounts.add_user(party, f"{party}-officer-2", role=Role.OFFICER, password=None)


@pytest.fixture
def every_kind(history: Ledger) -> Ledger:
    """The history, with a designation list and a submission to it, humanitarian access,
    a name mapped and a daily report issued."""
    issg = DesignationList("issg", "ISSG list", ("us", "ru"))
    designations.save_list(history, issg)
    designations.submit(history, "issg", "ru", [Row(1, "Jabhat al-Nusra")])
    location = Location("madaya", "Madaya", 36.1, 33.69, agreement_id="syria")
    humanitarian.add_location(history, location, author="us")
    request = humanitarian.record_request(
        history,
        Request(0, "madaya", RequestKind.CONVOY, "OCHA", date(2016, 3, 1), people=4_000),
        author="us",
    )
    humanitarian.record_decision(
        history, request.id, Decision.APPROVED, decided=date(2016, 3, 2), decided_by="GoS"
    )
    delivery = Delivery(0, request.id, date(2016, 3, 2), people_reached=3_500, items="food")
    humanitarian.record_delivery(history, delivery, author="us")
    map_name(history, "Syrian government forces", "saa", author="ru")
    body = b"<html>the report of 2 March 2016</html>"
    drawn_by = {"ceasefire": "0.1.0", "drawing": "0123456789abcdef"}
    issuing = Issuing("syria", date(2016, 3, 2), time(19, 30), "en", "html", body, 1, drawn_by)
    issue_daily_report(history, issuing, None)
    return history


def test_at_the_latest_checkpoint_a_snapshot_holds_what_the_store_holds(
    every_kind: Ledger,
) -> None:
    db = every_kind.db
    live = records(db)
    # the demo's registers (below), and an analyst's rejection of a correlation candidate
    # (tests/services/test_candidates.py), which no daily report reads
    absent = ("accession", "control_area", "candidate_rejection")
    assert [name for name in RECORD_TYPES if not live[name]] == list(absent)
    with snapshot(db) as state:
        assert state.size == size_of(db)
        with db.read() as conn:
            assert state.root == log_root(conn, state.size).hex()
        assert records(state.db) == live
        assert incidents(state.db) == incidents(db)
    joints = {i.joint for i in incidents(db)}
    assert "pending" in joints  # a finding by one co-chair of two, derived again


def test_the_demos_registers_are_held_as_the_store_holds_them(tmp_path: Path) -> None:
    """Accessions, areas of control, designations and actors' affiliations classify
    incidents too: the demo's, derived again in the snapshot, are classified the same."""
    path = tmp_path / "demo.sqlite"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CEASEFIRE_HOST_PARTY", "un")
        result = CliRunner().invoke(app, ["--db", f"sqlite:///{path}", "demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    db = Database(f"sqlite:///{path}")
    try:
        live = records(db)
        assert live["accession"] and live["control_area"] and live["place"]
        with snapshot(db) as state:
            assert records(state.db) == live
            assert incidents(state.db) == incidents(db)
    finally:
        db.dispose()


def test_an_earlier_checkpoint_holds_the_records_as_they_were_then(history: Ledger) -> None:
    db = history.db
    before, derived, size = records(db), incidents(db), size_of(db)
    us, ru = _officer(history, "us"), _officer(history, "ru")
    (measure_id,) = [int(r.split(":")[1]) for r in before["measure"]]
    set_status(history, us, measure_id, MeasureStatus.AGREED)
    incident = next(i for i in derived if i.joint == "pending")
    assess(history, ru, incident.id, Assessing(Finding.VIOLATION, Confidence.LOW, "also seen"))
    extend_regime(history, "coh", Extension(datetime(2017, 6, 30, tzinfo=ledger_tz())))
    merge_incidents(history, [i.id for i in derived[:2]])
    after = records(db)
    assert after["measure"] != before["measure"] and after["regime"] != before["regime"]
    assert after["report"] != before["report"] and len(after["assessment"]) > 1
    with snapshot(db, size) as state:
        assert state.size == size
        assert records(state.db) == before
        assert incidents(state.db) == derived
    with snapshot(db) as state:
        assert records(state.db) == after


def test_a_row_changed_behind_the_ledgers_back_is_not_what_a_snapshot_holds(
    history: Ledger,
) -> None:
    db = history.db
    before = records(db)
    with db.transaction() as conn:
        conn.execute(update(t.reports).values(narrative="CHANGED BEHIND THE LEDGER'S BACK"))
        conn.execute(update(t.response_measures).values(status="done"))
    with snapshot(db) as state:
        assert records(state.db) == before


def _latest_measure_entry(db: Database) -> tuple[int, str]:
    """The sequence and record of the measure's latest entry: sealed (every measure is
    scoped to its agreement), and what a snapshot reads the measure from."""
    e = t.ledger_entries
    with db.read() as conn:
        query = select(e.c.sequence, e.c.record).where(e.c.record.like("measure:%"))
        sequence, record = conn.execute(query.order_by(e.c.sequence.desc()).limit(1)).one()
    return int(sequence), str(record)


def test_a_sealed_entry_without_its_opening_is_named(history: Ledger) -> None:
    db = history.db
    sequence, record = _latest_measure_entry(db)
    o = t.ledger_openings
    with db.transaction() as conn:
        conn.execute(delete(o).where(o.c.sequence == sequence))
    with (
        pytest.raises(
            InvalidInputError, match="is sealed, and this database keeps no opening"
        ) as raised,
        snapshot(db),
    ):
        pass
    assert raised.value.field == f"entry {sequence} ({record})"


def test_an_opening_that_is_not_what_its_entry_commits_to_is_named(history: Ledger) -> None:
    db = history.db
    sequence, record = _latest_measure_entry(db)
    o = t.ledger_openings
    with db.transaction() as conn:
        conn.execute(update(o).where(o.c.sequence == sequence).values(salt=bytes(32)))
    with (
        pytest.raises(InvalidInputError, match="is not what the entry commits to") as raised,
        snapshot(db),
    ):
        pass
    assert raised.value.field == f"entry {sequence} ({record})"


@pytest.mark.parametrize("size", [0, 10_000])
def test_a_size_the_ledger_does_not_have_is_refused(history: Ledger, size: int) -> None:
    with (
        pytest.raises(InvalidInputError, match=f"^checkpoint_size: {size} is not a size"),
        snapshot(history.db, size),
    ):
        pass


def test_the_scratch_database_is_removed_afterwards(history: Ledger) -> None:
    # its own folder (other tests running beside it make and remove theirs meanwhile)
    with snapshot(history.db) as state:
        file = sqlite_file(state.db.url)
        assert file is not None and file.exists()
        folder = file.parent
        assert folder.name.startswith("ceasefire-snapshot-")
        assert folder.parent == Path(tempfile.gettempdir())
        assert records(state.db)["regime"]
    assert not folder.exists()


def test_a_release_databases_states_are_read_through_the_declared_upgrades(
    run: Run, release: Database
) -> None:
    """Release 0.1.0 wrote untagged version-0 states; after ``init`` signs their upgrades,
    a snapshot from before those entries reads the old states through the same upgrades,
    and holds what the upgraded store holds."""
    written = size_of(release)
    assert run("init").exit_code == 0
    assert size_of(release) > written  # the migrations, signed by the host
    with snapshot(release, written) as state:
        assert records(state.db) == records(release)
        assert incidents(state.db) == incidents(release)


def _day_report(state: Snapshot, day: date) -> bytes:
    audience = agreement_audience("syria")
    body, _ = daily_document(
        state.db, "syria", day, DEFAULT_CUTOFF, audience, "en", "html",
        checkpoint_size=state.size, checkpoint_root=state.root,
    )  # fmt: skip
    return body


def test_a_snapshot_for_a_days_report_holds_its_incidents_whole_and_no_other(
    ledger: Ledger,
) -> None:
    """Of the reports, a day's snapshot holds those of the incidents its report counts,
    each with all the reports it then held, found by the rows and by what changed since:
    an incident of the day merged with an older one (so no longer the day's) and split
    again after the checkpoint is read as it then stood, and a far older report is left
    out; the report is the same bytes as from a snapshot of every record."""
    load_scenario(ledger, scenario())
    day = date(2016, 3, 2)
    today = submit_report(ledger, report("wire-1", day=day), scope=None)
    near = submit_report(ledger, report("wire-2", day=day, lon=36.7, lat=34.7), scope=None)
    older = submit_report(ledger, report("wire-3", day=date(2015, 6, 1), lon=36.7, lat=34.7))
    far = submit_report(ledger, report("wire-4", day=date(2014, 1, 1)), scope=None)
    # began in 2015 now (months apart: the analyst confirms it)
    merge_incidents(ledger, [near.incident_id, older.incident_id], confirm_far=True)
    size = size_of(ledger.db)
    split_incident(ledger, near.incident_id, [older.id])
    began = reach(day, DEFAULT_CUTOFF)
    with snapshot(ledger.db, size, began=began) as some, snapshot(ledger.db, size) as every:
        held = records(some.db)["report"]
        assert sorted(held) == sorted(f"report:{r.id}" for r in (today, near, older))
        assert f"report:{far.id}" in records(every.db)["report"]
        assert [i for i in incidents(some.db) if i.id != today.incident_id] == [
            i for i in incidents(every.db) if i.id == near.incident_id
        ]
        narrowed, whole = _day_report(some, day), _day_report(every, day)
    assert narrowed == whole
    assert "1 incident since the last report" in narrowed.decode()
