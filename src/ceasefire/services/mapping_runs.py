"""Resolving again the stored reports that give a name an analyst mapped: a run apart from
the request that mapped it, since on a million reports one name may be given by half of
them and the run takes minutes. The mapping's write records the run (``mapping_runs``);
whoever holds the runs' lock takes up every unfinished one: a thread of each server process
(``MappingRunner``, at once for a mapping the process recorded, and every few seconds for
one another process recorded or a stopped server left), or the command that mapped the name
and waits. Each report the run rewrites is a signed entry (``report.actors_resolved``) in
short writes (``resolve_actors_again``); the run itself is the host's bookkeeping."""

from __future__ import annotations

import logging
import threading
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ceasefire.domain.actors import normalize_name
from ceasefire.domain.errors import NotFoundError
from ceasefire.services.imports import Chunks
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import resolve_actors_again
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store import actors as actor_store
from ceasefire.store import mapping_runs as run_store
from ceasefire.store import mentions as mention_store
from ceasefire.store import reclassifications as reclassification_store
from ceasefire.store.actors import Mapping
from ceasefire.store.audiences import audience_of
from ceasefire.store.mapping_runs import MappingRun

log = logging.getLogger(__name__)
LOCK = "mapping-runs"  # ``Database.exclusive``: one process runs them at a time
SAVED_EVERY = 1.0  # seconds between two notes of how far a run got


class Stopped(Exception):
    """The server is stopping: a run ends after the write under way, to be taken up again."""


def run_mapping(
    ledger: Ledger,
    mapping_id: int,
    *,
    stop: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunks: Chunks | None = None,
) -> int | None:
    """Resolve again every stored report giving the mapping's name (as ``normalize_name``
    compares names; a report stored since the mapping was resolved by it already), noting
    how far it got as it goes; how many incidents it changed that the author's party reads
    (None when the run was taken up before: what a part before changed is not kept).
    Raises ``Stopped`` after a write once ``stop`` is set, unless that write was the last."""
    with ledger.db.transaction() as conn:
        run, mapping = run_store.run_of(conn, mapping_id), actor_store.mapping(conn, mapping_id)
        if run is None or mapping is None:
            raise NotFoundError(f"no run of name mapping {mapping_id}")
        run_store.take_up(conn, mapping_id)
    given = _spellings(ledger, normalize_name(mapping.name))
    base = run.done  # reports rewritten by the attempts before
    saved, total, done = clock.monotonic(), 0, 0

    def note(now: int, of: int) -> None:
        nonlocal saved, total, done
        total, done = of, now
        if stop is not None and stop.is_set() and now < of:
            raise Stopped
        if progress is not None:
            progress(base + now, base + of)
        if clock.monotonic() - saved >= SAVED_EVERY:
            with ledger.db.transaction() as conn:
                run_store.advance(conn, mapping_id, base + now, base + of)
            saved = clock.monotonic()

    try:
        changed = (
            resolve_actors_again(
                ledger, author=run.author, names=given, progress=note, chunks=chunks
            )
            if given  # no report gives it: nothing to read
            else set()
        )
    except BaseException as error:
        if total:  # a write was made (before the first, how many was not known yet)
            _note_how_far(ledger, mapping_id, base + done, base + total, stopped=error)
        raise
    with ledger.db.transaction() as conn:
        reader = EVERYTHING if run.author is None else audience_of(conn, run.author)
        seen = len(reclassification_store.readable(conn, changed, reader))
        counted = None if run.attempts else seen
        run_store.finish(conn, mapping_id, base + total, counted, datetime.now(UTC))
    return counted


def _spellings(ledger: Ledger, key: str, page: int = 50_000) -> set[str]:
    """The names stored reports give that are spellings of this key, read a page of
    reports at a time (one read over a million kept SQLite's log from starting again)."""
    found: set[str] = set()
    after: int | None = None
    while True:
        with ledger.db.read() as conn:
            names, after = mention_store.names_given(conn, after_id=after, limit=page)
        found |= {n for n in names if normalize_name(n) == key}
        if after is None:
            return found


