"""An import's chunks: long while it has the log to itself, short while other writes come in."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, text

from builders import report, scenario
from ceasefire.domain.events import EventTime
from ceasefire.domain.precision import TimePrecision
from ceasefire.ingest.rows import ParsedRow
from ceasefire.services import imports, recording
from ceasefire.services.imports import Chunks, ImportSummary, import_events
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import ledger as log_store
from ceasefire.store import reports as report_store
from ceasefire.store.database import Database


def test_a_chunk_that_held_the_lock_too_long_shrinks_at_once_and_grows_back_gently() -> None:
    chunks = Chunks(target=0.08, wanted=0.02, first=1000, least=10, most=20_000)
    chunks.measured(1000, 0.16)  # twice the time it may hold: half the size, at once
    assert chunks.size == 500
    chunks.measured(500, 0.02)  # a quarter: the size grows towards four times, by halves
    assert chunks.size == 1000


def test_a_chunk_that_other_writes_waited_for_is_followed_by_a_short_one() -> None:
    chunks = Chunks(target=0.08, wanted=0.02, first=1000, least=10, most=20_000)
    chunks.measured(1000, 0.08, waited=True)
    assert chunks.size == 250
    chunks.measured(250, 0.02, waited=True)  # while writes keep coming in, it stays short
    assert chunks.size == 250
    chunks.measured(250, 0.02)  # once they have stopped, it grows again
    assert chunks.size == 500


def test_the_last_short_chunk_of_a_file_says_nothing_about_the_next() -> None:
    chunks = Chunks(target=0.08, first=1000)
    chunks.measured(10, 0.001)
    assert chunks.size == 1000


def test_an_import_shortens_its_next_chunk_once_another_write_came_in(ledger: Ledger) -> None:
    """A report filed between two of an import's chunks (as the API files one while an
    import runs) makes the import's next chunk hold the log's lock for a short time only."""
    load_scenario(ledger, scenario())
    chunks = Chunks(target=3600.0, wanted=1e-9, first=2, least=1, most=2)
    sizes: list[int] = []

    def between(summary: ImportSummary) -> None:
        sizes.append(chunks.size)
        if summary.imported == 2:
            submit_report(ledger, report("filed", source="us"), author="us")

    rows = [ParsedRow(i + 1, report(f"g{i}", source="ged", lon=36 + i / 100)) for i in range(6)]
    summary = import_events(
        ledger, rows, on_error=lambda e: pytest.fail(str(e)), chunks=chunks, on_batch=between
    )
    assert summary.imported == 6
    assert sizes[1] == 1  # the chunk after the filed report
    if ledger.db.is_sqlite:  # (on PostgreSQL, tests in other schemas take the same lock)
        assert sizes == [2, 1, 2, 2]  # and back to long chunks once no write came in


def test_a_report_known_only_to_its_year_does_not_widen_what_a_chunk_reads(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Correlation never compares an event known only to its month or year, so a chunk reads
    the stored incidents around its better-dated reports alone: a year-dated report among
    them once made it read every incident of that year (~10,000 in a large database,
    holding the log's lock 300-400 ms while the API waited)."""
    load_scenario(ledger, scenario())
    for n, day in enumerate([date(2016, 3, 2), date(2016, 9, 15), date(2016, 11, 30)]):
        submit_report(ledger, report(f"p{n}", source="us", day=day), author="us")
    read = _reads(monkeypatch)
    year = EventTime.dates(date(2016, 1, 1), date(2016, 12, 31), TimePrecision.YEAR)
    rows = [
        ParsedRow(1, report("g1", source="ged", day=date(2016, 3, 2))),
        ParsedRow(2, replace(report("g2", source="ged"), time=year)),
    ]
    summary = import_events(ledger, rows, on_error=lambda e: pytest.fail(str(e)))
    assert summary.imported == 2
    assert len(read) == 1  # p0's alone: not September's and November's
    read.clear()
    months = [ParsedRow(1, replace(report("g3", source="ged"), time=year))]
    assert import_events(ledger, months, on_error=lambda e: pytest.fail(str(e))).imported == 1
    assert read == []  # nothing it could join: nothing read


