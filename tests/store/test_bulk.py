"""Rows inserted column by column, and INSERTs deferred to go together (PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from ceasefire.store import bulk
from ceasefire.store import tables as t
from ceasefire.store.database import Database

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


def _checkpoint(size: int) -> dict[str, object]:
    return {"size": size, "root_hash": bytes([size]) * 32, "note": f"note {size}", "created": NOW}


def _sizes(conn: Connection) -> list[int]:
    c = t.ledger_checkpoints.c
    return list(conn.execute(select(c.size).order_by(c.size)).scalars())


def test_rows_deferred_are_read_back_in_order_by_the_same_transaction(db: Database) -> None:
    """A read in the block sends what was deferred first; an INSERT sent after it keeps its
    place (the second batch lands after the read, still in the same transaction)."""
    with db.transaction() as conn, bulk.deferred(conn):
        bulk.insert_many(conn, t.ledger_checkpoints, [_checkpoint(1), _checkpoint(2)])
        assert _sizes(conn) == [1, 2]
        bulk.insert_many(conn, t.ledger_checkpoints, [_checkpoint(3)])
    with db.read() as conn:
        assert _sizes(conn) == [1, 2, 3]
        created = conn.execute(select(func.min(t.ledger_checkpoints.c.created))).scalar()
        assert created == NOW  # the columns' own processing (UTC) applied


def test_a_deferred_insert_that_fails_raises_as_sqlalchemy_would_by_the_blocks_end(
    db: Database,
) -> None:
    with db.transaction() as conn:
        bulk.insert_many(conn, t.ledger_checkpoints, [_checkpoint(1)])
    with pytest.raises(IntegrityError), db.transaction() as conn, bulk.deferred(conn):
        bulk.insert_many(conn, t.ledger_checkpoints, [_checkpoint(1)])  # its size is taken
    with db.read() as conn:
        assert _sizes(conn) == [1]


def test_a_block_that_raises_sends_nothing_it_deferred(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite runs every INSERT at once: nothing is deferred")

    def fails(conn: Connection) -> None:
        with bulk.deferred(conn):
            bulk.insert_many(conn, t.ledger_checkpoints, [_checkpoint(1)])
            raise RuntimeError("the write failed before its rows were sent")

    with db.transaction() as conn:
        with pytest.raises(RuntimeError):
            fails(conn)
        assert _sizes(conn) == []  # not sent, so the caller's savepoint has nothing to undo


def test_a_deferred_commit_goes_with_the_rows_and_leaves_the_transaction_done(
    db: Database,
) -> None:
    """``commit=True``: the rows and the COMMIT in one round trip; the transaction's own
    commit then finds nothing to do, and another session sees the rows."""
    with db.transaction() as conn:
        with bulk.deferred(conn, commit=True):
            bulk.insert_many(conn, t.ledger_checkpoints, [_checkpoint(4)])
        if not db.is_sqlite:
            driver = conn.connection.driver_connection
            assert driver is not None and driver.info.transaction_status.name == "IDLE"
            with db.read() as other:  # committed already, before the block's own commit
                assert _sizes(other) == [4]
    with db.read() as conn:
        assert _sizes(conn) == [4]
