"""The record contract: what a shared record's state is, declared once, with a version.

Every kind of shared record (a report, a regime, an assessment...) declares its **state**:
named fields of fixed types, as a numbered version (``report/1``). The ledger's entries
commit to that state's JSON, never to table columns, so tables can change freely; a
release that changes what a state *means* declares a new version with an ``upgrade``
from the one before, and its records get host-signed ``<kind>.migrated`` entries that
``ceasefire ledger verify`` checks against that upgrade (docs/ledger.md, "The record
contract"). The kinds themselves are declared in ``domain.records``.

A state's JSON document is its fields with ``"$state": "<kind>/<version>"``. Version 0 of
every kind is the state release 0.1.0 wrote, before states had versions: every column of
the table row, untagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ceasefire.domain.errors import InvalidInputError

TAG = "$state"
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")

State = dict[str, Any]  # a state's fields, JSON values
Upgrade = Callable[[Mapping[str, Any]], State]


class StateError(InvalidInputError):
    """A state that is not what its version declares; ``field`` names where."""


class Type(Enum):
    """What a field holds, and how it is written in JSON."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # an integer or a float
    TIME = "time"  # UTC, RFC 3339 with six fractional digits: 2016-02-26T22:00:00.000000Z
    DATE = "date"  # YYYY-MM-DD
    JSON = "json"  # any JSON value, kept as given
    GEOMETRY = "geometry"  # a GeoJSON geometry object
    TEXTS = "texts"  # a list of strings, sorted
    ITEMS = "items"  # a list of objects of the field's ``items``, in the field's ``order``


@dataclass(frozen=True)
class Field:
    name: str
    type: Type = Type.TEXT
    optional: bool = False  # may be null
    items: tuple[Field, ...] = ()  # Type.ITEMS: the fields of each object
    order: tuple[str, ...] = ()  # Type.ITEMS: the fields the list is sorted by (none: as given)


def text(name: str, *, optional: bool = False) -> Field:
    return Field(name, Type.TEXT, optional)


def integer(name: str, *, optional: bool = False) -> Field:
    return Field(name, Type.INTEGER, optional)


def number(name: str) -> Field:
    return Field(name, Type.NUMBER)


def time(name: str, *, optional: bool = False) -> Field:
    return Field(name, Type.TIME, optional)


def items(name: str, fields: Sequence[Field], order: Sequence[str]) -> Field:
    return Field(name, Type.ITEMS, items=tuple(fields), order=tuple(order))


def unordered(fields: Sequence[Field]) -> tuple[Field, ...]:
    """The fields with lists kept as given (release 0.1.0 sorted them its own way)."""
    return tuple(Field(f.name, f.type, f.optional, f.items) for f in fields)


@dataclass(frozen=True)
class Version:
    """One version of a kind's state; ``upgrade`` makes it from the version before."""

    number: int
    fields: tuple[Field, ...]
    upgrade: Upgrade | None = None

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class StateKind:
    """A kind of shared record: its versions, oldest first, and the field naming the
    agreement whose parties alone read a record (None: open). The kinds release 0.1.0
    wrote start at version 0, its untagged states; a later kind starts at version 1."""

    name: str
    versions: tuple[Version, ...]
    scope: str | None = None

    def __post_init__(self) -> None:
        numbers = [v.number for v in self.versions]
        first = numbers[0] if numbers else -1
        if first not in (0, 1) or numbers != list(range(first, first + len(numbers))):
            raise ValueError(f"{self.name}: versions must be 0, 1, 2... or 1, 2...: {numbers}")
        if any(v.upgrade is None for v in self.versions[1:]):
            raise ValueError(f"{self.name}: every version after the first needs its upgrade")

    @property
    def current(self) -> Version:
        return self.versions[-1]

    def version(self, number: int) -> Version:
        return self.versions[number - self.versions[0].number]

    def tag(self, version: int | None = None) -> str:
        """``report/1``: the kind and a version (default: the current one)."""
        return f"{self.name}/{self.current.number if version is None else version}"

    def document(self, state: Mapping[str, Any]) -> State:
        """A current state's JSON document: its fields and its tag."""
        return {TAG: self.tag(), **state}

    def version_of(self, document: Mapping[str, Any]) -> int:
        """The version a document says it is (untagged: 0, release 0.1.0's)."""
        first = self.versions[0].number
        tag = document.get(TAG)
        if tag is None:
            if first == 0:
                return 0
            raise StateError(TAG, f"is missing: a {self.name} state says its version")
        kind, _, number = str(tag).partition("/")
        known = number.isdigit() and first <= int(number) <= self.current.number
        if kind != self.name or not known or number != str(int(number)):
            raise StateError(TAG, f"{tag!r} is not a version of {self.name} this release reads")
        return int(number)

    def read(self, document: Mapping[str, Any]) -> tuple[int, State]:
        """The version and the fields of a document, checked against that version's
        declaration (``StateError`` names the field)."""
        version = self.version_of(document)
        state = {k: v for k, v in document.items() if k != TAG}
        check(self.version(version).fields, state, "")
        return version, state

    def upgraded(self, document: Mapping[str, Any], to: int | None = None) -> State:
        """A document of an earlier version as a document of version ``to`` (default: the
        current one), by the declared upgrades."""
        target = self.current.number if to is None else to
        version, state = self.read(document)
        if version > target:
            raise StateError(TAG, f"{self.tag(version)} is later than {self.tag(target)}")
        first = self.versions[0].number
        for later in self.versions[version + 1 - first : target + 1 - first]:
            assert later.upgrade is not None
            state = later.upgrade(state)
            check(later.fields, state, "")
        return {TAG: self.tag(target), **state}

    def scope_of(self, state: Mapping[str, Any]) -> str | None:
        """The agreement a record is scoped to (None: open to every party)."""
        if self.scope is None:
            return None
        found = state.get(self.scope)
        return found if isinstance(found, str) else None


