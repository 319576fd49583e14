"""Properties: every honest proof verifies, and any single change to what is checked fails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import (
    MemoryTree,
    ProofError,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

from .fakes import distinct_entries

LARGEST = 1500
ENTRIES = distinct_entries(LARGEST)
TREE = MemoryTree.from_entries(ENTRIES)
PROPERTY = settings(max_examples=150, deadline=None)


@st.composite
def leaves(draw: st.DrawFn, smallest: int = 1) -> tuple[int, int]:
    """A tree size and the index of one of its leaves."""
    size = draw(st.integers(smallest, LARGEST))
    return size, draw(st.integers(0, size - 1))


@st.composite
def size_pairs(draw: st.DrawFn, smallest_old: int = 0, strictly: bool = False) -> tuple[int, int]:
    """An old size and a new size no smaller (larger, if ``strictly``)."""
    old_size = draw(st.integers(smallest_old, LARGEST - int(strictly)))
    return old_size, draw(st.integers(old_size + int(strictly), LARGEST))


def flip(value: bytes, bit: int) -> bytes:
    flipped = bytearray(value)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


def check_inclusion(
    index: int, size: int, proof: list[bytes], root: bytes, entry: bytes | None = None
) -> None:
    hashed = leaf_hash(ENTRIES[index] if entry is None else entry)
    verify_inclusion(leaf_hash=hashed, index=index, size=size, proof=proof, root=root)


def check_consistency(
    old_size: int, new_size: int, proof: list[bytes], old_root: bytes, new_root: bytes
) -> None:
    verify_consistency(
        old_size=old_size, new_size=new_size, old_root=old_root, new_root=new_root, proof=proof
    )


@PROPERTY
@given(leaves())
def test_every_inclusion_proof_verifies(leaf: tuple[int, int]) -> None:
    size, index = leaf
    assert check_inclusion(index, size, TREE.inclusion_proof(index, size), TREE.root(size)) is None


@PROPERTY
@given(size_pairs())
def test_every_consistency_proof_verifies(sizes: tuple[int, int]) -> None:
    old_size, new_size = sizes
    proof = TREE.consistency_proof(old_size, new_size)
    old_root, new_root = TREE.root(old_size), TREE.root(new_size)
    assert check_consistency(old_size, new_size, proof, old_root, new_root) is None


@PROPERTY
@given(leaves(smallest=2), st.data())
def test_flipping_any_bit_of_any_inclusion_proof_hash_fails(
    leaf: tuple[int, int], data: st.DataObject
) -> None:
    size, index = leaf
    proof = TREE.inclusion_proof(index, size)
    position = data.draw(st.integers(0, len(proof) - 1))
    proof[position] = flip(proof[position], data.draw(st.integers(0, 255)))
    with pytest.raises(ProofError, match="leads to root"):
        check_inclusion(index, size, proof, TREE.root(size))


@PROPERTY
@given(leaves(), st.integers(0, 255))
def test_flipping_any_bit_of_the_root_fails_inclusion(leaf: tuple[int, int], bit: int) -> None:
    size, index = leaf
    proof = TREE.inclusion_proof(index, size)
    with pytest.raises(ProofError, match="leads to root"):
        check_inclusion(index, size, proof, flip(TREE.root(size), bit))


@PROPERTY
@given(leaves(), st.data())
def test_flipping_any_bit_of_the_entry_fails_inclusion(
    leaf: tuple[int, int], data: st.DataObject
) -> None:
    size, index = leaf
    entry = flip(ENTRIES[index], data.draw(st.integers(0, 8 * len(ENTRIES[index]) - 1)))
    proof = TREE.inclusion_proof(index, size)
    with pytest.raises(ProofError, match="leads to root"):
        check_inclusion(index, size, proof, TREE.root(size), entry=entry)


@PROPERTY
@given(leaves(smallest=2), st.data())
def test_claiming_another_index_for_the_leaf_fails(
    leaf: tuple[int, int], data: st.DataObject
) -> None:
    size, index = leaf
    other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
    proof = TREE.inclusion_proof(index, size)
    hashed = leaf_hash(ENTRIES[index])
    with pytest.raises(ProofError):
        verify_inclusion(
            leaf_hash=hashed, index=other, size=size, proof=proof, root=TREE.root(size)
        )


@PROPERTY
@given(leaves(), st.data())
def test_claiming_another_size_with_the_root_of_that_size_fails(
    leaf: tuple[int, int], data: st.DataObject
) -> None:
    size, index = leaf
    other = data.draw(st.integers(1, LARGEST).filter(lambda n: n != size))
    proof = TREE.inclusion_proof(index, size)
    expected = ProofError if index < other else InvalidInputError
    with pytest.raises(expected):
        check_inclusion(index, other, proof, TREE.root(other))


@PROPERTY
@given(size_pairs(smallest_old=1, strictly=True), st.data())
def test_flipping_any_bit_of_any_consistency_proof_hash_fails(
    sizes: tuple[int, int], data: st.DataObject
) -> None:
    old_size, new_size = sizes
    proof = TREE.consistency_proof(old_size, new_size)
    position = data.draw(st.integers(0, len(proof) - 1))
    proof[position] = flip(proof[position], data.draw(st.integers(0, 255)))
    with pytest.raises(ProofError, match=r"leads to (old|new) root"):
        check_consistency(old_size, new_size, proof, TREE.root(old_size), TREE.root(new_size))


@PROPERTY
@given(size_pairs(), st.integers(0, 255))
def test_flipping_any_bit_of_the_old_root_fails_consistency(
    sizes: tuple[int, int], bit: int
) -> None:
    old_size, new_size = sizes
    proof = TREE.consistency_proof(old_size, new_size)
    old_root = flip(TREE.root(old_size), bit)
    with pytest.raises(ProofError):
        check_consistency(old_size, new_size, proof, old_root, TREE.root(new_size))


@PROPERTY
@given(size_pairs(smallest_old=1), st.integers(0, 255))
def test_flipping_any_bit_of_the_new_root_fails_consistency(
    sizes: tuple[int, int], bit: int
) -> None:
    old_size, new_size = sizes
    proof = TREE.consistency_proof(old_size, new_size)
    new_root = flip(TREE.root(new_size), bit)
    with pytest.raises(ProofError):
        check_consistency(old_size, new_size, proof, TREE.root(old_size), new_root)


@PROPERTY
@given(size_pairs(), st.data())
def test_claiming_another_old_size_fails(sizes: tuple[int, int], data: st.DataObject) -> None:
    old_size, new_size = sizes
    other = data.draw(st.integers(0, new_size).filter(lambda m: m != old_size))
    proof = TREE.consistency_proof(old_size, new_size)
    with pytest.raises(ProofError):
        check_consistency(other, new_size, proof, TREE.root(old_size), TREE.root(new_size))


@PROPERTY
@given(size_pairs(smallest_old=1), st.data())
def test_claiming_another_new_size_with_the_root_of_that_size_fails(
    sizes: tuple[int, int], data: st.DataObject
) -> None:
    old_size, new_size = sizes
    other = data.draw(st.integers(0, LARGEST).filter(lambda n: n != new_size))
    proof = TREE.consistency_proof(old_size, new_size)
    expected = ProofError if other >= old_size else InvalidInputError
    with pytest.raises(expected):
        check_consistency(old_size, other, proof, TREE.root(old_size), TREE.root(other))
