"""MemoryTree appends leaves, keeps every complete subtree, and answers for any past size."""

from __future__ import annotations

import math

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import (
    EMPTY_ROOT,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
)

from . import reference
from .fakes import CountingStore, distinct_entries


def test_append_returns_the_index_of_the_new_leaf_and_grows_the_tree() -> None:
    tree = MemoryTree()
    assert tree.size == 0
    assert tree.root() == EMPTY_ROOT
    assert [tree.append(entry) for entry in (b"a", b"b", b"c")] == [0, 1, 2]
    assert tree.size == 3
    assert tree.leaf_hash(2) == leaf_hash(b"c")


def test_the_root_at_every_size_is_the_reference_mth_of_that_prefix() -> None:
    entries = distinct_entries(200)
    tree = MemoryTree.from_entries(entries)
    for size in range(201):
        assert tree.root(size) == reference.mth(entries[:size]), size
    assert tree.root() == tree.root(200)


def test_a_root_taken_while_growing_stays_the_root_of_that_size() -> None:
    tree = MemoryTree()
    roots = []
    for entry in distinct_entries(70):
        tree.append(entry)
        roots.append(tree.root())
    assert [tree.root(size) for size in range(1, 71)] == roots


def test_every_complete_subtree_is_the_node_hash_of_its_two_halves() -> None:
    tree = MemoryTree.from_entries(distinct_entries(100))
    for level in range(1, 7):
        for index in range(100 >> level):
            halves = (
                tree.subtree_hash(level - 1, 2 * index),
                tree.subtree_hash(level - 1, 2 * index + 1),
            )
            assert tree.subtree_hash(level, index) == node_hash(*halves), (level, index)


@pytest.mark.parametrize(
    ("level", "index", "field"),
    [(1, 3, "index"), (3, 0, "level"), (0, 7, "index"), (-1, 0, "level")],
)
def test_a_subtree_that_is_not_complete_is_refused(level: int, index: int, field: str) -> None:
    tree = MemoryTree.from_entries(distinct_entries(7))
    with pytest.raises(InvalidInputError) as caught:
        tree.subtree_hash(level, index)
    assert caught.value.field == field


def test_appending_a_hash_that_is_not_32_bytes_is_refused() -> None:
    tree = MemoryTree()
    with pytest.raises(InvalidInputError, match=r"^leaf_hash: is 31 bytes, not 32$"):
        tree.append_leaf_hash(b"\x00" * 31)
    assert tree.size == 0


def test_appending_a_leaf_hash_is_appending_the_entry_it_hashes() -> None:
    by_hash = MemoryTree()
    for entry in distinct_entries(9):
        by_hash.append_leaf_hash(leaf_hash(entry))
    assert by_hash.root() == MemoryTree.from_entries(distinct_entries(9)).root()


def test_proofs_default_to_the_current_size() -> None:
    tree = MemoryTree.from_entries(distinct_entries(13))
    assert tree.inclusion_proof(4) == tree.inclusion_proof(4, 13)
    assert tree.consistency_proof(5) == tree.consistency_proof(5, 13)


def test_proofs_of_a_large_tree_read_a_logarithmic_number_of_hashes() -> None:
    tree = MemoryTree.from_entries(distinct_entries(5000))
    bound = 2 * math.ceil(math.log2(5000)) + 2
    for size, index, old_size in [(5000, 0, 1), (4999, 4998, 4097), (3001, 1500, 2047)]:
        store = CountingStore(tree)
        inclusion_proof(store, index, size)
        inclusion_reads, store.reads = store.reads, []
        consistency_proof(store, old_size, size)
        assert len(inclusion_reads) <= bound, (index, size)
        assert len(store.reads) <= bound, (old_size, size)