def check(fields: Sequence[Field], state: Mapping[str, Any], path: str) -> None:
    """That ``state`` has exactly these fields, each of its type; else ``StateError``."""
    names = {f.name for f in fields}
    missing = [n for n in sorted(names) if n not in state]
    unknown = sorted(k for k in state if k not in names)
    if missing or unknown:
        parts = [f"missing {missing[0]!r}"] if missing else []
        parts += [f"unknown {unknown[0]!r}"] if unknown else []
        raise StateError(path or "state", "; ".join(parts))
    for f in fields:
        where = f"{path}.{f.name}" if path else f.name
        value = state[f.name]
        if value is None:
            if not f.optional:
                raise StateError(where, "is null, and the state requires it")
            continue
        _check_value(f, value, where)


def _check_value(f: Field, value: Any, where: str) -> None:
    kind = f.type
    if kind is Type.JSON:
        return
    if kind is Type.INTEGER:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is Type.NUMBER:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind is Type.TEXT:
        ok = isinstance(value, str)
    elif kind is Type.TIME:
        ok = isinstance(value, str) and _TIME.fullmatch(value) is not None
    elif kind is Type.DATE:
        ok = isinstance(value, str) and _DATE.fullmatch(value) is not None
    elif kind is Type.GEOMETRY:
        ok = isinstance(value, dict) and isinstance(value.get("type"), str)
    elif kind is Type.TEXTS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        ok = ok and value == sorted(value)
    else:  # ITEMS
        ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
        if ok:
            for i, item in enumerate(value):
                check(f.items, item, f"{where}[{i}]")
            ok = not f.order or value == ordered(f, value)
    if not ok:
        raise StateError(where, f"is not {_described(kind)}: {value!r:.80}")


def _described(kind: Type) -> str:
    return {
        Type.TIME: "a UTC time such as 2016-02-26T22:00:00.000000Z",
        Type.DATE: "a date such as 2016-02-27",
        Type.GEOMETRY: "a GeoJSON geometry",
        Type.TEXTS: "a sorted list of strings",
        Type.ITEMS: "a list of objects in its order",
    }.get(kind, f"of type {kind.value}")


def ordered(f: Field, values: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Items in a field's order: by its ``order`` fields, then by every field."""

    def key(item: Mapping[str, Any]) -> tuple[tuple[bool, str], ...]:
        names = (*f.order, *sorted(item))
        return tuple((item.get(n) is not None, _sortable(item.get(n))) for n in names)

    return sorted(values, key=key)


def _sortable(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value + 10**20:022d}"  # numeric order for integers of |value| < 10**20
    return repr(value)


def differing(written: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The names of the fields (and the tag) two documents disagree on."""
    return sorted(k for k in {*written, *stored} if written.get(k) != stored.get(k))
