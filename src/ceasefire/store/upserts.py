"""Insert-or-update of one row by its key, saying what happened (for idempotent loads)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, and_, select


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def upsert(
    conn: Connection, table: Table, row: Mapping[str, Any], key: tuple[str, ...] = ("id",)
) -> Outcome:
    """Write ``row`` unless an identical one is there; compare every given column."""
    where = and_(*(table.c[k] == row[k] for k in key))
    existing = conn.execute(select(*(table.c[c] for c in row)).where(where)).mappings().first()
    if existing is None:
        conn.execute(table.insert().values(**row))
        return Outcome.CREATED
    if all(existing[c] == v for c, v in row.items()):
        return Outcome.UNCHANGED
    conn.execute(table.update().where(where).values(**row))
    return Outcome.UPDATED


def replace_children(
    conn: Connection, table: Table, parent_column: str, parent_id: str, rows: list[dict[str, Any]]
) -> bool:
    """Make the child rows of one parent exactly ``rows``; True when anything changed."""
    columns = [table.c[c] for c in rows[0]] if rows else list(table.c)
    current = (
        conn.execute(select(*columns).where(table.c[parent_column] == parent_id)).mappings().all()
    )
    wanted = [dict(r) for r in rows]
    if sorted(_frozen(r) for r in current) == sorted(_frozen(r) for r in wanted):
        return False
    conn.execute(table.delete().where(table.c[parent_column] == parent_id))
    if wanted:
        conn.execute(table.insert(), wanted)
    return True


def _frozen(row: Mapping[str, Any] | RowMapping) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in row.items()))
