"""How each SQLite connection is set up, and how its transactions begin (``Database``
listens for both)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536


def sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set up each new SQLite connection (``Database`` listens for them)."""
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the next ones may wait
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # a commit is acknowledged once it would survive a power cut; group commit
    # (services.commits) makes one fsync serve many writes
    cursor.execute("PRAGMA synchronous=FULL")
    # 64 MB of page cache per connection (SQLite's default is 2 MB): imports into a large
    # database touch index pages all over it
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    # checkpoints are run after the writer lock is let go of, not inside commits, and the
    # WAL's file is cut back each time it starts again, so its size says its length
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.execute("PRAGMA journal_size_limit=0")
    cursor.close()


def sqlite_begin(connection: Connection) -> None:
    """Begin as the transaction asks (``BEGIN IMMEDIATE`` for a write)."""
    mode = connection.get_execution_options().get("sqlite_begin", "BEGIN")
    connection.exec_driver_sql(mode)
