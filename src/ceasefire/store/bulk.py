"""Fast bulk writes: rows go straight to the driver's executemany, through the same type
processing SQLAlchemy applies (UTC datetimes, JSON), without its per-row bookkeeping.
Values are processed column by column, which keeps the per-value cost to a C-level map."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Dialect, Table
from sqlalchemy.exc import DBAPIError

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
        send_deferred(conn)  # COPY cannot share their round trip
        _copy(conn, table, names, values)
        return
    params: list[Any]
    if positions is not None:
        params = list(zip(*(values[name] for name in positions), strict=True))
    else:
        params = [dict(zip(names, row, strict=True)) for row in zip(*values.values(), strict=True)]
    deferred: list[tuple[str, list[Any]]] | None = conn.info.get(_DEFERRED)
    if deferred is not None:
        deferred.append((sql, params))
        return
    conn.exec_driver_sql(sql, params[0] if len(params) == 1 else params)  # one: no executemany


_DEFERRED = "ceasefire.bulk.deferred"  # in a connection's info: INSERTs not sent yet


@contextmanager
def deferred(conn: Connection, *, commit: bool = False) -> Iterator[None]:
    """PostgreSQL: the block's INSERTs (``insert_columns``) are sent together, in one round
    trip, when the block ends, or before any other statement the connection runs (so that a
    read sees them, and the order of statements holds); an INSERT that fails raises there.
    A write group's rows of five tables took five round trips under the log's lock, each
    waiting for the server's answer and then for a core. ``commit``: the transaction's
    ``COMMIT`` goes with them (the transaction's own commit then has nothing to do); a
    block that raises sends nothing. SQLite: nothing changes."""
    if conn.dialect.name != "postgresql" or _DEFERRED in conn.info:
        yield
        return
    conn.info[_DEFERRED] = []
    try:
        yield
        _send(conn.info, conn.connection.driver_connection, commit=commit)
    finally:
        conn.info.pop(_DEFERRED, None)


def send_deferred(conn: Connection) -> None:
    """Send the INSERTs deferred so far on this connection, in one pipeline."""
    _send(conn.info, conn.connection.driver_connection)


def _send(info: dict[Any, Any], driver: Any, *, commit: bool = False) -> None:
    queued: list[tuple[str, list[Any]]] | None = info.get(_DEFERRED)
    if not queued and not commit:
        return
    statements = list(queued or [])
    if queued:
        queued.clear()
    try:
        with driver.pipeline(), driver.cursor() as cursor:
            for sql, params in statements:
                if len(params) == 1:
                    cursor.execute(sql, params[0])
                else:
                    cursor.executemany(sql, params)
            if commit:
                cursor.execute("COMMIT")
    except driver.Error as error:  # as SQLAlchemy would have raised it (the error says
        # which statement failed; the pipeline answers only once all were sent)
        sent = "; ".join([sql.split("(", 1)[0].strip() for sql, _ in statements])
        raise DBAPIError.instance(sent, None, error, type(driver).Error) from error


def send_deferred_first(
    conn: Connection, _cursor: Any, _statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    """Before any statement on a connection with deferred INSERTs, send them (the engine's
    ``before_cursor_execute`` event: ``store.database``)."""
    if conn.info.get(_DEFERRED):
        _send(conn.info, conn.connection.driver_connection)


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
