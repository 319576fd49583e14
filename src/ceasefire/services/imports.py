"""Bulk import of event files: stream rows, quarantine the bad ones, store the good ones
in batches through the same path as single reports. Re-importing a file adds nothing."""

from __future__ import annotations

import gc
import time as clock
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sqlalchemy import Connection

from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.events import AS_GIVEN, Report
from ceasefire.ingest.rows import ParsedRow, RowError
from ceasefire.services.ledger import Ledger
from ceasefire.services.recording import Recorded, record_reports
from ceasefire.services.rules import Rules
from ceasefire.services.scopes import choose_scope
from ceasefire.services.writers import Writer
from ceasefire.store import ledger as log_store
from ceasefire.store import reports as report_store
from ceasefire.store.database import Database

HOLD_TARGET = 0.08  # seconds an import's transaction may hold the log's lock, as a rule
HOLD_WANTED = 0.015  # ... and while other writes wait for it
# SQLite: chunks up to 250 ms, in parts of 50 ms (a chunk ends after the part during which
# a write came to wait: ``_record_parts``). Short transactions over a large database's
# indexes rewrite their pages again and again, each in the WAL and then in the database:
# 30,000 rows into a database of 1,000,000 wrote 5.3 GB with 80 ms chunks, 4.0 with these,
# and took 11 % less time. PostgreSQL's import took longer with them (docs/benchmarks.md).
SQLITE_HOLD_TARGET = 0.25
PART = 0.05
# the first chunk's size, before any was timed: small, as a chunk whose reports join stored
# incidents costs far more a report (500 of them held the lock 0.8 s in a database of
# 120,000 reports, on 2 slow cores), and the API's writes wait for it; the next ones grow
FIRST_CHUNK = 50
READ_AHEAD = 10_000  # rows read, then stored in time order in chunks


@dataclass(slots=True)
class ImportSummary:
    read: int = 0
    imported: int = 0
    quarantined: int = 0
    already_present: int = 0
    incidents_created: int = 0
    joined_incidents: int = 0
    widened: int = 0  # reports whose fatality range the source gave out of order

    def line(self) -> str:
        widened = (
            f"; {self.widened} fatality ranges given out of order were widened to hold every "
            f"figure (as given in the attribute {AS_GIVEN})"
            if self.widened
            else ""
        )
        return (
            f"read {self.read}, imported {self.imported}, quarantined {self.quarantined}, "
            f"already present {self.already_present}; {self.incidents_created} new incidents, "
            f"{self.joined_incidents} reports joined existing incidents{widened}"
        )


def import_events(
    ledger: Ledger,
    rows: Iterable[ParsedRow | RowError],
    *,
    on_error: Callable[[RowError], None],
    settings: CorrelationSettings | None = None,
    chunks: Chunks | None = None,
    on_batch: Callable[[ImportSummary], None] | None = None,
    author: str | None = None,
    agreement_id: str | None = None,
) -> ImportSummary:
    """Import parsed rows; each bad row goes to ``on_error`` (nothing is dropped silently).
    Each chunk is one transaction, signed as one ledger batch by ``author`` (default: the
    host), so an interrupted import keeps what it stored and a second run picks up the rest;
    chunks are sized to hold the log's lock about ``HOLD_TARGET`` seconds each (SQLite:
    ``SQLITE_HOLD_TARGET``, in parts), so that other writes (the API's) never wait long
    behind a bulk import (``Chunks``). The reports are open to every party, or scoped to
    ``agreement_id``'s parties."""
    settings = settings or CorrelationSettings()
    if agreement_id is not None:
        with ledger.db.read() as conn:
            host = ledger.host_party
            choose_scope(conn, author or host, agreement_id, host=host)  # checks it first
    target = _Target(ledger, author, agreement_id)
    if chunks is None:
        sqlite = ledger.db.is_sqlite
        chunks = Chunks(target=SQLITE_HOLD_TARGET) if sqlite else Chunks(parts=False)
    with _cyclic_gc_paused():
        return _import(target, rows, on_error, settings, chunks, on_batch)