def test_a_chunk_of_reports_far_apart_reads_the_incidents_around_each_not_between(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports a country apart in one write read a window of their own each: one box around
    them all held nearly every stored incident (around eight filed reports spread over 4 by
    2.5 degrees, 20,269 of 25,000, 16.5 ms under the log's lock on SQLite)."""
    load_scenario(ledger, scenario())
    day = date(2016, 3, 2)
    stored = [
        submit_report(ledger, report(f"p{n}", source="us", day=day, lon=lon, lat=lat), author="us")
        for n, (lon, lat) in enumerate([(36.0, 33.0), (37.0, 34.0), (38.0, 35.0)])
    ]
    read = _reads(monkeypatch)
    rows = [
        ParsedRow(1, report("g1", source="ged", day=day, lon=36.01, lat=33.01)),
        ParsedRow(2, report("g2", source="ged", day=day, lon=38.01, lat=35.01)),
    ]
    assert import_events(ledger, rows, on_error=lambda e: pytest.fail(str(e))).imported == 2
    west, between, east = (s.incident_id for s in stored)
    assert between not in read  # the incident between them is not read
    assert sorted(read) == [west, east]  # the incident by each is


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the stored incidents each chunk reads to correlate with, as they are read."""
    read: list[int] = []
    near = recording.nearby_store.footprints_near

    def reading(*args: Any, **kwargs: Any) -> Any:
        found = near(*args, **kwargs)
        read.extend(incident.id for incident in found)
        return found

    monkeypatch.setattr(recording.nearby_store, "footprints_near", reading)
    return read


def test_two_imports_of_one_file_at_once_store_each_report_once(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another import of the same rows stores some of a chunk's reports after the chunk
    looked for them and before it writes (two imports of one file at once): the chunk
    stores the others and counts those as already present, where its insert failed on the
    reports' unique source ids."""
    load_scenario(ledger, scenario())
    rows = [ParsedRow(i + 1, report(f"g{i}", source="ged", lon=36 + i / 100)) for i in range(6)]
    resolve = imports._resolved
    raced: list[ImportSummary] = []

    def resolved_while_another_imports(*args: Any) -> Any:
        # once, in the first chunk: it has looked for its reports and will write them next
        monkeypatch.setattr(imports, "_resolved", resolve)
        raced.append(import_events(ledger, rows[:4], on_error=lambda e: pytest.fail(str(e))))
        return resolve(*args)

    monkeypatch.setattr(imports, "_resolved", resolved_while_another_imports)
    summary = import_events(ledger, rows, on_error=lambda e: pytest.fail(str(e)))
    assert raced[0].imported == 4
    assert (summary.imported, summary.already_present) == (2, 4)
    with ledger.db.read() as conn:
        stored = report_store.existing_source_ids(conn, "ged", [f"g{i}" for i in range(6)])
    assert stored == {f"g{i}" for i in range(6)}


def test_a_chunk_ends_early_when_a_write_comes_to_wait_and_the_next_stores_the_rest(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long chunk stores its reports in parts; a write that comes to wait for the log's
    lock after the first part (a real one, waiting as another process's would) ends the
    chunk there, gets the lock, and the import stores the rest once, in later chunks."""
    load_scenario(ledger, scenario())
    db = ledger.db
    # another process's write: on SQLite a second handle on the file waits on its lock file
    other = Database(db.url) if db.is_sqlite else db
    waiting: list[threading.Thread] = []
    wrote: list[int] = []
    backend: list[int] = []  # PostgreSQL: the other write's session

    def write_alone() -> None:
        with other.transaction() as conn:
            if not db.is_sqlite:
                backend.append(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
            log_store.lock_log(conn)
            wrote.append(log_store.DatabaseLog(conn).size)

    def it_waits(conn: Connection) -> bool:
        if db.is_sqlite:
            return log_store.log_wanted(conn, db)
        # this one (tests in other schemas take the same lock, and may be the ones waiting)
        query = "SELECT NOT granted FROM pg_locks WHERE locktype = 'advisory' AND pid = :pid"
        return bool(backend) and bool(conn.execute(text(query), {"pid": backend[0]}).scalar())

    record = imports.record_reports

    def first_part_then_a_writer_waits(*args: Any) -> Any:
        done = record(*args)
        if not waiting:
            waiting.append(threading.Thread(target=write_alone))
            waiting[0].start()
            deadline = time.monotonic() + 10
            while not it_waits(args[0].conn):
                assert time.monotonic() < deadline, "the other write never came to wait"
                time.sleep(0.005)
        return done

    monkeypatch.setattr(imports, "record_reports", first_part_then_a_writer_waits)
    chunks = Chunks(target=3600.0, first=6, least=1, most=6)
    chunks.per_report = imports.PART / 2  # parts of two reports
    sizes: list[int] = []
    rows = [ParsedRow(i + 1, report(f"g{i}", source="ged", lon=36 + i / 100)) for i in range(6)]
    summary = import_events(
        ledger,
        rows,
        on_error=lambda e: pytest.fail(str(e)),
        chunks=chunks,
        on_batch=lambda s: sizes.append(s.imported),
    )
    waiting[0].join(10)
    assert sizes[0] == 2  # the first chunk ended after its first part
    assert summary.imported == 6 and summary.already_present == 0
    with db.read() as conn:
        stored = report_store.existing_source_ids(conn, "ged", [f"g{i}" for i in range(6)])
    assert stored == {f"g{i}" for i in range(6)}
    assert not waiting[0].is_alive() and len(wrote) == 1  # the other write got its turn
    if other is not db:
        other.dispose()


def test_chunks_without_parts_store_a_chunk_whole() -> None:
    """PostgreSQL's imports (``import_events`` chooses): one part, whatever it measured."""
    chunks = Chunks(first=500, parts=False)
    chunks.per_report = imports.PART / 2
    assert chunks.part == 500
    assert Chunks(first=500).part == 500  # nothing measured yet: the whole chunk
