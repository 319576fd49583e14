"""SHA-256 hashing of the Merkle tree, as RFC 9162 §2.1.1 defines it.

A leaf is ``SHA-256(0x00 || entry)`` and an interior node ``SHA-256(0x01 || left ||
right)``; the distinct prefixes keep a leaf from ever being read as a node. The Merkle
Tree Hash (MTH) of an empty list is ``SHA-256("")``; of one entry, its leaf hash; of
``n > 1`` entries, the node hash of the MTH of the first ``k`` and of the remaining
``n - k``, where ``k`` is the largest power of two smaller than ``n``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from ceasefire.domain.errors import InvalidInputError

HASH_SIZE = 32
"""Bytes in every hash of the tree (SHA-256)."""

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root of the tree of size 0: SHA-256 of the empty string, with no prefix."""


def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 || entry)``: the hash of one log entry as a leaf."""
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n >= 2``): where MTH splits ``n`` leaves."""
    if n < 2:
        raise InvalidInputError("n", f"{n} leaves cannot be split; a split needs at least 2")
    return 1 << ((n - 1).bit_length() - 1)


def merkle_tree_hash(entries: Iterable[bytes]) -> bytes:
    """MTH of the entries (raw entries, not leaf hashes), computed from its definition.

    O(n) hashes: for a tree that grows, use ``MemoryTree`` or a store, which keep the
    hashes of complete subtrees.
    """
    leaves = [leaf_hash(entry) for entry in entries]
    return _mth(leaves, 0, len(leaves)) if leaves else EMPTY_ROOT


def _mth(leaves: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH of the leaf hashes ``leaves[start:end]`` (``end > start``)."""
    if end - start == 1:
        return leaves[start]
    k = split_point(end - start)
    return node_hash(_mth(leaves, start, start + k), _mth(leaves, start + k, end))
