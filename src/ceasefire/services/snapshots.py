"""The shared records as the ledger stood at a checkpoint, in a database of their own.

A snapshot replays the ledger's first ``size`` entries into a scratch database (SQLite, in
a temporary folder, removed afterwards): every record of every kind with the state its
latest entry below that size wrote (``store.history``), written back as rows
(``store.replicas``). What is not a record is derived from them as the services derive it
when they write — each incident summarised and classified from the reports it then held
and the regimes, actors, places, designations, accessions and areas of control as they
then stood, its joint finding from the assessments made by then — so the snapshot answers
every query of the live store as the store would have answered it at that checkpoint.

The daily report is issued from a snapshot and rebuilt from one (``report verify``): a
record changed since (a measure's status, a merge, a regime extended, a new assessment)
does not change what the rebuild reads. The snapshot holds every record, scoped ones
included (its reader filters them by audience, as it filters the live store); one made for
a day's report holds, of the reports, only those of the incidents it can count.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, func, select

from ceasefire.domain.errors import InvalidInputError
from ceasefire.services.derivations import derived_rows
from ceasefire.services.joints import refresh_joints
from ceasefire.services.rules import Rules
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import ledger as log_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.history import states_at
from ceasefire.store.proofs import root as log_root
from ceasefire.store.records import RECORD_TYPES, REPORT
from ceasefire.store.replicas import write_states
from ceasefire.store.states import changed_since

BATCH = 5_000  # incidents derived at a time
CHUNK = 500  # incidents named in one query
FEW = 20_000  # reports a snapshot asks for one by one; past that, and a quarter, all


@dataclass(frozen=True)
class Snapshot:
    """A scratch database holding the records as the ledger's first ``size`` entries left
    them, and the root of the log at that size (hex)."""

    db: Database
    size: int
    root: str


@contextmanager
def snapshot(
    db: Database, size: int | None = None, *, began: tuple[datetime, datetime] | None = None
) -> Iterator[Snapshot]:
    """The records as the ledger's first ``size`` entries left them (default: the latest
    checkpoint's size); the scratch database is removed when the block ends. ``began``:
    of the reports, hold only those of the incidents that began in that span by then, or
    that a finding was recorded on (``_reports_of``), rather than every report."""
    with db.read() as conn:
        size = _size(conn, size)
        root = log_root(conn, size).hex()
    with tempfile.TemporaryDirectory(prefix="ceasefire-snapshot-") as folder:
        scratch = Database(f"sqlite:///{Path(folder) / 'snapshot.sqlite'}")
        try:
            scratch.migrate()
            _replay(db, scratch, size, began)
            yield Snapshot(scratch, size, root)
        finally:
            scratch.dispose()


def _size(conn: Connection, size: int | None) -> int:
    if size is None:
        latest = checkpoint_store.load_checkpoint(conn)
        if latest is None:
            raise InvalidInputError("checkpoint", "the ledger has no checkpoint yet")
        return latest.checkpoint.size
    logged = log_store.DatabaseLog(conn).size
    if not 0 < size <= logged:
        raise InvalidInputError("checkpoint_size", f"{size} is not a size of the ledger")
    return size


def _replay(
    db: Database, scratch: Database, size: int, began: tuple[datetime, datetime] | None
) -> None:
    """Write every record's state at ``size`` into the scratch database, reports last,
    then derive the incidents. Foreign keys are off while it is written: a record's rows may
    come before those of a record it names (an incident is derived once its reports are in)."""
    with db.read() as source, scratch.engine.connect() as target:
        raw = target.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("PRAGMA synchronous=OFF")  # a scratch copy: nothing to keep through a crash
        try:
            with target.begin():
                for kind in RECORD_TYPES.values():
                    if kind is not REPORT:
                        for batch in states_at(source, kind, size):
                            write_states(target, kind, batch)
                _reports_of(source, target, size, began)
                _derive_incidents(target)
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def _reports_of(
    source: Connection, target: Connection, size: int, began: tuple[datetime, datetime] | None
) -> None:
    """Write the reports' states at ``size``: every report's, or only those of the incidents
    that began in ``began`` or that a finding was recorded on by then, and all of each one's
    reports (so that each is summarised and classified as it then stood).

    The live rows only choose which records to read, never what they hold: a report's state
    at ``size`` is its row's unless an entry from there on wrote it (``changed``), so every
    report of such an incident is among those whose row began in the span, whose row names
    an incident one of them named, or that an entry changed since. A row changed behind
    the ledger's back can make the snapshot leave a report out (and a rebuild differ); it
    cannot put one in that the ledger does not hold."""
    first: set[str] = set()
    if began is not None:
        r = t.reports.c
        started = select(r.id).where(r.time_start >= began[0], r.time_start < began[1])
        assessed = select(t.assessments.c.incident_id).distinct()
        first = {REPORT.record((i,)) for i in source.execute(started).scalars()}
        first |= changed_since(source, REPORT.name, size)
        first |= _reports_in(source, [int(i) for i in target.execute(assessed).scalars()])
    if began is None or _most(source, len(first)):
        for batch in states_at(source, REPORT, size):
            write_states(target, REPORT, batch)
        return
    incidents: set[int] = set()
    for batch in states_at(source, REPORT, size, first):
        write_states(target, REPORT, batch)
        incidents.update(int(state["incident_id"]) for state in batch.values())
    for batch in states_at(source, REPORT, size, _reports_in(source, incidents) - first):
        write_states(target, REPORT, batch)


def _most(conn: Connection, wanted: int) -> bool:
    """Whether so many reports are wanted that one pass over them all is quicker than
    asking for each (tens of thousands, a quarter of those stored)."""
    if wanted <= FEW:
        return False
    stored = conn.execute(select(func.count()).select_from(t.reports)).scalar_one()
    return wanted * 4 > int(stored)


def _reports_in(conn: Connection, incident_ids: Collection[int]) -> set[str]:
    """The reports whose rows name one of these incidents."""
    ids, r = sorted(incident_ids), t.reports.c
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        query = select(r.id).where(r.incident_id.in_(ids[start : start + CHUNK]))
        found.update(REPORT.record((i,)) for i in conn.execute(query).scalars())
    return found


def _derive_incidents(conn: Connection) -> None:
    """Each incident its reports name, summarised and classified from them as the services
    do, with its joint finding from its assessments."""
    r, a = t.reports.c, t.assessments.c
    ids = sorted(int(i) for i in conn.execute(select(r.incident_id).distinct()).scalars())
    assessed = {int(i) for i in conn.execute(select(a.incident_id).distinct()).scalars()}
    rules = Rules.load(conn)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        _derive(conn, rules, chunk)
        refresh_joints(conn, [i for i in chunk if i in assessed])


def _derive(conn: Connection, rules: Rules, incident_ids: Sequence[int]) -> None:
    rows, assessment = derived_rows(conn, rules, incident_ids)
    incident_store.insert_incidents(conn, rows, incident_ids)
    incident_store.set_regimes(conn, incident_ids, assessment, fresh=True)
