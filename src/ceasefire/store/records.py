"""Shared records as rows: how each kind's declared state (``domain.records``) is read from
the tables that store it.

A **record** is one row of a shared table with its child rows: a regime with its excluded
actors and extension history, an actor with its aliases, a report. Its **state** is what
the kind declares, at the current version, read field by field from named columns — never
"every column", so a table can gain a column without changing any record's state. The
state is read by the same code when a write is signed (after the write, in its
transaction; or built from the rows it inserted, ``states_of_written``) and when
``ceasefire ledger verify`` checks the live database, so any field changed outside a
service shows as a difference.

What is derived from records (incidents, their classifications, subtree hashes) is not a
record: it is computed again from them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Column,
    Connection,
    RowMapping,
    Select,
    Table,
    bindparam,
    select,
    tuple_,
)

from ceasefire.domain import new_records as new_kinds
from ceasefire.domain import records as kinds
from ceasefire.domain.states import Field, State, StateKind, Type, ordered
from ceasefire.ledger import format_time
from ceasefire.store import tables as t

_CHUNK = 500  # keys per IN (...) query


@dataclass(frozen=True)
class Child:
    """Child rows that make one field of their parent's state: a list of objects whose
    fields are columns of the same names (``Type.ITEMS``), or of the values of the column
    ``value`` (``Type.TEXTS``)."""

    field: str
    table: Table
    parent: str  # the column naming the parent record
    value: str | None = None


@dataclass(frozen=True)
class RecordType:
    """A kind of record, ``<kind>:<key>`` (key columns joined by /), stored in ``table``;
    ``columns`` names the column of each field whose column has another name."""

    kind: StateKind
    table: Table
    key: tuple[str, ...] = ("id",)
    columns: Mapping[str, str] = field(default_factory=dict)
    children: tuple[Child, ...] = ()

    @property
    def name(self) -> str:
        return self.kind.name

    def scope_of(self, state: Mapping[str, Any]) -> str | None:
        """The agreement whose parties alone read this record (None: open to all): its
        entries are sealed (``ledger.sealing``)."""
        return self.kind.scope_of(state)

    def record(self, key: Sequence[Any]) -> str:
        return f"{self.name}:" + "/".join(str(k) for k in key)

    @property
    def key_columns(self) -> list[Column[Any]]:
        return [self.table.c[k] for k in self.key]

    def row_fields(self) -> list[tuple[str, str, Callable[[Any], Any]]]:
        """(field, column, conversion) of each field the parent row holds."""
        own = {c.field for c in self.children}
        return [
            (f.name, self.columns.get(f.name, f.name), _converter(f))
            for f in self.kind.current.fields
            if f.name not in own
        ]


def _as_is(value: Any) -> Any:
    return value


def _time(value: datetime | None) -> str | None:
    return None if value is None else format_time(value)


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _geometry(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _text(value: Any) -> Any:
    if value is None or type(value) is str:
        return value
    if isinstance(value, bytes | memoryview):  # a key's public key: hex
        return bytes(value).hex()
    return str(value)  # a str subclass, which canonical JSON's fast path refuses


_CONVERTERS: dict[Type, Callable[[Any], Any]] = {
    Type.TIME: _time,
    Type.DATE: _date,
    Type.GEOMETRY: _geometry,
    Type.TEXT: _text,
}


def _converter(f: Field) -> Callable[[Any], Any]:
    return _CONVERTERS.get(f.type, _as_is)


PARTY = RecordType(kinds.PARTY, t.parties)
KEY = RecordType(kinds.KEY, t.party_keys, key=("party_id", "key_id"))
ACTOR = RecordType(
    kinds.ACTOR,
    t.actors,
    children=(
        Child("aliases", t.actor_aliases, "actor_id", "alias"),
        Child("references", t.actor_references, "actor_id"),
        Child("affiliations", t.actor_affiliations, "actor_id"),
    ),
)
PLACE = RecordType(
    kinds.PLACE,
    t.places,
    columns={"geometry": "geojson"},
    children=(Child("aliases", t.place_aliases, "place_id", "alias"),),
)
AGREEMENT = RecordType(
    kinds.AGREEMENT,
    t.agreements,
    children=(
        Child("parties", t.agreement_parties, "agreement_id"),
        Child("hostilities", t.agreement_hostilities, "agreement_id", "event_type"),
    ),
)
REGIME = RecordType(
    kinds.REGIME,
    t.regimes,
    columns={"geometry": "geojson"},
    children=(
        Child("excluded_actor_ids", t.regime_exclusions, "regime_id", "actor_id"),
        Child("extensions", t.regime_extensions, "regime_id"),
        Child("exclusion_follows", t.regime_follows, "regime_id", "relation"),
    ),
)
REPORT = RecordType(kinds.REPORT, t.reports)
ASSESSMENT = RecordType(kinds.ASSESSMENT, t.assessments)
MEASURE = RecordType(
    kinds.MEASURE,
    t.response_measures,
    children=(Child("comments", t.measure_comments, "measure_id"),),
)
RESTRICTION = RecordType(kinds.RESTRICTION, t.access_restrictions)
DESIGNATION_LIST = RecordType(
    new_kinds.DESIGNATION_LIST,
    t.designation_lists,
    children=(Child("members", t.designation_list_members, "list_id", "party_id"),),
)
ACCESSION = RecordType(new_kinds.ACCESSION, t.accessions)
NAME_MAPPING = RecordType(new_kinds.NAME_MAPPING, t.name_mappings)
CONTROL_AREA = RecordType(new_kinds.CONTROL_AREA, t.control_areas, columns={"geometry": "geojson"})
DESIGNATION = RecordType(
    new_kinds.DESIGNATION, t.designations, key=("list_id", "party_id", "actor_id")
)
HUMANITARIAN_LOCATION = RecordType(
    new_kinds.HUMANITARIAN_LOCATION,
    t.humanitarian_locations,
    children=(Child("statuses", t.humanitarian_location_statuses, "location_id"),),
)
HUMANITARIAN_REQUEST = RecordType(new_kinds.HUMANITARIAN_REQUEST, t.humanitarian_requests)
HUMANITARIAN_DELIVERY = RecordType(new_kinds.HUMANITARIAN_DELIVERY, t.humanitarian_deliveries)
DAILY_REPORT = RecordType(new_kinds.DAILY_REPORT, t.daily_reports)
CANDIDATE_REJECTION = RecordType(new_kinds.CANDIDATE_REJECTION, t.candidate_rejections)

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
        DESIGNATION_LIST,
        DESIGNATION,
        ACCESSION,
        CONTROL_AREA,
        NAME_MAPPING,
        HUMANITARIAN_LOCATION,
        HUMANITARIAN_REQUEST,
        HUMANITARIAN_DELIVERY,
        DAILY_REPORT,
        CANDIDATE_REJECTION,
    )
}
assert set(RECORD_TYPES) == set(kinds.KINDS), "every declared kind is stored, and no other"


def record_type(record: str) -> RecordType:
    """The type of a record id such as ``regime:aleppo``; ``KeyError`` if unknown."""
    return RECORD_TYPES[record.split(":", 1)[0]]


def _children(
    conn: Connection, kind: RecordType, child: Child, parents: Sequence[Any]
) -> dict[Any, list[Any]]:
    declared = kind.kind.current.field(child.field)
    if child.value is not None:
        wanted = [child.table.c[child.parent], child.table.c[child.value]]
    else:
        wanted = [child.table.c[child.parent], *(child.table.c[f.name] for f in declared.items)]
    converters = [(f.name, _converter(f)) for f in declared.items]
    found: dict[Any, list[Any]] = {}
    for start in range(0, len(parents), _CHUNK):
        chunk = parents[start : start + _CHUNK]
        query = select(*wanted).where(child.table.c[child.parent].in_(chunk))
        for row in conn.execute(query).mappings():
            if child.value is not None:
                item: Any = _text(row[child.value])
            else:
                item = {name: convert(row[name]) for name, convert in converters}
            found.setdefault(row[child.parent], []).append(item)
    for parent, values in found.items():
        found[parent] = sorted(values) if child.value is not None else ordered(declared, values)
    return found


def states_of_written(kind: RecordType, rows: Sequence[Mapping[str, Any]]) -> dict[str, State]:
    """The state documents of records whose rows a write has just inserted, built from the
    values it inserted instead of read back (for a kind with no child rows): the same
    fields and conversions as ``read_states``. The tests check, on every write, that the
    two agree (``services.writers.Writer.check_written``)."""
    if kind.children:
        raise ValueError(f"a {kind.name} has child rows: read its state back")
    states = _own_fields(kind, rows)
    return {record: kind.kind.document(state) for record, state in states.items()}


def _own_fields(kind: RecordType, rows: Sequence[Mapping[Any, Any]]) -> dict[str, State]:
    fields = kind.row_fields()
    states: dict[str, State] = {}
    for row in rows:
        state = {name: convert(row[column]) for name, column, convert in fields}
        states[kind.record([row[k] for k in kind.key])] = state
    return states


def _states_of_rows(
    conn: Connection, kind: RecordType, rows: Sequence[RowMapping]
) -> dict[str, State]:
    states = _own_fields(kind, rows)
    if kind.children:
        parents = [row[kind.key[0]] for row in rows]
        for child in kind.children:
            found = _children(conn, kind, child, parents)
            for row in rows:
                state = states[kind.record([row[k] for k in kind.key])]
                state[child.field] = found.get(row[kind.key[0]], [])
    return {record: kind.kind.document(state) for record, state in states.items()}


def _columns(kind: RecordType) -> list[Column[Any]]:
    names = dict.fromkeys([*kind.key, *(column for _, column, _ in kind.row_fields())])
    return [kind.table.c[name] for name in names]


def read_states(
    conn: Connection, kind: RecordType, keys: Sequence[Sequence[Any]]
) -> dict[str, State]:
    """The current state documents of the given records (missing ones are left out)."""
    rows: list[RowMapping] = []
    columns = _columns(kind)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        if len(kind.key) == 1:
            found = conn.execute(_by_key(kind), {"keys": [k[0] for k in chunk]})
        else:
            where = tuple_(*kind.key_columns).in_([tuple(k) for k in chunk])
            found = conn.execute(select(*columns).where(where))
        rows.extend(found.mappings().all())
    return _states_of_rows(conn, kind, rows)


_BY_KEY: dict[str, Select[Any]] = {}


def _by_key(kind: RecordType) -> Select[Any]:
    """The rows of records of a one-column key, built once per kind (every write reads
    the states of the records it changed: building the statement cost more than running it)."""
    query = _BY_KEY.get(kind.name)
    if query is None:
        keys: BindParameter[Any] = bindparam("keys", expanding=True)
        query = _BY_KEY[kind.name] = select(*_columns(kind)).where(kind.key_columns[0].in_(keys))
    return query


def all_states(
    conn: Connection, kind: RecordType, *, batch: int = 5_000
) -> Iterator[dict[str, State]]:
    """Every record of a type with its state document, a batch at a time, in key order."""
    query = select(*_columns(kind)).order_by(*kind.key_columns).limit(batch)
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