def _note_how_far(
    ledger: Ledger, mapping_id: int, done: int, total: int, *, stopped: BaseException
) -> None:
    """After a run ended early: its writes so far durable and covered by a checkpoint
    when the server stops it, and how far it got noted (a failing database may refuse)."""
    try:
        if isinstance(stopped, Stopped):
            ledger.checkpoint_now()
        with ledger.db.transaction() as conn:
            run_store.advance(conn, mapping_id, done, total)
    except Exception:
        log.exception("could not note how far the run of name mapping %s got", mapping_id)


def run_unfinished(
    ledger: Ledger,
    *,
    stop: threading.Event | None = None,
    only: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bool:
    """Take up every unfinished run (or ``only`` this mapping's), oldest first, if no other
    process runs them now; whether this one did. A run that fails is noted, logged and left
    for the next pass, and the others go on (``only``: the failure is raised)."""
    with ledger.db.exclusive(LOCK) as mine:
        if not mine:
            return False
        failed: set[int] = set()
        while not (stop is not None and stop.is_set()):
            with ledger.db.read() as conn:
                waiting = [
                    m
                    for m in run_store.unfinished(conn)
                    if m not in failed and (only is None or m == only)
                ]
            if not waiting:
                break
            try:
                run_mapping(ledger, waiting[0], stop=stop, progress=progress)
            except Stopped:
                raise
            except Exception:
                with ledger.db.transaction() as conn:
                    run_store.fail(conn, waiting[0])
                if only is not None:
                    raise
                log.exception("the run of name mapping %s failed; tried again later", waiting[0])
                failed.add(waiting[0])
        return True


def wait_for(
    ledger: Ledger,
    mapping_id: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    poll: float = 0.5,
) -> MappingRun:
    """The mapping's run once finished: run here (with ``progress``) when no other process
    runs the runs now, else waited for (``progress`` following what it notes)."""
    while True:
        with ledger.db.read() as conn:
            run = run_store.run_of(conn, mapping_id)
        if run is None:
            raise NotFoundError(f"no run of name mapping {mapping_id}")
        if run.finished is not None:
            return run
        if progress is not None and run.total is not None:
            progress(run.done, run.total)
        if not run_unfinished(ledger, only=mapping_id, progress=progress):
            clock.sleep(poll)


@dataclass(frozen=True, slots=True)
class Progress:
    """A name mapping and how far its run got, as a party may see it."""

    mapping: Mapping
    fraction: float | None  # of the reports whose actors change, rewritten (None: not found yet)
    finished: datetime | None
    changed: int | None  # incidents changed that the mapping party reads: told to it alone
    failures: int  # times the run failed (the server's log says why)


def progress_of(ledger: Ledger, mapping_id: int, party: str) -> Progress | None:
    """The mapping and how far its run got, for a reader of ``party``: no count of reports
    (some may be of agreements the party does not read), and how many incidents changed
    only for the party that mapped it. None: no such mapping."""
    with ledger.db.read() as conn:
        mapping = actor_store.mapping(conn, mapping_id)
        run = run_store.run_of(conn, mapping_id)
    if mapping is None:
        return None
    if run is None:  # mapped before runs were kept: resolved in the request that mapped it
        return Progress(mapping, 1.0, mapping.created, None, 0)
    fraction = None if run.total is None else run.done / run.total if run.total else 1.0
    theirs = party == mapping.mapped_by
    finished = run.finished is not None
    return Progress(
        mapping,
        1.0 if finished else fraction,
        run.finished,
        run.changed if theirs and finished else None,
        run.failures,
    )


class MappingRunner:
    """Takes up the unfinished runs in a thread of a server process: at once when the
    process records one (``wake``), and every ``interval`` seconds (a run another process
    recorded while this one held the lock, one that failed, or one a stopped server left)."""

    def __init__(self, ledger: Ledger, interval: float = 5.0) -> None:
        self.ledger = ledger
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mapping runs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # a wake from now on is seen by the wait below
            try:
                run_unfinished(self.ledger, stop=self._stop)
            except Stopped:
                return
            except Exception:  # a database hiccup must not end the runs for good
                log.exception("taking up the runs of name mappings failed; trying again")
            self._wake.wait(self.interval)
