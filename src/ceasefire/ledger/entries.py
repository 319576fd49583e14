"""Ledger entries: what one write says, who signed it, and the leaf bytes the tree holds.

An ``Entry`` is one write: its place in the log, when, what kind, to which record, the
change, its author, and the hash of the record's state before it. Its canonical form is
the RFC 8785 JSON of exactly those eight fields.

A ``SignedEntry`` is the entry with its author's Ed25519 signature; its ``leaf()`` is
what is appended to the Merkle tree, and it holds the signature, so the tree covers it::

    {"entry":{...},"signature":"<base64>"}

A bulk import may sign once for many entries: a ``BatchSignature`` signs the RFC 9162
root of the batch's canonical entries, and each member keeps its own leaf, which names
the batch and its place in it::

    {"batch":{"index":3,"root":"<hex>","size":1000},"entry":{...},"signature":"<base64>"}

The signed messages start with a label ending in a NUL byte: a C2SP signed note cannot
hold a NUL, so no entry or batch signature can be passed off as a note signature by the
same key, nor one kind of signature as the other. See docs/ledger.md, "Entries".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping, Sequence
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
from .errors import ProofError
from .hashing import HASH_SIZE, leaf_hash
from .keys import SIGNATURE_SIZE, PartyKey, PublicKey, SignatureError
from .proofs import verify_inclusion
from .sealing import sealed_of

ENTRY_FIELDS = frozenset(
    {"author_key_id", "author_party", "change", "kind", "previous", "record", "sequence", "time"}
)
ENTRY_SIGNATURE_LABEL = b"ceasefire/entry-signature/v1\x00"
"""Prefixed to an entry's canonical bytes to make the message its author signs."""
BATCH_SIGNATURE_LABEL = b"ceasefire/batch-signature/v1\x00"
"""Prefixed to a batch's size (8 bytes, big-endian) and root to make the signed message."""

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_KIND = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+")
_RECORD = re.compile(r"[a-z][a-z0-9_-]*:[^\s\x00-\x1f\x7f]+")
_PARTY = re.compile(r"[^\s\x00-\x1f\x7f]+")
_KEY_ID = re.compile(r"[0-9a-f]{8}")
_HASH = re.compile(r"[0-9a-f]{64}")


def state_hash(state: Mapping[str, JsonValue]) -> str:
    """Hex SHA-256 of a record state's canonical JSON: the ``previous`` of the next entry."""
    return hashlib.sha256(canonical_json(state, field="state")).hexdigest()


def format_time(time: datetime) -> str:
    """RFC 3339 in UTC with exactly six fractional digits: ``2016-02-27T00:00:00.000000Z``."""
    return time.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_time(text: str, *, field: str = "time") -> datetime:
    """The aware UTC datetime of a ``format_time`` text; any other shape is refused."""
    if not _TIME.fullmatch(text):
        raise InvalidInputError(
            field, f"{text!r} is not RFC 3339 UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ"
        )
    try:
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError as error:
        raise InvalidInputError(field, f"{text!r} is not a date and time: {error}") from None


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
        obj = _object(value, field, ENTRY_FIELDS)
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


@dataclass(frozen=True)
class BatchPosition:
    """Where a leaf's entry sits in the batch whose signature it carries."""

    root: bytes
    size: int
    index: int

    def __post_init__(self) -> None:
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            raise InvalidInputError("batch.root", f"must be {HASH_SIZE} bytes (SHA-256)")
        _check_count("batch.size", self.size, 1)
        _check_count("batch.index", self.index, 0)
        if self.index >= self.size:
            raise InvalidInputError(
                "batch.index", f"{self.index} is not below the batch size {self.size}"
            )

    def to_json(self) -> dict[str, JsonValue]:
        return {"index": self.index, "root": self.root.hex(), "size": self.size}


