"""One object owns the database: the engine, migrations, and transactions.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout,
and every write transaction starts with ``BEGIN IMMEDIATE`` so concurrent writers queue
instead of failing half-way. PostgreSQL needs PostGIS (created by the first migration).
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from ceasefire.domain.errors import InvalidInputError
from ceasefire.store.bulk import send_deferred_first
from ceasefire.store.sqlite_setup import BUSY_TIMEOUT_MS, sqlite_begin, sqlite_connect
from ceasefire.store.wal import WalCheckpoints

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0029"
"""The newest migration's revision (a test holds it to alembic's head). A database already
there is opened without loading alembic and its scripts (about 0.3 s a command)."""
# connections kept open: as many as a server process's threads use at once (16 clients
# over 2 processes, with reads beside the writes). SQLAlchemy keeps 5 by default, and
# closed each one above that when it was given back: a busy server opened a connection
# per request (SQLite: the pragmas and the schema read again; PostgreSQL: a new backend)
POOL_SIZE = 16
POOL_OVERFLOW = 24  # more at once, closed when given back (40: Starlette's thread pool)
_UNSYNCED: ContextVar[bool] = ContextVar("unsynced", default=False)


def _revision(conn: Connection) -> str | None:
    """The database's migration revision, read without alembic (None: a new database)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _newer(revision: str) -> bool:
    """Whether a database's revision comes after this release's newest migration (the
    revisions are numbered: "0027")."""
    return revision.isdigit() and int(revision) > int(HEAD)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None: another database, or one in memory)."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def normalize_url(url: str) -> str:
    """Accept a bare file path for SQLite and plain postgresql:// URLs."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _synchronous(conn: Connection, level: str) -> None:
    """Set SQLite's synchronous level for the connection's next transactions (SQLite takes
    it only between transactions), when it changes."""
    if conn.info.get("synchronous", "FULL") != level:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute(f"PRAGMA synchronous={level}")
        conn.info["synchronous"] = level


def _flocked(path: str) -> bool:
    """Whether another open file holds a ``flock`` on ``path``."""
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


class Database:
    """The store's entry point: ``with db.transaction() as conn:`` for writes."""

    def __init__(
        self, url: str, *, echo: bool = False, connect_args: dict[str, Any] | None = None
    ) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise InvalidInputError("database", f"{url!r} is not a database URL") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise InvalidInputError(
                "database", f"{url!r}: only sqlite and postgresql databases are supported"
            )
        file = sqlite_file(self.url)  # None: PostgreSQL, or SQLite in memory
        if file is not None:
            folder = file.expanduser().resolve().parent
            if not folder.is_dir():
                raise InvalidInputError("database", f"folder {folder} does not exist")
        self.connect_args = dict(connect_args or {})
        if self.dialect == "postgresql":
            # psycopg prepares a statement after five runs, and PostgreSQL may then switch to
            # a generic plan that ignores the bbox (walking the primary key instead): a map
            # view went from ~20 ms to ~50 ms. Plan every query with its own values.
            self.connect_args.setdefault("prepare_threshold", None)
        in_memory = self.dialect == "sqlite" and file is None
        pool = {} if in_memory else {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
        self.engine: Engine = create_engine(
            self.url, echo=echo, connect_args=self.connect_args, **pool
        )
        self._threads = threading.Lock()
        self._lock_file = None if file is None else f"{parsed.database}.writer.lock"
        # a writer that must wait for the lock file holds this one shared while it waits
        self._waiting_file = None if file is None else f"{parsed.database}.writer.waiting"
        self._wal = None if file is None else WalCheckpoints(str(parsed.database), self._checkpoint)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", sqlite_connect)
            event.listen(self.engine, "begin", sqlite_begin)
        else:  # INSERTs deferred (store.bulk.deferred) go before any other statement
            event.listen(self.engine, "before_cursor_execute", send_deferred_first)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def describe(self) -> str:
        """The URL without its password, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back on error; the
        commit returns once it is on disk, unless begun inside ``unsynced()``."""
        unsynced = _UNSYNCED.get()
        with self._writer(), self.engine.connect() as conn:
            if self.is_sqlite:
                _synchronous(conn, "NORMAL" if unsynced else "FULL")
            conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            with conn.begin():
                if unsynced and not self.is_sqlite:
                    conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                conn.info["unsynced"] = unsynced
                yield conn
        if self._wal is not None:  # committed, and the lock let go of
            self._wal.written(bulk=unsynced)

    @contextmanager
    def unsynced(self) -> Iterator[None]:
        """Write transactions begun in this block (a bulk import's chunks) commit without
        waiting for the disk: SQLite's WAL with ``synchronous=NORMAL``, PostgreSQL's
        ``synchronous_commit=off``. A power cut may take back the last of them, never
        corrupting the database, and the next commit that waits for the disk makes every
        one before it durable too (both logs are written in order)."""
        token = _UNSYNCED.set(True)
        try:
            yield
        finally:
            _UNSYNCED.reset(token)

    @staticmethod
    def is_unsynced(conn: Connection) -> bool:
        """Whether this transaction's commit returns before it is on disk."""
        return bool(conn.info.get("unsynced", False))

    @staticmethod
    def wants_unsynced() -> bool:
        """Whether a transaction begun here now would be ``unsynced``."""
        return _UNSYNCED.get()

    @contextmanager
    def _writer(self) -> Iterator[None]:
        """SQLite: wait for the other writers on locks that wake a waiter at once — one of
        this process's threads, then a file beside the database across processes — rather
        than in SQLite's busy handler, which polls with sleeps of up to 100 ms (a write
        would wait out a bulk import's chunk and then oversleep). PostgreSQL: nothing."""
        if self._lock_file is None:
            yield
            return
        if not self._threads.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise InvalidInputError(
                "database", f"{self.describe()} stayed busy with another write for 30 s"
            )
        try:
            with open(self._lock_file, "a") as handle:
                self._wait_for(handle)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _wait_for(self, handle: IO[str]) -> None:
        """Take the lock file; while waiting for it, be seen waiting (``others_writing``)."""
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        assert self._waiting_file is not None
        with open(self._waiting_file, "a") as room:
            fcntl.flock(room, fcntl.LOCK_SH)
            fcntl.flock(handle, fcntl.LOCK_EX)

    def others_waiting(self) -> bool:
        """SQLite: whether a write of another process waits for the write lock (asked by a
        bulk import's chunk that holds it, between the parts it stores)."""
        return self._waiting_file is not None and _flocked(self._waiting_file)

    def others_writing(self) -> bool:
        """SQLite: whether a write of another process holds the write lock or waits for it
        (a bulk import asks after each of its transactions). PostgreSQL: see
        ``store.ledger.log_busy``."""
        if self._lock_file is None:
            return False
        return _flocked(self._lock_file) or self.others_waiting()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def read_one(self) -> Iterator[Connection]:
        """A connection for one read statement, which sees one snapshot by itself: no
        transaction around it, so PostgreSQL answers in one round trip rather than three
        (BEGIN, the statement, COMMIT). Every request's credential is read so. SQLite keeps
        its transaction (in process, it costs little; and SQLAlchemy would set the driver's
        own transaction handling back on after an autocommit connection)."""
        if self.is_sqlite:
            with self.read() as conn:
                yield conn
            return
        with self.engine.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    def _alembic_config(self, conn: Connection) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        return config

    def migrate(self) -> None:
        """Bring the schema up to the newest migration (creating it on a new database)."""
        try:
            with self.engine.connect() as conn:
                revision = _revision(conn)
                if revision == HEAD:
                    return
                if revision is not None and _newer(revision):
                    raise InvalidInputError(
                        "database",
                        f"{self.describe()} is at schema {revision}, newer than this release's"
                        f" {HEAD}: a newer release of ceasefire wrote it; open it with that"
                        " release or a later one (nothing was changed)",
                    )
            with self._writer(), self.engine.connect() as conn:  # one writer at a time
                self._upgrade(conn)
        except OperationalError as error:
            reason = " ".join(str(error.orig).split())  # the driver's message, on one line
            raise InvalidInputError(
                "database", f"cannot open {self.describe()}: {reason}"
            ) from None

    def _upgrade(self, conn: Connection) -> None:
        """Run the migrations in one transaction. On SQLite, a migration that rebuilds a
        table others refer to (``batch_alter_table``) needs foreign keys off while it
        runs, which SQLite allows only outside a transaction; they are checked whole
        before the commit, when a migration ran (a whole check reads every table: seconds
        on a big file, which every command opens), and turned on again after."""
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        raw = conn.connection.driver_connection if self.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            before = MigrationContext.configure(conn).get_current_revision()
            command.upgrade(self._alembic_config(conn), "head")
            migrated = MigrationContext.configure(conn).get_current_revision() != before
            if raw is not None and migrated:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    conn.rollback()
                    raise InvalidInputError(
                        "database",
                        f"the upgrade would leave table {broken[0]!r} row {broken[1]} pointing"
                        f" at a missing row of {broken[2]!r}; nothing was changed",
                    )
            conn.commit()
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")

    def is_current(self) -> bool:
        """Whether the schema is at the newest migration."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            head = ScriptDirectory.from_config(self._alembic_config(conn)).get_current_head()
        return current == head

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load, so that bbox and time queries
        pick the spatial index (PostgreSQL would otherwise wait for autovacuum)."""
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("PRAGMA optimize")
            else:
                conn.exec_driver_sql("ANALYZE incidents, incident_regimes, reports")
            conn.commit()

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Whether this process holds the lock ``name`` for the block (never waiting): one
        process at a time does a job that several workers share (webhook deliveries). On
        PostgreSQL an advisory lock of a connection held for the block; on SQLite an
        ``flock`` on a file beside the database."""
        if self.is_sqlite:
            database = make_url(self.url).database
            if not database or database == ":memory:":
                yield True
                return
            with open(f"{database}.{name}.lock", "a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    yield False
                    return
                try:
                    yield True
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            return
        with self.engine.connect() as conn:
            # advisory locks are the database's: two schemas of one (tests) hold their own
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            named = f"{schema}:{name}".encode()
            key = int.from_bytes(hashlib.sha256(named).digest()[:8], "big", signed=True)
            held = bool(conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({key})").scalar())
            conn.commit()
            try:
                yield held
            finally:
                if held:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
                    conn.commit()

    def _checkpoint(self) -> int:
        """Copy the WAL into the database as far as no reader needs it kept (``PASSIVE``:
        waiting for no one); the pages left in it not copied."""
        raw = self.engine.raw_connection()
        try:
            assert raw.driver_connection is not None
            busy, written, copied = (
                int(n)
                for n in raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            )
        finally:
            raw.close()
        if busy:  # another connection was copying it: take nothing as copied
            return max(1, written)
        return max(0, written - copied)

    def dispose(self) -> None:
        if self._wal is not None:
            self._wal.close()
        self.engine.dispose()
