"""``MemoryTree``: an append-only Merkle tree held in memory, for tests and offline checks.

It keeps every complete subtree hash, level by level (``levels[level][index]`` is
``Subtree(level, index)``), exactly what a store persists; roots and proofs for any size
up to the current one then cost O(log n) hash reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from ceasefire.domain.errors import InvalidInputError

from .hashing import HASH_SIZE, leaf_hash, node_hash
from .proofs import consistency_proof, inclusion_proof
from .subtrees import check_index, root_hash, subtrees_completed_by


class MemoryTree:
    """An append-only Merkle tree; satisfies ``LeafStore``."""

    def __init__(self) -> None:
        self._levels: list[list[bytes]] = [[]]

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> MemoryTree:
        """A tree whose leaves are the entries, in order."""
        tree = cls()
        for entry in entries:
            tree.append(entry)
        return tree

    @property
    def size(self) -> int:
        """How many leaves the tree holds."""
        return len(self._levels[0])

    def append(self, entry: bytes) -> int:
        """Append an entry (hashed as a leaf); returns its leaf index."""
        return self.append_leaf_hash(leaf_hash(entry))

    def append_leaf_hash(self, hashed: bytes) -> int:
        """Append an already hashed leaf; returns its leaf index."""
        if len(hashed) != HASH_SIZE:
            raise InvalidInputError("leaf_hash", f"is {len(hashed)} bytes, not {HASH_SIZE}")
        index = self.size
        self._levels[0].append(hashed)
        for subtree in subtrees_completed_by(index):
            if subtree.level == len(self._levels):
                self._levels.append([])
            below = self._levels[subtree.level - 1]
            children = below[2 * subtree.index], below[2 * subtree.index + 1]
            self._levels[subtree.level].append(node_hash(*children))
        return index

    def leaf_hash(self, index: int) -> bytes:
        """The leaf hash at ``index``."""
        check_index("index", index, self.size)
        return self._levels[0][index]

    def subtree_hash(self, level: int, index: int) -> bytes:
        """The hash of the complete ``Subtree(level, index)``."""
        if not 0 <= level < len(self._levels):
            raise InvalidInputError(
                "level", f"{level} is not a level of a tree of size {self.size}"
            )
        check_index("index", index, len(self._levels[level]))
        return self._levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        """The root of the tree of the first ``size`` leaves (default: all of them)."""
        return root_hash(self, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of ``size`` leaves (default: all)."""
        return inclusion_proof(self, index, self.size if size is None else size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """The proof that the tree of ``new_size`` (default: all) extends that of ``old_size``."""
        return consistency_proof(self, old_size, self.size if new_size is None else new_size)
