"""Batches: one signature over many consecutive entries by one author key.

A bulk import signs once for thousands of entries: ``BatchSignature.sign`` signs the RFC
9162 root of the entries' canonical bytes with their size (``batch_message``), and each
member keeps its own leaf, naming the batch's root, size and its place, with the batch
signature. A member's author is proved by its batch proof, the inclusion proof of its
canonical entry in the batch tree. See docs/ledger.md, "Batches".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ceasefire.domain.errors import InvalidInputError

from .entries import Entry
from .hashing import merkle_tree_hash
from .keys import SIGNATURE_SIZE, PartyKey, PublicKey, SignatureError
from .leaves import BatchPosition, SignedEntry, batch_message
from .memory import MemoryTree


@dataclass(frozen=True)
class BatchSignature:
    """One signature over a batch of consecutive entries by one author key."""

    root: bytes
    size: int
    signature: bytes

    def __post_init__(self) -> None:
        BatchPosition(self.root, self.size, 0)  # the same checks on root and size
        if not isinstance(self.signature, bytes) or len(self.signature) != SIGNATURE_SIZE:
            raise InvalidInputError("signature", f"must be {SIGNATURE_SIZE} bytes (Ed25519)")

    @classmethod
    def sign(cls, entries: Sequence[Entry], key: PartyKey) -> BatchSignature:
        """Sign the batch's root with ``key``, which must be every entry's author key."""
        _check_batch(entries, key.key_id)
        root = batch_root(entries)
        return cls(root, len(entries), key.sign(batch_message(root, len(entries))))

    def message(self) -> bytes:
        """What was signed: ``batch_message(root, size)``."""
        return batch_message(self.root, self.size)

    def verify(self, key: PublicKey) -> None:
        """Check the signature alone (not which entries it covers); ``SignatureError`` if not."""
        try:
            key.verify(self.message(), self.signature)
        except SignatureError as error:
            raise SignatureError(f"batch {self.root.hex()}: {error}") from None

    def signed_entries(self, entries: Sequence[Entry]) -> list[SignedEntry]:
        """The members as signed entries, in order; the entries must be those signed."""
        _check_batch(entries, entries[0].author_key_id if entries else "")
        if len(entries) != self.size or batch_root(entries) != self.root:
            raise InvalidInputError(
                "entries", f"are not the {self.size} entries of batch {self.root.hex()}"
            )
        return [
            SignedEntry(entry, self.signature, BatchPosition(self.root, self.size, index))
            for index, entry in enumerate(entries)
        ]


def batch_root(entries: Sequence[Entry]) -> bytes:
    """RFC 9162 Merkle Tree Hash of the entries' canonical bytes."""
    return merkle_tree_hash(entry.canonical() for entry in entries)


def batch_tree(entries: Sequence[Entry]) -> MemoryTree:
    """The batch's tree: build it once to serve the proofs of many members."""
    return MemoryTree.from_entries(entry.canonical() for entry in entries)


def batch_proof(entries: Sequence[Entry], index: int) -> list[bytes]:
    """Inclusion proof of ``entries[index]`` in the batch tree, for ``SignedEntry.verify``."""
    return batch_tree(entries).inclusion_proof(index)


def _check_batch(entries: Sequence[Entry], key_id: str) -> None:
    if not entries:
        raise InvalidInputError("entries", "a batch needs at least one entry")
    first = entries[0]
    for offset, entry in enumerate(entries):
        if entry.author_key_id != key_id or entry.author_party != first.author_party:
            raise InvalidInputError(
                f"entries[{offset}]",
                f"is by {entry.author_party} key {entry.author_key_id}; "
                f"the batch is by {first.author_party} key {key_id}",
            )
        if entry.sequence != first.sequence + offset:
            raise InvalidInputError(
                f"entries[{offset}]",
                f"has sequence {entry.sequence}; a batch is consecutive from {first.sequence}",
            )
