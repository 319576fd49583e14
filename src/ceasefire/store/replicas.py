"""Shared records written as rows from their states: the inverse of ``store.records``.

``store.records`` reads a record's declared state from the columns and child rows that
store it; ``write_states`` writes those columns and child rows from a state, so that a
database holding records as some entries left them (``services.snapshots``) answers every
query the live one does. A column that is no field of the state is derived, as the
services derive it (the search key of an alias or of a mapped name), or a surrogate key
the database gives.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, LargeBinary

from ceasefire.domain.actors import normalize_name
from ceasefire.domain.states import Field, State, Type
from ceasefire.ledger import parse_time
from ceasefire.store.bulk import insert_many
from ceasefire.store.records import Child, RecordType

# columns that are no field of a state: (table) -> (column, the column it is the key of)
SEARCH_KEYS = {
    "actor_aliases": ("key", "alias"),
    "place_aliases": ("key", "alias"),
    "name_mappings": ("key", "name"),
}


def write_states(conn: Connection, kind: RecordType, states: Mapping[str, State]) -> None:
    """Insert the rows and child rows of these records (``{"regime:aleppo": fields}``)."""
    declared = {f.name: f for f in kind.kind.current.fields}
    fields = [(name, column, declared[name]) for name, column, _ in kind.row_fields()]
    rows: list[dict[str, Any]] = []
    children: dict[str, list[dict[str, Any]]] = {c.field: [] for c in kind.children}
    for record, state in states.items():
        row = dict(zip(kind.key, _key(kind, record), strict=True))
        for name, column, field in fields:
            row[column] = _value(kind.table.c[column], field, state[name])
        rows.append(_searchable(kind.table.name, row))
        for child in kind.children:
            children[child.field] += _child_rows(
                child, declared[child.field], row[kind.key[0]], state
            )
    insert_many(conn, kind.table, rows)
    for child in kind.children:
        insert_many(conn, child.table, children[child.field])


def _child_rows(child: Child, declared: Field, key: object, state: State) -> list[dict[str, Any]]:
    """The child rows of one field of a record's state (its aliases, its extensions...),
    under the parent record's key."""
    found = []
    for item in state[child.field]:
        if child.value is not None:
            row = {child.parent: key, child.value: item}
        else:
            row = {child.parent: key}
            for f in declared.items:
                row[f.name] = _value(child.table.c[f.name], f, item[f.name])
        found.append(_searchable(child.table.name, row))
    return found


def _key(kind: RecordType, record: str) -> list[Any]:
    """The key columns' values of a record id (``designation:un/us/isil``)."""
    _, _, key = record.partition(":")
    parts: Sequence[str] = [key] if len(kind.key) == 1 else key.split("/", len(kind.key) - 1)
    values: list[Any] = []
    for column, part in zip(kind.key_columns, parts, strict=True):
        values.append(int(part) if column.type.python_type is int else part)
    return values


def _value(column: Column[Any], declared: Field, value: Any) -> Any:
    """A state's value as its column holds it."""
    if value is None:
        return None
    if declared.type is Type.TIME:
        return parse_time(value, field=declared.name)
    if declared.type is Type.DATE:
        return date.fromisoformat(value)
    if declared.type is Type.GEOMETRY:
        return json.dumps(value)
    if isinstance(column.type, LargeBinary):
        return bytes.fromhex(value)  # a key's public key, which its state writes in hex
    return value


def _searchable(table: str, row: dict[str, Any]) -> dict[str, Any]:
    if table in SEARCH_KEYS:
        column, source = SEARCH_KEYS[table]
        row[column] = normalize_name(row[source])
    return row
