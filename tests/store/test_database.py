"""The database's connections and its bulk inserts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select

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