@dataclass(frozen=True, slots=True)
class _Target:
    ledger: Ledger
    author: str | None
    agreement_id: str | None = None


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Reports free themselves by reference counting; the cyclic collector would only walk
    the millions of objects a big import keeps alive, over and over (a third of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Chunks:
    """How many reports the next transaction stores: as many as keep it holding the log's
    lock (which every other write waits for) about ``target`` seconds, or ``wanted``
    seconds once another write waited for it, measured as the import goes, between
    ``least`` and ``most``. A chunk shrinks at once and grows gently: while the API files
    reports, the import runs in short transactions between their groups, and goes back to
    long ones (fewer commits, a faster import) once they have stopped."""

    def __init__(
        self,
        target: float = HOLD_TARGET,
        first: int = FIRST_CHUNK,
        least: int = 20,
        most: int = 20_000,
        wanted: float = HOLD_WANTED,
        *,
        parts: bool = True,
    ) -> None:
        self.target, self.wanted, self.least, self.most = target, wanted, least, most
        self.parts = parts  # store a chunk in parts of about ``PART`` seconds
        self.size = first
        self.log_end: int | None = None  # the log's size after the import's last chunk
        self.per_report: float | None = None  # seconds a report held the lock, last chunk

    @property
    def part(self) -> int:
        """How many reports a chunk stores before it asks whether another write waits:
        as many as hold the lock about ``PART`` seconds."""
        if self.per_report is None or not self.parts:
            return self.size
        return max(1, min(self.size, int(PART / self.per_report)))

    def measured(self, count: int, seconds: float, *, waited: bool = False) -> None:
        """``count`` reports held the lock ``seconds``; ``waited``: another write waited."""
        hold = self.wanted if waited else self.target
        if count > 0 and seconds > 0:
            self.per_report = seconds / count
        if seconds <= 0 or (count < self.size and seconds < hold):
            return  # the file's last, short chunk says nothing
        fits = count * hold / seconds
        size = fits if fits < self.size else (self.size * fits) ** 0.5
        self.size = max(self.least, min(self.most, int(size)))


def _import(
    target: _Target,
    rows: Iterable[ParsedRow | RowError],
    on_error: Callable[[RowError], None],
    settings: CorrelationSettings,
    chunks: Chunks,
    on_batch: Callable[[ImportSummary], None] | None,
) -> ImportSummary:
    summary = ImportSummary()
    first_row: dict[tuple[str, str], int] = {}
    batch: list[Report] = []

    def flush() -> None:
        # read ahead, in time order: a chunk's reports then lie close in time, and the
        # stored incidents they could join are read from a narrow window
        batch.sort(key=lambda r: r.time.start)
        while batch:
            chunk = batch[: chunks.size]
            del batch[: len(chunk)]
            batch[:0] = _store_batch(target, chunk, settings, summary, chunks)
            if on_batch is not None:
                on_batch(summary)

    for item in rows:
        summary.read += 1
        if isinstance(item, RowError):
            summary.quarantined += 1
            on_error(item)
            continue
        key = (item.report.source, item.report.source_id)
        if first_row.setdefault(key, item.row) != item.row:
            summary.already_present += 1  # the file repeats a record it holds already
            continue
        batch.append(item.report)
        if len(batch) >= READ_AHEAD:
            flush()
    if batch:
        flush()
    if summary.imported:
        target.ledger.checkpoint_now()  # the last batch, whatever the checkpoint interval
        target.ledger.db.analyze()
    return summary


def _store_batch(
    target: _Target,
    batch: list[Report],
    settings: CorrelationSettings,
    summary: ImportSummary,
    chunks: Chunks,
) -> list[Report]:
    """Store a chunk: what needs no lock first (reports already stored, actors resolved,
    scope), then one write, timed to size the next chunk. The rules are those of the
    chunk's own write: a regime or an actor's name agreed while an import runs counts for
    every chunk stored after it. The write ends early when another write comes to wait
    for the lock (``_record_parts``); the reports it left, for the next chunk."""
    by_source = _by_source(batch)
    with target.ledger.db.read() as conn:
        seen = log_store.DatabaseLog(conn).size  # the log the presence check read
        new = _not_stored(conn, by_source, summary)
        rules = target.ledger.rules(conn)
    resolved = _resolved(target, rules, new)
    began = 0.0
    # committed without waiting for the disk: a power cut may take back the last chunks (a
    # second run adds them); the checkpoint the import signs at its end makes them durable
    with target.ledger.db.unsynced(), target.ledger.write(target.author) as writer:
        began = clock.perf_counter()  # once the log's lock is held
        current = writer.rules()
        if writer.start != seen:  # others wrote since: another import of the file, say
            new = _not_stored(writer.conn, _by_source(new), summary)
            kept = {(r.source, r.source_id) for r in new}
            resolved = [r for r in resolved if (r.source, r.source_id) in kept]
        if current is not rules:  # changed since they were read: resolve the actors again
            resolved = _resolved(target, current, new)
        db = target.ledger.db
        stored, recorded = _record_parts(db, writer, current, resolved, settings, chunks)
        others_wrote = chunks.log_end is not None and writer.start > chunks.log_end
    held = clock.perf_counter() - began
    chunks.log_end = writer.tail.size
    left = {(r.source, r.source_id) for r in resolved[stored:]}
    rest = [r for r in new if (r.source, r.source_id) in left]
    # other writes came in since the last chunk, or wait now (and took the lock at once)
    waited = bool(rest) or others_wrote or log_store.log_busy(target.ledger.db)
    chunks.measured(len(batch) - len(rest), held, waited=waited)  # stored, or present
    summary.imported += stored
    summary.widened += sum(AS_GIVEN in r.attributes for r in resolved[:stored])
    summary.incidents_created += recorded.created
    summary.joined_incidents += recorded.joined
    return rest


def _record_parts(
    db: Database,
    writer: Writer,
    rules: Rules,
    reports: list[Report],
    settings: CorrelationSettings,
    chunks: Chunks,
) -> tuple[int, Recorded]:
    """Record the reports in parts of ``chunks.part``, in one write; after each part but
    the last, end if another write waits for the lock: a long chunk (which rewrites fewer
    pages of a large database's indexes than short ones) then keeps a write that comes to
    wait no longer than a part, and its own signing and commit. How many were recorded."""
    created = joined = done = 0
    step = chunks.part
    while done < len(reports):
        recorded = record_reports(writer, rules, reports[done : done + step], settings)
        created, joined = created + recorded.created, joined + recorded.joined
        done += step
        if done < len(reports) and log_store.log_wanted(writer.conn, db):
            break
    return min(done, len(reports)), Recorded(created, joined)


def _by_source(reports: list[Report]) -> dict[str, list[Report]]:
    by_source: dict[str, list[Report]] = {}
    for report in reports:
        by_source.setdefault(report.source, []).append(report)
    return by_source


def _not_stored(
    conn: Connection, by_source: dict[str, list[Report]], summary: ImportSummary
) -> list[Report]:
    """The reports not stored yet (by source and source id); the others are counted as
    already present."""
    new: list[Report] = []
    for source, reports in by_source.items():
        present = report_store.existing_source_ids(conn, source, [r.source_id for r in reports])
        summary.already_present += len(present)
        new.extend(r for r in reports if r.source_id not in present)
    return new


def _resolved(target: _Target, rules: Rules, reports: list[Report]) -> list[Report]:
    resolved = [rules.resolve_actors(r) for r in reports]
    if target.agreement_id is not None:
        resolved = [replace(r, agreement_id=target.agreement_id) for r in resolved]
    return resolved