@dataclass(frozen=True)
class SignedEntry:
    """An entry and its author's signature: alone, or the signature of its batch."""

    entry: Entry
    signature: bytes
    batch: BatchPosition | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.signature, bytes) or len(self.signature) != SIGNATURE_SIZE:
            raise InvalidInputError("signature", f"must be {SIGNATURE_SIZE} bytes (Ed25519)")

    def leaf(self) -> bytes:
        """The bytes appended to the Merkle tree: RFC 8785 JSON of entry, signature, batch."""
        # RFC 8785 of {"batch"?, "entry", "signature"}, the members in their sorted order,
        # with the entry's canonical bytes as they are
        batch = b"" if self.batch is None else _member("batch", self.batch.to_json()) + b","
        signature = base64.b64encode(self.signature)
        return b"".join(
            (b"{", batch, b'"entry":', self.entry.canonical(), b',"signature":"', signature, b'"}')
        )

    def leaf_hash(self) -> bytes:
        """The RFC 9162 leaf hash of ``leaf()``."""
        return leaf_hash(self.leaf())

    @classmethod
    def from_leaf(cls, data: bytes) -> SignedEntry:
        """The signed entry whose ``leaf()`` is ``data``; anything else is refused."""
        value = parse_canonical(data, field="leaf")
        keys = {"batch", "entry", "signature"} if _has(value, "batch") else {"entry", "signature"}
        obj = _object(value, "leaf", frozenset(keys))
        batch = None if "batch" not in obj else _batch_from_json(obj["batch"])
        signed = cls(
            Entry.from_json(obj["entry"], field="leaf.entry"),
            _signature_from_json(obj["signature"]),
            batch,
        )
        if signed.leaf() != data:  # e.g. base64 with stray padding bits
            raise InvalidInputError("leaf", "does not encode its signature canonically")
        return signed

    def verify(self, key: PublicKey, *, batch_proof: Sequence[bytes] | None = None) -> None:
        """Check that ``key`` signed this entry, alone or in its batch.

        ``key`` must be the one the verifier trusts for ``entry.author_party`` under
        ``entry.author_key_id`` (a key id alone is easy to collide). A batch member also
        needs ``batch_proof``: the inclusion proof of its canonical entry in the batch
        tree (``batch_proof(entries, index)``). Raises ``SignatureError``.
        """
        entry = self.entry
        what = f"entry {entry.sequence} by {entry.author_party}"
        if key.key_id != entry.author_key_id:
            raise SignatureError(
                f"{what}: names key {entry.author_key_id}, "
                f"but was checked with key {key.name} ({key.key_id})"
            )
        if self.batch is None:
            if batch_proof is not None:
                raise InvalidInputError("batch_proof", f"{what} was signed alone, not in a batch")
            _verify(key, entry.signed_message(), self.signature, what)
            return
        if batch_proof is None:
            raise InvalidInputError("batch_proof", f"{what} was signed in a batch; pass its proof")
        batch = self.batch
        try:
            verify_inclusion(
                leaf_hash=leaf_hash(entry.canonical()),
                index=batch.index,
                size=batch.size,
                proof=batch_proof,
                root=batch.root,
            )
        except ProofError as error:
            raise SignatureError(
                f"{what}: not shown to be in batch {batch.root.hex()}: {error}"
            ) from error
        _verify(key, batch_message(batch.root, batch.size), self.signature, what)


def batch_message(root: bytes, size: int) -> bytes:
    """The bytes a batch's author signs: label, size as 8 bytes big-endian, root."""
    return BATCH_SIGNATURE_LABEL + size.to_bytes(8, "big") + root


def sign_entry(entry: Entry, key: PartyKey) -> SignedEntry:
    """Sign one entry with its author's key (``entry.author_key_id`` must be ``key``'s)."""
    if key.key_id != entry.author_key_id:
        raise InvalidInputError(
            "author_key_id", f"entry names key {entry.author_key_id}, not {key.key_id}"
        )
    return SignedEntry(entry, key.sign(entry.signed_message()))


def verify_leaf(
    data: bytes, *, index: int, key: PublicKey, batch_proof: Sequence[bytes] | None = None
) -> SignedEntry:
    """Read the leaf at ``index`` of the log, check its position and signature, return it."""
    signed = SignedEntry.from_leaf(data)
    if signed.entry.sequence != index:
        raise ProofError(f"leaf {index} holds the entry of sequence {signed.entry.sequence}")
    signed.verify(key, batch_proof=batch_proof)
    return signed


def _verify(key: PublicKey, message: bytes, signature: bytes, what: str) -> None:
    try:
        key.verify(message, signature)
    except SignatureError as error:
        raise SignatureError(f"{what}: {error}") from None


def _text(value: str) -> bytes:
    return canonical_json(value)


def _member(name: str, value: JsonValue) -> bytes:
    return _text(name) + b":" + canonical_json(value)


def _check(name: str, value: object, pattern: re.Pattern[str], rule: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidInputError(name, f"{value!r} is not {rule}")


def _check_count(name: str, value: object, least: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InvalidInputError(name, f"{value!r} is not an integer ≥ {least}")
    if value > MAX_SAFE_INTEGER:
        raise InvalidInputError(name, f"{value} is above 2**53 − 1")


def _has(value: JsonValue, key: str) -> bool:
    return isinstance(value, Mapping) and key in value


def _object(value: JsonValue, name: str, fields: frozenset[str]) -> Mapping[str, JsonValue]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(name, "must be a JSON object")
    missing, unknown = sorted(fields - value.keys()), sorted(value.keys() - fields)
    problems = [f"missing {', '.join(map(repr, missing))}"] if missing else []
    problems += [f"unknown {', '.join(map(repr, unknown))}"] if unknown else []
    if problems:
        raise InvalidInputError(name, f"fields: {'; '.join(problems)}")
    return value


def _batch_from_json(value: JsonValue) -> BatchPosition:
    obj = _object(value, "leaf.batch", frozenset({"index", "root", "size"}))
    root = obj["root"]
    if not isinstance(root, str) or not _HASH.fullmatch(root):
        raise InvalidInputError("leaf.batch.root", f"{root!r} is not 64 lower-case hex digits")
    try:
        return BatchPosition(bytes.fromhex(root), obj["size"], obj["index"])  # type: ignore[arg-type]
    except InvalidInputError as error:
        raise InvalidInputError(f"leaf.{error.field}", error.reason) from None


def _signature_from_json(value: JsonValue) -> bytes:
    if not isinstance(value, str):
        raise InvalidInputError("leaf.signature", f"{value!r} is not a base64 string")
    try:
        signature = base64.b64decode(value, validate=True)
    except binascii.Error as error:
        raise InvalidInputError("leaf.signature", f"is not base64: {error}") from None
    if len(signature) != SIGNATURE_SIZE:
        raise InvalidInputError(
            "leaf.signature", f"is {len(signature)} bytes; an Ed25519 signature is {SIGNATURE_SIZE}"
        )
    return signature
