"""Hand-written stores for the proof tests: one that counts reads, one with no tree behind it."""

from __future__ import annotations

import hashlib

from ceasefire.ledger import LeafStore, Subtree


class CountingStore:
    """Passes reads through to another store and records each address read."""

    def __init__(self, inner: LeafStore) -> None:
        self.inner = inner
        self.reads: list[Subtree] = []

    @property
    def size(self) -> int:
        return self.inner.size

    def leaf_hash(self, index: int) -> bytes:
        assert 0 <= index < self.size, f"leaf {index} is not in a tree of size {self.size}"
        self.reads.append(Subtree(0, index))
        return self.inner.leaf_hash(index)

    def subtree_hash(self, level: int, index: int) -> bytes:
        # The protocol's promise to stores: leaves are read through leaf_hash, and only
        # subtrees that are complete are asked for.
        assert level >= 1, f"subtree_hash({level}, {index}) asked for a leaf"
        assert (index + 1) << level <= self.size, f"subtree ({level}, {index}) is not complete"
        self.reads.append(Subtree(level, index))
        return self.inner.subtree_hash(level, index)


class SyntheticStore:
    """A store of ``size`` leaves that makes each hash up from its address.

    No tree is built, so its hashes do not fit together (a parent is not the hash of its
    children): use it to count and check reads, not to verify proofs.
    """

    def __init__(self, size: int) -> None:
        self.size = size

    def leaf_hash(self, index: int) -> bytes:
        return hashlib.sha256(f"leaf {index}".encode()).digest()

    def subtree_hash(self, level: int, index: int) -> bytes:
        return hashlib.sha256(f"subtree {level} {index}".encode()).digest()


def distinct_entries(count: int) -> list[bytes]:
    """Entries that differ from each other, so no two leaves share a hash."""
    return [f"entry {i}".encode() for i in range(count)]
