"""Fast bulk writes: rows go straight to the driver's executemany, through the same type
processing SQLAlchemy applies (UTC datetimes, JSON), without its per-row bookkeeping."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, select, text


def allocate_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """Reserve ``count`` new ids for ``table`` inside the current write transaction."""
    if count == 0:
        return []
    if conn.dialect.name == "postgresql":
        sequence = f"{table.name}_id_seq"
        query = text(f"SELECT nextval('{sequence}') FROM generate_series(1, :n)")
        return [int(v) for v in conn.execute(query, {"n": count}).scalars()]
    # SQLite: the write transaction began with BEGIN IMMEDIATE, so no one else can insert.
    last = conn.execute(select(func.max(table.c.id))).scalar()
    first = int(last or 0) + 1
    return list(range(first, first + count))


def insert_many(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row (all rows have the same keys) with one executemany."""
    if not rows:
        return
    columns = list(rows[0])
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=columns)
    processors: list[tuple[str, Callable[[Any], Any] | None]] = [
        (c, table.c[c].type._cached_bind_processor(conn.dialect)) for c in columns
    ]
    positions = compiled.positiontup
    if positions is not None:
        order = [processors[columns.index(name)] for name in positions]
        params: list[Any] = [tuple(p(row[c]) if p else row[c] for c, p in order) for row in rows]
    else:
        params = [{c: p(row[c]) if p else row[c] for c, p in processors} for row in rows]
    conn.exec_driver_sql(str(compiled), params)
