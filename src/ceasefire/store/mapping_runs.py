"""The runs that resolve again the stored reports giving a mapped name (``mapping_runs``):
which are unfinished, how far each got, what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from ceasefire.store import tables as t

R = t.mapping_runs.c


@dataclass(frozen=True, slots=True)
class MappingRun:
    mapping_id: int
    author: str | None  # signs the rewrites (None: the host)
    total: int | None  # reports whose actors change, once found
    done: int
    changed: int | None  # incidents changed that the author's party reads, once finished
    # (None too when it was taken up more than once: what a part before changed is not kept)
    finished: datetime | None
    attempts: int  # times taken up
    failures: int  # times it failed


def add_run(conn: Connection, mapping_id: int, author: str | None) -> None:
    values = {"mapping_id": mapping_id, "author": author, "done": 0, "attempts": 0, "failures": 0}
    conn.execute(t.mapping_runs.insert().values(**values))


def run_of(conn: Connection, mapping_id: int) -> MappingRun | None:
    row = conn.execute(select(t.mapping_runs).where(R.mapping_id == mapping_id)).first()
    return None if row is None else MappingRun(**row._mapping)


def unfinished(conn: Connection) -> list[int]:
    """The mappings whose runs have not finished, oldest first."""
    query = select(R.mapping_id).where(R.finished.is_(None)).order_by(R.mapping_id)
    return list(conn.execute(query).scalars())


def take_up(conn: Connection, mapping_id: int) -> None:
    _set(conn, mapping_id, attempts=R.attempts + 1)


def advance(conn: Connection, mapping_id: int, done: int, total: int) -> None:
    _set(conn, mapping_id, done=done, total=total)


def fail(conn: Connection, mapping_id: int) -> None:
    _set(conn, mapping_id, failures=R.failures + 1)


def finish(
    conn: Connection, mapping_id: int, total: int, changed: int | None, at: datetime
) -> None:
    _set(conn, mapping_id, done=total, total=total, changed=changed, finished=at)


def _set(conn: Connection, mapping_id: int, **values: Any) -> None:
    conn.execute(update(t.mapping_runs).where(R.mapping_id == mapping_id).values(**values))
