"""Leaves: a signed entry as the Merkle tree holds it.

A ``SignedEntry`` is an entry with its author's Ed25519 signature; its ``leaf()`` is what
is appended to the Merkle tree, and it holds the signature, so the tree covers it::

    {"entry":{...},"signature":"<base64>"}

A bulk import may sign once for many entries: a ``BatchSignature`` signs the RFC 9162
root of the batch's canonical entries, and each member keeps its own leaf, which names
the batch and its place in it (a ``BatchPosition``)::

    {"batch":{"index":3,"root":"<hex>","size":1000},"entry":{...},"signature":"<base64>"}

The signed messages start with a label ending in a NUL byte: a C2SP signed note cannot
hold a NUL, so no entry or batch signature can be passed off as a note signature by the
same key, nor one kind of signature as the other. See docs/ledger.md, "Entries".
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ceasefire.domain.errors import InvalidInputError

from .canonical import MAX_SAFE_INTEGER, JsonValue, canonical_json, parse_canonical
from .entries import Entry
from .errors import ProofError
from .hashing import HASH_SIZE, leaf_hash
from .keys import SIGNATURE_SIZE, PartyKey, PublicKey, SignatureError
from .objects import exact_object, has_member
from .proofs import verify_inclusion

BATCH_SIGNATURE_LABEL = b"ceasefire/batch-signature/v1\x00"
"""Prefixed to a batch's size (8 bytes, big-endian) and root to make the signed message."""

_HASH = re.compile(r"[0-9a-f]{64}")


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
        keys = (
            {"batch", "entry", "signature"}
            if has_member(value, "batch")
            else {"entry", "signature"}
        )
        obj = exact_object(value, "leaf", frozenset(keys))
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


def _member(name: str, value: JsonValue) -> bytes:
    return canonical_json(name) + b":" + canonical_json(value)


def _check_count(name: str, value: object, least: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InvalidInputError(name, f"{value!r} is not an integer ≥ {least}")
    if value > MAX_SAFE_INTEGER:
        raise InvalidInputError(name, f"{value} is above 2**53 − 1")


def _batch_from_json(value: JsonValue) -> BatchPosition:
    obj = exact_object(value, "leaf.batch", frozenset({"index", "root", "size"}))
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
