"""Ledger entries: what one write says, and the bytes its author signs.

An ``Entry`` is one write: its place in the log, when, what kind, to which record, the
change, its author, and the hash of the record's state before it. Its canonical form is
the RFC 8785 JSON of exactly those eight fields.

What the Merkle tree holds is the entry with its signature, a leaf (``leaves``). The
signed message starts with a label ending in a NUL byte: a C2SP signed note cannot hold a
NUL, so no entry signature can be passed off as a note signature by the same key. See
docs/ledger.md, "Entries".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ceasefire.domain.errors import InvalidInputError

from .canonical import (
    MAX_SAFE_INTEGER,
    JsonValue,
    canonical_json,
    freeze_canonical,
    parse_canonical,
)
from .objects import exact_object
from .sealing import sealed_of
from .timestamps import format_time, parse_time

ENTRY_FIELDS = frozenset(
    {"author_key_id", "author_party", "change", "kind", "previous", "record", "sequence", "time"}
)
ENTRY_SIGNATURE_LABEL = b"ceasefire/entry-signature/v1\x00"
"""Prefixed to an entry's canonical bytes to make the message its author signs."""

_KIND = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+")
_RECORD = re.compile(r"[a-z][a-z0-9_-]*:[^\s\x00-\x1f\x7f]+")
_PARTY = re.compile(r"[^\s\x00-\x1f\x7f]+")
_KEY_ID = re.compile(r"[0-9a-f]{8}")
_HASH = re.compile(r"[0-9a-f]{64}")


def state_hash(state: Mapping[str, JsonValue]) -> str:
    """Hex SHA-256 of a record state's canonical JSON: the ``previous`` of the next entry."""
    return hashlib.sha256(canonical_json(state, field="state")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One write to the ledger, as its author signs it.

    ``time`` is normalised to UTC (a naive datetime is refused); ``change`` is kept as a
    read-only copy (see ``canonical.freeze``) so the entry cannot change once built.
    """

    sequence: int
    time: datetime
    kind: str
    record: str
    change: Mapping[str, JsonValue]
    author_party: str
    author_key_id: str
    previous: str | None
    _canonical: bytes = field(init=False, repr=False, compare=False)
    _change: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.sequence, int) or isinstance(self.sequence, bool):
            raise InvalidInputError("sequence", f"{self.sequence!r} is not an integer")
        if not 0 <= self.sequence <= MAX_SAFE_INTEGER:
            raise InvalidInputError("sequence", f"{self.sequence} is outside 0..2**53 − 1")
        if not isinstance(self.time, datetime) or self.time.utcoffset() is None:
            raise InvalidInputError("time", f"{self.time!r} is not an aware datetime")
        _check("kind", self.kind, _KIND, "a dotted lower-case name like 'report.created'")
        _check("record", self.record, _RECORD, "'<type>:<id>', like 'regime:minsk-ii'")
        _check("author_party", self.author_party, _PARTY, "a party id with no spaces")
        _check("author_key_id", self.author_key_id, _KEY_ID, "8 lower-case hex digits")
        if self.previous is not None:
            _check("previous", self.previous, _HASH, "64 lower-case hex digits (SHA-256)")
        if not isinstance(self.change, Mapping):
            raise InvalidInputError("change", "must be a JSON object (a mapping)")
        object.__setattr__(self, "time", self.time.astimezone(UTC))
        change, change_text = freeze_canonical(self.change, field="change")
        object.__setattr__(self, "change", change)
        object.__setattr__(self, "_change", change_text)
        object.__setattr__(self, "_canonical", self._encode(change_text))

    def _encode(self, change_text: bytes) -> bytes:
        # The canonical JSON of to_json(), written member by member in RFC 8785 order
        # (the names are ASCII and sorted) so that the change is walked only once.
        previous = b"null" if self.previous is None else _text(self.previous)
        return b"".join(
            (
                b'{"author_key_id":',
                _text(self.author_key_id),
                b',"author_party":',
                _text(self.author_party),
                b',"change":',
                change_text,
                b',"kind":',
                _text(self.kind),
                b',"previous":',
                previous,
                b',"record":',
                _text(self.record),
                b',"sequence":',
                str(self.sequence).encode("ascii"),
                b',"time":',
                _text(format_time(self.time)),
                b"}",
            )
        )

    def __hash__(self) -> int:
        return hash(self._canonical)

    def to_json(self) -> dict[str, JsonValue]:
        """The entry as a JSON object: the eight fields, ``time`` as ``format_time`` writes it."""
        return {
            "author_key_id": self.author_key_id,
            "author_party": self.author_party,
            "change": self.change,
            "kind": self.kind,
            "previous": self.previous,
            "record": self.record,
            "sequence": self.sequence,
            "time": format_time(self.time),
        }

    def canonical(self) -> bytes:
        """RFC 8785 JSON of the eight fields (``previous`` is ``null`` when there is none)."""
        return self._canonical

    def state_hash(self) -> str:
        """The hash of the state this entry leaves, the ``previous`` of the record's next
        entry: ``state_hash(self.change)``, or a sealed entry's commitment (``sealing``)."""
        sealed = self.sealed()
        return sealed[1] if sealed is not None else hashlib.sha256(self._change).hexdigest()

    def sealed(self) -> tuple[str, str] | None:
        """``(agreement, commitment)`` when the entry is sealed (``sealing``), else None."""
        return sealed_of(self.change)

    def signed_message(self) -> bytes:
        """What the author signs: ``ENTRY_SIGNATURE_LABEL`` then the canonical bytes."""
        return ENTRY_SIGNATURE_LABEL + self._canonical

    @classmethod
    def from_canonical(cls, data: bytes) -> Entry:
        """The entry whose ``canonical()`` is ``data``; anything else is refused."""
        return cls.from_json(parse_canonical(data, field="entry"))

    @classmethod
    def from_json(cls, value: JsonValue, *, field: str = "entry") -> Entry:
        """An entry from its JSON object; missing or unknown fields are named in the error."""
        obj = exact_object(value, field, ENTRY_FIELDS)
        time = obj["time"]
        if not isinstance(time, str):
            raise InvalidInputError(f"{field}.time", f"{time!r} is not a string")
        change = obj["change"]
        if not isinstance(change, Mapping):
            raise InvalidInputError(f"{field}.change", "must be a JSON object")
        try:
            return cls(
                sequence=obj["sequence"],  # type: ignore[arg-type]  # checked by __post_init__
                time=parse_time(time, field=f"{field}.time"),
                kind=obj["kind"],  # type: ignore[arg-type]
                record=obj["record"],  # type: ignore[arg-type]
                change=change,
                author_party=obj["author_party"],  # type: ignore[arg-type]
                author_key_id=obj["author_key_id"],  # type: ignore[arg-type]
                previous=obj["previous"],  # type: ignore[arg-type]
            )
        except InvalidInputError as error:
            if error.field.startswith(f"{field}."):
                raise
            raise InvalidInputError(f"{field}.{error.field}", error.reason) from None


def _text(value: str) -> bytes:
    return canonical_json(value)


def _check(name: str, value: object, pattern: re.Pattern[str], rule: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidInputError(name, f"{value!r} is not {rule}")
