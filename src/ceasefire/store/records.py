"""Shared records and their states: what the ledger's entries say about the store's rows.

A **record** is one row of a shared table with its child rows: a regime with its
exclusions and extension history, an actor with its aliases, a report. Its **state** is
those rows as a JSON object: every column but surrogate ids, times in the ledger's
RFC 3339 form, bytes in hex, child rows as sorted lists. The state is read from the
database both when a write is signed (after the write, in its transaction) and when
``ceasefire ledger verify`` checks the live database, so the two are computed by the same
code from the same rows, and any column changed outside a service shows as a difference.

What is derived from records (incidents, their classifications, subtree hashes) is not a
record: it is recomputed from them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Connection, RowMapping, Table, select, tuple_

from ceasefire.ledger import JsonValue, format_time
from ceasefire.store import tables as t

_CHUNK = 500  # keys per IN (...) query


@dataclass(frozen=True)
class Child:
    """Child rows kept in their parent record's state under ``field``."""

    field: str
    table: Table
    parent: str  # the column naming the parent record
    omit: tuple[str, ...] = ()  # surrogate ids, not part of the state


@dataclass(frozen=True)
class RecordType:
    """A shared table whose rows are records ``<name>:<key>`` (key columns joined by /)."""

    name: str
    table: Table
    key: tuple[str, ...] = ("id",)
    children: tuple[Child, ...] = ()
    omit: tuple[str, ...] = ()  # columns that are not shared state
    scope: str | None = None  # the column naming the agreement a record is scoped to

    def scope_of(self, state: dict[str, JsonValue]) -> str | None:
        """The agreement whose parties alone read this record (None: open to all): its
        entries are sealed (``ledger.sealing``)."""
        if self.scope is None:
            return None
        found = state.get(self.scope)
        return found if isinstance(found, str) else None

    def record(self, key: Sequence[Any]) -> str:
        return f"{self.name}:" + "/".join(str(k) for k in key)

    @property
    def key_columns(self) -> list[Column[Any]]:
        return [self.table.c[k] for k in self.key]


PARTY = RecordType("party", t.parties)
# a party's sealed private key is the host's secret, not shared state
KEY = RecordType("key", t.party_keys, key=("party_id", "key_id"), omit=("sealed_private",))
ACTOR = RecordType("actor", t.actors, children=(Child("aliases", t.actor_aliases, "actor_id"),))
PLACE = RecordType("place", t.places, children=(Child("aliases", t.place_aliases, "place_id"),))
AGREEMENT = RecordType(
    "agreement", t.agreements, children=(Child("parties", t.agreement_parties, "agreement_id"),)
)
REGIME = RecordType(
    "regime",
    t.regimes,
    children=(
        Child("exclusions", t.regime_exclusions, "regime_id"),
        Child("extensions", t.regime_extensions, "regime_id", omit=("id",)),
    ),
)
# records an agreement's parties alone read: reports and restrictions filed under it
# (NULL: open), and every assessment and measure
REPORT = RecordType("report", t.reports, scope="agreement_id")
# each revision of a finding is a record of its own: the history stays
ASSESSMENT = RecordType("assessment", t.assessments, scope="agreement_id")
MEASURE = RecordType(
    "measure",
    t.response_measures,
    children=(Child("comments", t.measure_comments, "measure_id", omit=("id",)),),
    scope="agreement_id",
)
RESTRICTION = RecordType("restriction", t.access_restrictions, scope="agreement_id")

RECORD_TYPES: dict[str, RecordType] = {
    r.name: r
    for r in (
        PARTY,
        KEY,
        ACTOR,
        PLACE,
        AGREEMENT,
        REGIME,
        REPORT,
        ASSESSMENT,
        MEASURE,
        RESTRICTION,
    )
}


def record_type(record: str) -> RecordType:
    """The type of a record id such as ``regime:aleppo``; ``KeyError`` if unknown."""
    return RECORD_TYPES[record.split(":", 1)[0]]


_AS_IS = frozenset({str, int, float, type(None), list, dict, bool})


def _value(value: Any) -> JsonValue:
    if type(value) in _AS_IS:  # str, numbers, None, JSON columns: most values
        return value  # type: ignore[no-any-return]
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value  # type: ignore[no-any-return]


def _row_state(row: RowMapping, skip: Sequence[str]) -> dict[str, JsonValue]:
    # str(): SQLAlchemy's column names are a str subclass, which canonical JSON's fast
    # path (exact types only) would refuse
    return {str(name): _value(value) for name, value in row.items() if name not in skip}


def _children(
    conn: Connection, child: Child, parents: Sequence[Any]
) -> dict[Any, list[dict[str, JsonValue]]]:
    found: dict[Any, list[dict[str, JsonValue]]] = {}
    skip = (child.parent, *child.omit)
    for start in range(0, len(parents), _CHUNK):
        chunk = parents[start : start + _CHUNK]
        rows = conn.execute(select(child.table).where(child.table.c[child.parent].in_(chunk)))
        for row in rows.mappings():
            found.setdefault(row[child.parent], []).append(_row_state(row, skip))
    for states in found.values():
        states.sort(key=lambda s: sorted((k, repr(v)) for k, v in s.items()))
    return found


def _states_of_rows(
    conn: Connection, kind: RecordType, rows: Sequence[RowMapping]
) -> dict[str, dict[str, JsonValue]]:
    skip = (*kind.key, *kind.omit)
    states = {kind.record([row[k] for k in kind.key]): _row_state(row, skip) for row in rows}
    if kind.children:
        parents = [row[kind.key[0]] for row in rows]
        for child in kind.children:
            found = _children(conn, child, parents)
            for row in rows:
                state = states[kind.record([row[k] for k in kind.key])]
                state[child.field] = found.get(row[kind.key[0]], [])
    return states


def read_states(
    conn: Connection, kind: RecordType, keys: Sequence[Sequence[Any]]
) -> dict[str, dict[str, JsonValue]]:
    """The current states of the given records (missing ones are left out)."""
    table = kind.table
    rows: list[RowMapping] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        if len(kind.key) == 1:
            where = kind.key_columns[0].in_([k[0] for k in chunk])
        else:
            where = tuple_(*kind.key_columns).in_([tuple(k) for k in chunk])
        rows.extend(conn.execute(select(table).where(where)).mappings().all())
    return _states_of_rows(conn, kind, rows)


def all_states(
    conn: Connection, kind: RecordType, *, batch: int = 5_000
) -> Iterator[dict[str, dict[str, JsonValue]]]:
    """Every record of a type with its state, a batch at a time, in key order."""
    query = select(kind.table).order_by(*kind.key_columns).limit(batch)
    last: tuple[Any, ...] | None = None
    while True:
        page = query
        if last is not None:
            page = query.where(tuple_(*kind.key_columns) > tuple_(*last))
        rows = conn.execute(page).mappings().all()
        if not rows:
            return
        yield _states_of_rows(conn, kind, rows)
        last = tuple(rows[-1][k] for k in kind.key)
