"""Our tree agrees with pymerkle, an independent implementation of RFC 9162 hashing.

pymerkle (with its default ``disable_security=False``: the 0x00/0x01 prefixes) gives the
same roots and the same inclusion paths, with the leaf hash first and 1-based indices.
Its consistency proofs use a layout of its own (an inclusion-style path for the first
new leaf, with flags for the hashes that fold into the old root), so for those we check
that each side accepts the other's roots, not that the hash lists are equal.
"""

from __future__ import annotations

import random

import pymerkle
import pytest

from ceasefire.ledger import MemoryTree, verify_consistency, verify_inclusion

from .fakes import distinct_entries
from .vectors import RFC6962_LEAVES, RFC6962_ROOTS

LARGEST = 300
ENTRIES = distinct_entries(LARGEST)
OURS = MemoryTree.from_entries(ENTRIES)
THEIRS = pymerkle.InmemoryTree.init_from_entries(ENTRIES, algorithm="sha256")


def sampled_pairs(count: int, smallest_old: int) -> list[tuple[int, int]]:
    """Every pair up to size 40, then ``count`` random pairs up to ``LARGEST``."""
    chosen = random.Random(9162)
    pairs = [(m, n) for n in range(1, 41) for m in range(smallest_old, n)]
    for _ in range(count):
        n = chosen.randint(41, LARGEST)
        pairs.append((chosen.randint(smallest_old, n - 1), n))
    return pairs


def test_pymerkle_runs_in_its_rfc_mode_with_the_0x00_and_0x01_prefixes() -> None:
    assert THEIRS.security is True
    assert THEIRS.get_leaf(1) == OURS.leaf_hash(0)


def test_the_root_of_every_size_from_1_to_300_is_pymerkles() -> None:
    for size in range(1, LARGEST + 1):
        assert OURS.root(size) == THEIRS.get_root(size), size


def test_inclusion_paths_are_pymerkles_after_its_leaf_hash() -> None:
    for index, size in sampled_pairs(600, smallest_old=0):
        theirs = THEIRS.prove_inclusion(index + 1, size)
        assert theirs.path[0] == OURS.leaf_hash(index)
        assert OURS.inclusion_proof(index, size) == theirs.path[1:], (index, size)


def test_pymerkle_accepts_our_roots_and_we_accept_its_roots_for_inclusion() -> None:
    for index, size in sampled_pairs(200, smallest_old=0):
        leaf, our_root = OURS.leaf_hash(index), OURS.root(size)
        pymerkle.verify_inclusion(leaf, our_root, THEIRS.prove_inclusion(index + 1, size))
        verify_inclusion(
            leaf_hash=THEIRS.get_leaf(index + 1),
            index=index,
            size=size,
            proof=OURS.inclusion_proof(index, size),
            root=THEIRS.get_root(size),
        )


def test_pymerkle_accepts_our_roots_and_we_accept_its_roots_for_consistency() -> None:
    for old_size, new_size in sampled_pairs(600, smallest_old=1):
        theirs = THEIRS.prove_consistency(old_size, new_size)
        pymerkle.verify_consistency(OURS.root(old_size), OURS.root(new_size), theirs)
        verify_consistency(
            old_size=old_size,
            new_size=new_size,
            old_root=THEIRS.get_root(old_size),
            new_root=THEIRS.get_root(new_size),
            proof=OURS.consistency_proof(old_size, new_size),
        )


def test_pymerkle_rejects_a_root_we_did_not_compute() -> None:
    theirs = THEIRS.prove_consistency(5, 9)
    with pytest.raises(pymerkle.InvalidProof, match="Later state does not match"):
        pymerkle.verify_consistency(OURS.root(5), OURS.root(8), theirs)


def test_pymerkle_gives_the_published_roots_of_the_rfc6962_inputs() -> None:
    tree = pymerkle.InmemoryTree.init_from_entries(RFC6962_LEAVES, algorithm="sha256")
    assert [tree.get_root(size).hex() for size in range(1, 9)] == RFC6962_ROOTS
