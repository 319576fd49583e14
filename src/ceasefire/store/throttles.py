"""Failed sign-ins as stored: a count and the last time, by key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, func, select

from ceasefire.store import tables as t

F = t.sign_in_failures.c
MAX_ROWS = 100_000  # the table never holds more: the oldest go first


def failures(conn: Connection, keys: Sequence[str]) -> dict[str, tuple[int, datetime]]:
    query = select(F.key, F.failures, F.last_failed).where(F.key.in_(list(keys)))
    return {row.key: (int(row.failures), row.last_failed) for row in conn.execute(query)}


def record_failure(conn: Connection, keys: Sequence[str], now: datetime) -> None:
    held = failures(conn, keys)
    for key in keys:
        if key in held:
            conn.execute(
                t.sign_in_failures.update()
                .where(F.key == key)
                .values(failures=held[key][0] + 1, last_failed=now)
            )
        else:
            conn.execute(t.sign_in_failures.insert().values(key=key, failures=1, last_failed=now))


def forget(conn: Connection, keys: Sequence[str]) -> None:
    conn.execute(delete(t.sign_in_failures).where(F.key.in_(list(keys))))


def prune(conn: Connection, older_than: datetime) -> None:
    """Drop failures older than the window, and the oldest beyond ``MAX_ROWS``."""
    conn.execute(delete(t.sign_in_failures).where(F.last_failed < older_than))
    count = conn.execute(select(func.count()).select_from(t.sign_in_failures)).scalar() or 0
    if count > MAX_ROWS:
        cutoff = conn.execute(
            select(F.last_failed).order_by(F.last_failed.desc()).offset(MAX_ROWS).limit(1)
        ).scalar()
        if cutoff is not None:
            conn.execute(delete(t.sign_in_failures).where(F.last_failed <= cutoff))
