"""Group commit: concurrent writes of one process share one transaction and one commit.

The log is appended in order, so writes go one at a time; what they need not do one at a
time is wait for the database. A write that arrives while a group is open joins it: the
members' bodies run one after the other on the group's connection, each in a savepoint
(a member that fails is rolled back alone), each appending its own entries signed by its
own party; the last member to finish signs one checkpoint for all and commits, and every
member returns only then, once its entries are durable. A write that arrives while a
group commits opens the next group, which begins as soon as the database lets it. This is
how transparency logs batch; one writer alone gets a group of one.

Writes of one kind can also share their bodies (``Committer.together``): each waits in its
group as a ``Request``, and the first of them to get the group's turn runs all that wait
with it at once (one read of what they need, one insert a table, one append), each still
signed by its own author; the others find theirs done.

Several processes (API workers, a command-line import) each group their own writes and
take turns at the database: SQLite's write lock (``BEGIN IMMEDIATE``, after a lock file
that queues writers without polling) or PostgreSQL's advisory lock on the log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from ceasefire.services.authors import Authors
from ceasefire.store import bulk
from ceasefire.store import ledger as log_store
from ceasefire.store.database import Database
from ceasefire.store.tails import Tail, read_tail

MAX_MEMBERS = 32  # writes in one group at most: bounds a member's wait for the commit
# entries appended by others since this process's last group beyond which a group reads
# the log's tail afresh (and its members the rules' version and their authors)
FOLLOW_AT_MOST = 1_000
T = TypeVar("T")
FIRST_SAVEPOINT = "write_1"  # made with the log's lock, for the group's first member


@dataclass(eq=False)
class Request(Generic[T]):
    """A write that waits in its group to be run together with the others of its kind
    (``run``: the same function for all of them), and what came of it."""

    run: Callable[[Group, list[Request[T]]], None]
    """Runs the requests given in the group's transaction, and ends each (``finish`` or
    ``fail``): a request it leaves unended fails."""
    outcome: T | None = None
    error: BaseException | None = None
    ended: bool = False
    group: Group | None = None  # the group that took it in while it waited for it to open

    def finish(self, outcome: T) -> None:
        self.outcome, self.ended = outcome, True

    def fail(self, error: BaseException) -> None:
        self.error, self.ended = error, True

    def result(self) -> T:
        if self.error is not None:
            raise self.error
        assert self.ended and self.outcome is not None, "a request ended with no outcome"
        return self.outcome


@dataclass(eq=False)
class Group:
    """One transaction that several writes share, and the log's tail as they leave it
    (read once, when the group takes the log's lock: ``store.tails``)."""

    conn: Connection
    transaction: AbstractContextManager[Connection]
    tail: Tail
    began_at: int = 0  # the log's size when the group began
    mutex: threading.Lock = field(default_factory=threading.Lock)  # one body at a time
    joined: int = 0
    finished: int = 0
    open: bool = True
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    unsynced: bool = False  # its commit does not wait for the disk (Database.unsynced)
    rules_version: int | None = None
    """The classification rules' version as the group's transaction reads it (None: not
    read yet, or a member may have changed it): no other process appends while the group
    holds the log's lock, so its members need read it only after one of them changed it."""
    authors: Authors = field(default_factory=Authors)
    """Its members' authors' parties, keys and agreements, read once (``services.authors``)."""

    kinds_since: frozenset[str] | None = None
    """The kinds of the entries others appended since the last group this process
    committed, where the group followed the tail from it (None: it read the tail afresh)."""
    savepoints: int = 0  # how many its members have begun
    bodies: int = 0  # how many of its members' bodies have begun (one at a time)
    premade: bool = False
    """Its first savepoint was made as it took the log's lock, in the same round trip
    (``store.ledger.lock_and_follow``): the first member to ask for one, before anything
    was appended, takes it."""
    waiting: list[Request[Any]] = field(default_factory=list)  # see Committer.together

    @property
    def appended(self) -> bool:
        return self.tail.size > self.began_at

    def savepoint(self) -> Savepoint:
        """Mark where the next member begins, so that it can be rolled back alone. It is
        never released: the group's commit ends it (``RELEASE`` cost a statement, a round
        trip on PostgreSQL, in every write)."""
        if self.premade:
            self.premade = False
            if self.bodies == 1 and self.tail.size == self.began_at:  # nothing ran since
                return Savepoint(FIRST_SAVEPOINT, self.tail.copy())
        self.savepoints += 1
        name = f"write_{self.savepoints}"
        self.conn.exec_driver_sql(f"SAVEPOINT {name}")
        return Savepoint(name, self.tail.copy())

    def roll_back_to(self, savepoint: Savepoint) -> None:
        """Undo what the group did since ``savepoint`` (a member that failed or prepared):
        its rows, its appends to the tail, and what the group read of the rules and the
        authors (the member may have changed them)."""
        self.conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {savepoint.name}")
        self.tail.become(savepoint.tail)
        self.rules_version = None
        self.authors.forget()


@dataclass(frozen=True, slots=True)
class Savepoint:
    name: str
    tail: Tail  # the log's, where the savepoint was made


class NestedWriteError(RuntimeError):
    """A write was begun inside another in the same thread (it would wait for itself)."""


class Committer:
    """Groups the writes of one process (``member``); ``on_commit`` runs in each group's
    transaction just before it commits (the checkpoint); ``on_begin``, once a group holds
    the log's lock and has read its tail, with the last group this process committed
    (None: none yet), whose reads it may carry over (``Ledger``)."""

    def __init__(
        self,
        db: Database,
        on_commit: Callable[[Group], None],
        on_begin: Callable[[Group, Group | None], None] | None = None,
    ) -> None:
        self._db = db
        self._on_commit = on_commit
        self._on_begin = on_begin
        self._committed: Group | None = None
        self._lock = threading.Lock()
        self._group: Group | None = None
        self._opening: threading.Event | None = None
        self._early: list[tuple[Request[Any], bool]] = []  # requests waiting while one opens
        self._local = threading.local()

    def busy(self) -> bool:
        """Whether a group is open or opening: a write now would most likely share it (a
        hint, read without the lock)."""
        return self._group is not None or self._opening is not None

    @contextmanager
    def member(self) -> Iterator[Group]:
        """Join (or open) a group and hold its connection for the block; when the block
        ends, wait until the group has committed (re-raising its commit's error)."""
        group = self._enter()
        try:
            with group.mutex:
                group.bodies += 1
                yield group
        finally:
            self._exit(group)
        if group.error is not None:
            raise group.error

    def together(self, request: Request[T]) -> T:
        """Join (or open) a group as ``member`` does, and have ``request`` run with the
        others of its kind waiting in the group: the first of them to get the group's turn
        runs them all. Its outcome once the group has committed (or its error)."""
        group = self._enter(request)
        try:
            with group.mutex:
                group.bodies += 1
                if not request.ended:
                    with self._lock:
                        mine = [r for r in group.waiting if r.run == request.run]
                        group.waiting = [r for r in group.waiting if r.run != request.run]
                    _run(request.run, group, mine)
        finally:
            self._exit(group)
        if group.error is not None:
            raise group.error
        return request.result()

    def _enter(self, request: Request[Any] | None = None) -> Group:
        if getattr(self._local, "inside", False):
            raise NestedWriteError("a write cannot begin inside another write")
        group = self._join(request)
        self._local.inside = True
        return group

    def _exit(self, group: Group) -> None:
        self._local.inside = False
        self._leave(group)

    def _join(self, request: Request[Any] | None) -> Group:
        """The group this write joins (with ``request``, waiting in it). A request that has
        to wait while a group opens is taken into it by the write that opens it, so that the
        opener's turn finds it waiting already (else the opener would run its own alone)."""
        unsynced = self._db.wants_unsynced()
        while True:
            with self._lock:
                if request is not None and request.group is not None:
                    return request.group  # taken into the group opened while it waited
                group = self._group
                if (
                    group is not None
                    and group.open
                    and group.joined < MAX_MEMBERS
                    # a write that waits for the disk joins only a group that does
                    and group.unsynced == unsynced
                ):
                    group.joined += 1
                    if request is not None:
                        group.waiting.append(request)
                    return group
                opening = self._opening
                if opening is None:
                    opening = self._opening = threading.Event()
                    opener = True
                else:
                    opener = False
                    if request is not None:
                        self._early.append((request, unsynced))
            if not opener:
                opening.wait()
                with self._lock:
                    self._early = [e for e in self._early if e[0] is not request]
                continue
            try:
                group = self._begin()
                with self._lock:
                    group.joined = 1
                    if request is not None:
                        group.waiting.append(request)
                    early, self._early = self._early, []
                    for waiting, wants in early:
                        if wants == group.unsynced and group.joined < MAX_MEMBERS:
                            group.joined += 1
                            group.waiting.append(waiting)
                            waiting.group = group
                    self._group = group
                return group
            finally:
                with self._lock:
                    self._opening = None
                opening.set()

    def _begin(self) -> Group:
        transaction = self._db.transaction()
        conn = transaction.__enter__()
        try:
            last = self._committed
            if last is None:
                log_store.lock_log(conn)
                followed = None
            else:
                followed = log_store.lock_and_follow(
                    conn, last.tail, FOLLOW_AT_MOST, savepoint=FIRST_SAVEPOINT
                )
            tail = read_tail(conn) if followed is None else followed.tail
            group = Group(
                conn,
                transaction,
                tail,
                tail.size,
                unsynced=self._db.is_unsynced(conn),
                kinds_since=None if followed is None else followed.kinds,
                savepoints=0 if last is None else 1,
                premade=last is not None,
            )
            if self._on_begin is not None:
                self._on_begin(group, last)  # the group its tail was followed from
        except BaseException as error:
            transaction.__exit__(type(error), error, error.__traceback__)
            raise
        return group

    def _leave(self, group: Group) -> None:
        with self._lock:
            group.finished += 1
            last = group.finished == group.joined
            if last:
                group.open = False
                if self._group is group:
                    self._group = None
        if not last:
            group.done.wait()
            return
        try:
            with bulk.deferred(group.conn, commit=True):  # the checkpoint with the COMMIT
                self._on_commit(group)
        except BaseException as error:
            group.error = error
            group.transaction.__exit__(type(error), error, error.__traceback__)
        else:
            try:
                group.transaction.__exit__(None, None, None)
            except BaseException as error:
                group.error = error
            else:
                self._committed = group
        finally:
            if group.error is not None:
                # what its members read of their authors is shared with the group it
                # carried them over from, and may hold what the rollback undid
                group.authors.forget()
            group.done.set()


def _run(
    run: Callable[[Group, list[Request[T]]], None], group: Group, requests: list[Request[T]]
) -> None:
    try:
        run(group, requests)
    except BaseException as error:
        for request in requests:
            if not request.ended:
                request.fail(error)
        raise
    for request in requests:
        if not request.ended:
            request.fail(AssertionError("a request was left with no outcome"))
