"""Ledger leaves for store tests: made up, at known sequences, appended in a transaction of
their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ceasefire.store import ledger
from ceasefire.store.database import Database
from ceasefire.store.ledger import LedgerLeaf

TIME = datetime(2016, 2, 27, tzinfo=UTC)


def leaf(sequence: int, tag: str = "") -> LedgerLeaf:
    return LedgerLeaf(
        sequence=sequence,
        data=f"leaf {sequence}{tag}".encode(),
        kind="report.created",
        record=f"report:test:{sequence % 7}",
        author_party="party-a",
        author_key_id="0123abcd",
        time=TIME + timedelta(seconds=sequence),
    )


def append_new(db: Database, count: int, tag: str = "") -> list[int]:
    """One write transaction that appends ``count`` leaves at the log's next sequences."""
    with db.transaction() as conn:
        start = ledger.next_sequence(conn)
        return ledger.append(conn, [leaf(s, tag) for s in range(start, start + count)])
