"""The database's connections, its bulk inserts and its SQLite writers' lock files."""

from __future__ import annotations

import fcntl
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, event, select

from ceasefire.store import tables as t
from ceasefire.store.bulk import insert_columns
from ceasefire.store.database import POOL_SIZE, Database


def test_connections_given_back_are_kept_for_the_next_requests(db: Database) -> None:
    opened: list[object] = []
    event.listen(db.engine, "connect", lambda *args: opened.append(args[0]))
    barrier = threading.Barrier(POOL_SIZE)

    def read() -> None:
        with db.read() as conn:
            barrier.wait(timeout=10)  # all at once: as many connections as threads
            conn.execute(select(1))

    for _ in range(3):
        threads = [threading.Thread(target=read) for _ in range(POOL_SIZE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    # SQLAlchemy's default pool kept 5 and closed the rest: 11 new connections each round
    assert len(opened) <= POOL_SIZE


def _in_transaction(conn: Connection) -> bool:
    raw: Any = conn.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection):
        return raw.in_transaction
    return bool(raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)


def test_a_read_of_one_statement_opens_no_transaction_on_postgresql(db: Database) -> None:
    for _ in range(3):  # the connection given back is read from next: not left in autocommit
        with db.read_one() as conn:
            conn.execute(select(1))
            # PostgreSQL: one round trip, no BEGIN and COMMIT; SQLite keeps its own
            assert _in_transaction(conn) is db.is_sqlite
        with db.read() as conn:
            conn.execute(select(1))
            assert _in_transaction(conn)


def test_few_rows_and_many_rows_are_inserted_alike(db: Database) -> None:
    when = datetime(2016, 2, 27, 0, 0, 0, 123456, tzinfo=UTC)

    def rows(first: int, count: int) -> dict[str, list[Any]]:
        numbers = range(first, first + count)
        return {
            "sequence": list(numbers),
            "leaf": [f"leaf {n}".encode() for n in numbers],
            "leaf_hash": [bytes([n % 256]) * 32 for n in numbers],
            "kind": ["report.created"] * count,
            "record": [f"report:{n}" for n in numbers],
            "author_party": ["Ḥalab"] * count,
            "author_key_id": ["0123abcd"] * count,
            "time": [when + timedelta(seconds=n) for n in numbers],
        }

    entries = t.ledger_entries
    with db.transaction() as conn:
        insert_columns(conn, entries, rows(0, 1))  # one INSERT
        insert_columns(conn, entries, rows(1, 500))  # COPY on PostgreSQL
        found = conn.execute(select(entries).order_by(entries.c.sequence)).all()
    assert [r.sequence for r in found] == list(range(501))
    for n in (0, 1, 300):
        assert bytes(found[n].leaf) == f"leaf {n}".encode()
        assert bytes(found[n].leaf_hash) == bytes([n % 256]) * 32
        assert (found[n].record, found[n].author_party) == (f"report:{n}", "Ḥalab")
        assert found[n].time == when + timedelta(seconds=n)


def test_a_write_of_another_process_is_seen_holding_the_lock_or_waiting_for_it(
    tmp_path: Path,
) -> None:
    """SQLite: each process's ``Database`` takes a lock file for a write transaction; one
    that must wait for it is seen waiting, which is how a bulk import knows to give way."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    mine, holder, waiter = Database(url), Database(url), Database(url)
    mine.migrate()
    assert not mine.others_writing()
    held, release, waited = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        with holder.transaction():
            held.set()
            release.wait(10)

    def wait() -> None:
        with waiter.transaction():
            waited.set()

    first = threading.Thread(target=hold)
    first.start()
    assert held.wait(10)
    assert mine.others_writing()
    second = threading.Thread(target=wait)
    second.start()
    room = tmp_path / "shared.sqlite.writer.waiting"
    for _ in range(100):  # until the second write is waiting for the first
        if room.exists() and _locked(room):
            break
        time.sleep(0.01)
    assert _locked(room) and not waited.is_set()
    release.set()
    first.join(10)
    second.join(10)
    assert waited.is_set() and not _locked(room) and not mine.others_writing()
    for db in (mine, holder, waiter):
        db.dispose()


def _locked(path: Path) -> bool:
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
