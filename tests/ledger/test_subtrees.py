"""Complete subtrees are addressed by (level, index) and read one hash at a time."""

from __future__ import annotations

import itertools

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import (
    EMPTY_ROOT,
    MemoryTree,
    Subtree,
    range_subtrees,
    root_hash,
    subtrees_completed_by,
)

from .fakes import CountingStore, SyntheticStore, distinct_entries


def test_a_subtree_covers_the_aligned_range_of_two_to_the_level_leaves() -> None:
    assert (Subtree(0, 5).start, Subtree(0, 5).end) == (5, 6)
    assert (Subtree(3, 2).start, Subtree(3, 2).end) == (16, 24)


def test_the_root_of_seven_leaves_folds_subtrees_of_four_two_and_one() -> None:
    assert range_subtrees(0, 7) == [Subtree(2, 0), Subtree(1, 2), Subtree(0, 6)]
    assert range_subtrees(4, 7) == [Subtree(1, 2), Subtree(0, 6)]
    assert range_subtrees(0, 8) == [Subtree(3, 0)]


def test_a_tree_size_splits_into_one_contiguous_subtree_per_bit_set() -> None:
    for size in range(1, 1025):
        subtrees = range_subtrees(0, size)
        assert len(subtrees) == size.bit_count(), size
        assert subtrees[0].start == 0
        assert subtrees[-1].end == size
        assert all(a.end == b.start for a, b in itertools.pairwise(subtrees))


@pytest.mark.parametrize(("start", "end"), [(1, 3), (2, 7), (3, 3), (5, 4), (-1, 1)])
def test_a_range_that_is_not_a_tree_node_is_refused(start: int, end: int) -> None:
    with pytest.raises(InvalidInputError, match=r"^start: \["):
        range_subtrees(start, end)


def test_appending_a_leaf_completes_one_subtree_per_trailing_one_bit_of_its_index() -> None:
    assert subtrees_completed_by(0) == []
    assert subtrees_completed_by(1) == [Subtree(1, 0)]
    assert subtrees_completed_by(3) == [Subtree(1, 1), Subtree(2, 0)]
    assert subtrees_completed_by(4) == []
    assert subtrees_completed_by(7) == [Subtree(1, 3), Subtree(2, 1), Subtree(3, 0)]


def test_the_appends_complete_every_subtree_exactly_once_and_two_per_leaf_in_all() -> None:
    size = 1000
    written = [Subtree(0, i) for i in range(size)]
    for index in range(size):
        completed = subtrees_completed_by(index)
        assert all(subtree.end == index + 1 for subtree in completed), index
        written.extend(completed)
    every_complete = {
        Subtree(level, index)
        for level in range(size.bit_length())
        for index in range(size >> level)
    }
    assert len(written) == len(set(written)) == 2 * size - size.bit_count()
    assert set(written) == every_complete


def test_a_negative_leaf_index_completes_nothing_and_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^leaf_index: -1 is negative"):
        subtrees_completed_by(-1)


def test_a_root_reads_one_hash_per_bit_set_in_the_size() -> None:
    store = CountingStore(SyntheticStore(1_000_000))
    root_hash(store, 1_000_000)
    assert store.reads == range_subtrees(0, 1_000_000)
    assert len(store.reads) == (1_000_000).bit_count()


def test_the_root_of_size_zero_is_the_empty_root_and_reads_nothing() -> None:
    store = CountingStore(MemoryTree.from_entries(distinct_entries(3)))
    assert root_hash(store, 0) == EMPTY_ROOT
    assert store.reads == []


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (4, "^size: 4 is larger than the tree, which has 3 leaves$"),
        (-1, "^size: -1 is negative; a tree size is 0 or more$"),
    ],
)
def test_a_root_beyond_the_store_or_below_zero_is_refused(size: int, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        root_hash(MemoryTree.from_entries(distinct_entries(3)), size)
    assert caught.value.field == "size"
