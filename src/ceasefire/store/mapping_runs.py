"""The runs that resolve again the stored reports giving a mapped name (``mapping_runs``):
which are unfinished, how far each got, what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from ceasefire.store import tables as t

R = t.mapping_runs.c


@dataclass(frozen=True, slots=True)
class MappingRun:
    mapping_id: int
    author: str | None  # signs the rewrites (None: the host)
    total: int | None  # reports to rewrite, once found
    done: int
    changed: int | None  # incidents changed that the author's party reads, once finished
    # (None too when it was stopped and taken up again)
    finished: datetime | None


def add_run(conn: Connection, mapping_id: int, author: str | None) -> None:
    conn.execute(t.mapping_runs.insert().values(mapping_id=mapping_id, author=author, done=0))


def run_of(conn: Connection, mapping_id: int) -> MappingRun | None:
    row = conn.execute(select(t.mapping_runs).where(R.mapping_id == mapping_id)).first()
    return None if row is None else MappingRun(*row)


def unfinished(conn: Connection) -> list[int]:
    """The mappings whose runs have not finished, oldest first."""
    query = select(R.mapping_id).where(R.finished.is_(None)).order_by(R.mapping_id)
    return list(conn.execute(query).scalars())


def advance(conn: Connection, mapping_id: int, done: int, total: int) -> None:
    conn.execute(
        update(t.mapping_runs).where(R.mapping_id == mapping_id).values(done=done, total=total)
    )


def finish(
    conn: Connection, mapping_id: int, total: int, changed: int | None, at: datetime
) -> None:
    values = {"done": total, "total": total, "changed": changed, "finished": at}
    conn.execute(update(t.mapping_runs).where(R.mapping_id == mapping_id).values(**values))
