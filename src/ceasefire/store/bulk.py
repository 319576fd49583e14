"""Fast bulk writes: rows go straight to the driver's executemany, through the same type
processing SQLAlchemy applies (UTC datetimes, JSON), without its per-row bookkeeping.
Values are processed column by column, which keeps the per-value cost to a C-level map."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table

# PostgreSQL: rows up to this many go in one INSERT (one round trip), more with COPY, which
# costs two round trips and a cursor of its own before it pays (a filed report's rows)
_FEW = 8


def insert_columns(conn: Connection, table: Table, data: Mapping[str, Sequence[Any]]) -> None:
    """INSERT rows given column by column (every sequence as long as the others)."""
    names = list(data)
    lengths = {len(data[c]) for c in names}
    if len(lengths) > 1:
        raise ValueError(f"columns of unequal length for {table.name}: {sorted(lengths)}")
    if not names or not lengths or lengths == {0}:
        return
    sql, positions, processors = _insert(table, tuple(names), conn.dialect)
    values: dict[str, Sequence[Any]] = {
        name: list(map(process, data[name])) if process else data[name]
        for name, process in zip(names, processors, strict=True)
    }
    if conn.dialect.name == "postgresql" and lengths.pop() > _FEW:
        _copy(conn, table, names, values)
        return
    params: list[Any]
    if positions is not None:
        params = list(zip(*(values[name] for name in positions), strict=True))
    else:
        params = [dict(zip(names, row, strict=True)) for row in zip(*values.values(), strict=True)]
    conn.exec_driver_sql(sql, params[0] if len(params) == 1 else params)  # one: no executemany


@functools.lru_cache(maxsize=256)
def _insert(
    table: Table, names: tuple[str, ...], dialect: Dialect
) -> tuple[str, Sequence[str] | None, tuple[Callable[[Any], Any] | None, ...]]:
    """The INSERT of these columns and each column's bind processing, found once per
    table, columns and dialect (not looked up again for every insert of a filed report)."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(names))
    processors = tuple(table.c[name].type._cached_bind_processor(dialect) for name in names)
    return str(compiled), compiled.positiontup, processors


def insert_many(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row (all rows have the same keys) with one executemany."""
    if rows:
        insert_columns(conn, table, {c: [row[c] for row in rows] for c in rows[0]})


def _copy(
    conn: Connection, table: Table, names: list[str], values: dict[str, Sequence[Any]]
) -> None:
    """PostgreSQL: COPY the rows in, in the caller's transaction (several times faster than
    executemany, which sends one statement per row)."""
    driver = conn.connection.driver_connection
    columns = ", ".join(f'"{name}"' for name in names)
    sql = f'COPY "{table.name}" ({columns}) FROM STDIN'
    with driver.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
        for row in zip(*(values[name] for name in names), strict=True):
            copy.write_row(row)
