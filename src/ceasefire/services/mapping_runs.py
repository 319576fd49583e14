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
from datetime import UTC, datetime

from ceasefire.domain.actors import normalize_name
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import resolve_actors_again
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store import actors as actor_store
from ceasefire.store import mapping_runs as run_store
from ceasefire.store import mentions as mention_store
from ceasefire.store import reclassifications as reclassification_store
from ceasefire.store.audiences import audience_of
from ceasefire.store.mapping_runs import MappingRun

log = logging.getLogger(__name__)
LOCK = "mapping-runs"  # ``Database.exclusive``: one process runs them at a time
SAVED_EVERY = 1.0  # seconds between two notes of how far a run got


class Stopped(Exception):
    """The server is stopping: a run ends between two of its writes, to be taken up again."""


def run_mapping(
    ledger: Ledger,
    mapping_id: int,
    *,
    stop: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int | None:
    """Resolve again every stored report giving the mapping's name (as ``normalize_name``
    compares names; a report stored since the mapping was resolved by it already), noting
    how far it got as it goes; how many incidents it changed that the author's party reads
    (None when a stopped run was taken up again: what the part before changed is not kept).
    Raises ``Stopped`` after a write once ``stop`` is set."""
    with ledger.db.read() as conn:
        run, mapping = run_store.run_of(conn, mapping_id), actor_store.mapping(conn, mapping_id)
        assert run is not None and mapping is not None, f"no run of mapping {mapping_id}"
        key = normalize_name(mapping.name)
        given = {n for n in mention_store.names_given(conn) if normalize_name(n) == key}
    base = run.done  # reports rewritten before a stop (their count of changes is lost)
    saved, total, done = clock.monotonic(), 0, 0

    def note(now: int, of: int) -> None:
        nonlocal saved, total, done
        total, done = of, now
        if stop is not None and stop.is_set():
            raise Stopped
        if progress is not None:
            progress(now, of)
        if clock.monotonic() - saved >= SAVED_EVERY:
            with ledger.db.transaction() as conn:
                run_store.advance(conn, mapping_id, base + now, base + of)
            saved = clock.monotonic()

    try:
        changed = resolve_actors_again(ledger, author=run.author, names=given, progress=note)
    except Stopped:
        ledger.checkpoint_now()  # the writes so far durable, and covered
        with ledger.db.transaction() as conn:
            run_store.advance(conn, mapping_id, base + done, base + total)
        raise
    with ledger.db.transaction() as conn:
        reader = EVERYTHING if run.author is None else audience_of(conn, run.author)
        seen = len(reclassification_store.readable(conn, changed, reader))
        counted = None if base else seen
        run_store.finish(conn, mapping_id, base + total, counted, datetime.now(UTC))
    return counted


def run_unfinished(
    ledger: Ledger,
    *,
    stop: threading.Event | None = None,
    watched: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bool:
    """Take up every unfinished run, oldest first, if no other process runs them now
    (``progress`` follows the ``watched`` mapping's); whether this one did."""
    with ledger.db.exclusive(LOCK) as mine:
        if not mine:
            return False
        while not (stop is not None and stop.is_set()):
            with ledger.db.read() as conn:
                waiting = run_store.unfinished(conn)
            if not waiting:
                break
            followed = progress if waiting[0] == watched else None
            run_mapping(ledger, waiting[0], stop=stop, progress=followed)
        return True


def wait_for(
    ledger: Ledger,
    mapping_id: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    poll: float = 0.5,
) -> MappingRun:
    """The mapping's run once finished: run here (with ``progress``) when no other process
    runs the runs now, else waited for."""
    while True:
        with ledger.db.read() as conn:
            run = run_store.run_of(conn, mapping_id)
        assert run is not None, f"no run of mapping {mapping_id}"
        if run.finished is not None:
            return run
        if not run_unfinished(ledger, watched=mapping_id, progress=progress):
            clock.sleep(poll)


class MappingRunner:
    """Takes up the unfinished runs in a thread of a server process: at once when the
    process records one (``wake``), and every ``interval`` seconds (a run another process
    recorded while this one held the lock, or one a stopped server left)."""

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
            try:
                run_unfinished(self.ledger, stop=self._stop)
            except Stopped:
                return
            except Exception:  # a database hiccup must not end the runs for good
                log.exception("a name mapping's run failed; trying again")
            self._wake.wait(self.interval)
            self._wake.clear()


def run_of(ledger: Ledger, mapping_id: int) -> MappingRun | None:
    """A mapping's run as far as it got (None: no such mapping, or one recorded before
    runs were kept, which resolved its reports in its own request)."""
    with ledger.db.read() as conn:
        return run_store.run_of(conn, mapping_id)
