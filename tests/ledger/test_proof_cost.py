"""Proofs read O(log n) hashes through the LeafStore protocol, whatever the tree size."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.ledger import consistency_proof, inclusion_proof, root_hash

from .fakes import CountingStore, SyntheticStore

MILLION = 1_000_000


def bound(size: int) -> float:
    return 2 * math.log2(size) + 2


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, MILLION - 1))
def test_an_inclusion_proof_in_a_million_leaf_tree_reads_at_most_2_log2_n_plus_2_hashes(
    index: int,
) -> None:
    store = CountingStore(SyntheticStore(MILLION))
    proof = inclusion_proof(store, index, MILLION)
    assert len(store.reads) <= bound(MILLION)
    assert len(proof) <= math.ceil(math.log2(MILLION))


@settings(max_examples=200, deadline=None)
@given(old_size=st.integers(0, MILLION), new_extra=st.integers(0, 2 * MILLION))
def test_a_consistency_proof_between_large_sizes_reads_at_most_2_log2_n_plus_2_hashes(
    old_size: int, new_extra: int
) -> None:
    new_size = old_size + new_extra
    store = CountingStore(SyntheticStore(3 * MILLION))
    proof = consistency_proof(store, old_size, new_size)
    assert len(store.reads) <= bound(max(new_size, 2))
    assert len(proof) <= math.ceil(math.log2(max(new_size, 2))) + 1


def test_the_cost_bound_holds_for_every_proof_in_trees_up_to_128_leaves() -> None:
    for size in range(2, 129):
        store = CountingStore(SyntheticStore(size))
        for index in range(size):
            store.reads = []
            inclusion_proof(store, index, size)
            assert len(store.reads) <= bound(size), (index, size)
        for old_size in range(size + 1):
            store.reads = []
            consistency_proof(store, old_size, size)
            assert len(store.reads) <= bound(size), (old_size, size)


def test_a_root_reads_one_hash_per_bit_of_its_size_even_in_a_billion_leaf_store() -> None:
    billion = 1_000_000_000
    for size in (billion, billion - 1, 2**29, 2**29 + 1, 987_654_321):
        store = CountingStore(SyntheticStore(billion))
        root_hash(store, size)
        assert len(store.reads) == size.bit_count() <= 30
