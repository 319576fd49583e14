"""Leaf, node and tree hashes are those RFC 9162 §2.1.1 defines, to the byte."""

from __future__ import annotations

import hashlib

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import EMPTY_ROOT, leaf_hash, merkle_tree_hash, node_hash
from ceasefire.ledger.hashing import split_point

from . import reference
from .vectors import RFC6962_LEAVES, RFC6962_ROOTS


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_the_empty_tree_hashes_to_sha256_of_the_empty_string() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert EMPTY_ROOT.hex() == expected
    assert merkle_tree_hash([]).hex() == expected


def test_a_leaf_is_sha256_of_a_zero_byte_then_the_entry() -> None:
    assert leaf_hash(b"ceasefire") == sha256(b"\x00ceasefire")
    assert leaf_hash(b"").hex() == RFC6962_ROOTS[0]


def test_a_node_is_sha256_of_a_one_byte_then_left_then_right() -> None:
    left, right = sha256(b"left"), sha256(b"right")
    assert node_hash(left, right) == sha256(b"\x01" + left + right)
    assert node_hash(left, right) != node_hash(right, left)


def test_an_entry_that_spells_two_children_does_not_hash_like_their_node() -> None:
    left, right = sha256(b"left"), sha256(b"right")
    assert leaf_hash(left + right) != node_hash(left, right)


def test_small_trees_have_the_roots_written_out_from_the_rfc_by_hand() -> None:
    a, b, c, d, e, f, g = (sha256(b"\x00" + bytes([i])) for i in range(7))
    entries = [bytes([i]) for i in range(7)]

    def n(left: bytes, right: bytes) -> bytes:
        return sha256(b"\x01" + left + right)

    expected = {
        0: sha256(b""),
        1: a,
        2: n(a, b),
        3: n(n(a, b), c),
        7: n(n(n(a, b), n(c, d)), n(n(e, f), g)),
    }
    for size, root in expected.items():
        assert merkle_tree_hash(entries[:size]) == root, size


def test_the_rfc6962_reference_inputs_give_the_published_roots() -> None:
    for size, root in enumerate(RFC6962_ROOTS, start=1):
        assert merkle_tree_hash(RFC6962_LEAVES[:size]).hex() == root, size


def test_merkle_tree_hash_matches_the_recursive_reference_for_every_size_to_100() -> None:
    entries = [f"{i}".encode() for i in range(100)]
    for size in range(101):
        assert merkle_tree_hash(entries[:size]) == reference.mth(entries[:size]), size


def test_split_point_is_the_largest_power_of_two_below_n() -> None:
    assert [split_point(n) for n in (2, 3, 4, 5, 8, 9)] == [1, 2, 2, 4, 4, 8]
    for n in range(2, 2000):
        assert split_point(n) == reference.split(n), n


@pytest.mark.parametrize("n", [1, 0, -3])
def test_split_point_refuses_fewer_than_two_leaves(n: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"^n: {n} leaves cannot be split"):
        split_point(n)
