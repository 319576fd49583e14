"""Complete subtrees: how they are addressed, and the store protocol that serves them.

Addressing
----------
``Subtree(level, index)`` is the perfect subtree of ``2**level`` leaves that covers the
leaf indices ``[index * 2**level, (index + 1) * 2**level)``. Level 0 is the leaves
themselves (``Subtree(0, i)`` is leaf ``i``); ``Subtree(level, index)`` for ``level >= 1``
is the node hash of its children ``Subtree(level - 1, 2 * index)`` and
``Subtree(level - 1, 2 * index + 1)``. These are the coordinates of Go's
``golang.org/x/mod/sumdb/tlog``, which C2SP tlog-tiles groups into tiles.

A subtree is *complete* in a tree of size ``n`` when ``(index + 1) * 2**level <= n``;
from then on its hash never changes, since the log only appends. A store therefore
writes each one once, at the append that completes it (``subtrees_completed_by``), keyed
by ``(level, index)``: ``2n - popcount(n)`` hashes for ``n`` leaves, about two per leaf.

Every node of the RFC 9162 tree of size ``n`` is either such a complete subtree or lies
on the tree's right edge, covering ``[start, n)`` for an aligned ``start``; the hash of an
edge node is the right fold of the complete subtrees that ``range_subtrees(start, n)``
lists, at most ``log2(n) + 1`` of them. So any root or proof costs ``O(log n)`` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ceasefire.domain.errors import InvalidInputError

from .hashing import EMPTY_ROOT, node_hash


@dataclass(frozen=True, slots=True)
class Subtree:
    """The perfect subtree of ``2**level`` leaves starting at leaf ``index * 2**level``."""

    level: int
    index: int

    @property
    def start(self) -> int:
        """The first leaf index it covers."""
        return self.index << self.level

    @property
    def end(self) -> int:
        """One past the last leaf index it covers: it is complete once the size reaches this."""
        return (self.index + 1) << self.level


class LeafStore(Protocol):
    """What proof generation reads: leaf hashes and the hashes of complete subtrees.

    ``leaf_hash(i)`` is the hash of leaf ``i`` (``Subtree(0, i)``); ``subtree_hash`` is
    called only with ``level >= 1``, and only for subtrees complete at ``size``.
    """

    @property
    def size(self) -> int:
        """How many leaves the store holds."""
        ...

    def leaf_hash(self, index: int) -> bytes:
        """The leaf hash at ``index`` (``0 <= index < size``)."""
        ...

    def subtree_hash(self, level: int, index: int) -> bytes:
        """The hash of the complete ``Subtree(level, index)``, ``level >= 1``."""
        ...


def check_size(field: str, size: int, limit: int) -> None:
    """Raise ``InvalidInputError`` unless ``0 <= size <= limit`` (a tree holding ``limit``)."""
    if size < 0:
        raise InvalidInputError(field, f"{size} is negative; a tree size is 0 or more")
    if size > limit:
        raise InvalidInputError(field, f"{size} is larger than the tree, which has {limit} leaves")


def check_index(field: str, index: int, size: int) -> None:
    """Raise ``InvalidInputError`` unless ``0 <= index < size``."""
    if index < 0:
        raise InvalidInputError(field, f"{index} is negative; leaf indices start at 0")
    if index >= size:
        raise InvalidInputError(
            field, f"{index} is not a leaf of a tree of size {size}; it must be below {size}"
        )


def range_subtrees(start: int, end: int) -> list[Subtree]:
    """The complete subtrees that make up the leaves ``[start, end)``, largest (leftmost) first.

    ``[start, end)`` must be a node of some RFC 9162 tree: ``start`` a multiple of the
    largest power of two not above ``end - start``. ``range_subtrees(0, n)`` lists the
    subtrees whose right fold is the root of the tree of size ``n``: one per bit set in n.
    """
    if not 0 <= start < end:
        raise InvalidInputError("start", f"[{start}, {end}) is not a non-empty range of leaves")
    found: list[Subtree] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start % (1 << level):
            raise InvalidInputError(
                "start",
                f"[{start}, {end}) is not a tree node: {start} is not a multiple of {1 << level}",
            )
        found.append(Subtree(level, start >> level))
        start += 1 << level
    return found


def subtrees_completed_by(leaf_index: int) -> list[Subtree]:
    """The subtrees of level >= 1 that appending leaf ``leaf_index`` completes, lowest first.

    Leaf ``i`` completes one subtree per trailing 1 bit of ``i``: for leaf 3, ``(1, 1)``
    and ``(2, 0)``; for leaf 4, none. Each is the node hash of the two halves before it.
    """
    if leaf_index < 0:
        raise InvalidInputError("leaf_index", f"{leaf_index} is negative")
    completed: list[Subtree] = []
    level = 1
    while (leaf_index >> (level - 1)) & 1:
        completed.append(Subtree(level, leaf_index >> level))
        level += 1
    return completed


def read_subtree(store: LeafStore, subtree: Subtree) -> bytes:
    """One hash read: the leaf hash at level 0, a stored subtree hash above."""
    if subtree.level == 0:
        return store.leaf_hash(subtree.index)
    return store.subtree_hash(subtree.level, subtree.index)


def range_hash(store: LeafStore, start: int, end: int) -> bytes:
    """MTH of the leaves ``[start, end)`` (a tree node), from at most log2 + 1 reads."""
    hashes = [read_subtree(store, subtree) for subtree in range_subtrees(start, end)]
    result = hashes.pop()
    while hashes:
        result = node_hash(hashes.pop(), result)
    return result


def root_hash(store: LeafStore, size: int) -> bytes:
    """The root of the tree made of the store's first ``size`` leaves."""
    check_size("size", size, store.size)
    if size == 0:
        return EMPTY_ROOT
    return range_hash(store, 0, size)
