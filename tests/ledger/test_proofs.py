"""Inclusion and consistency proofs are the RFC's, and verification says what failed."""

from __future__ import annotations

import pytest

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.ledger import (
    EMPTY_ROOT,
    MemoryTree,
    ProofError,
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

from . import reference
from .fakes import distinct_entries
from .vectors import RFC6962_CONSISTENCY, RFC6962_INCLUSION, RFC6962_LEAVES

VECTORS = MemoryTree.from_entries(RFC6962_LEAVES)
SEVEN = [f"d{i}".encode() for i in range(7)]
SEVEN_TREE = MemoryTree.from_entries(SEVEN)


def rfc_example_nodes() -> dict[str, bytes]:
    """The named nodes of the seven-leaf tree of RFC 9162 §2.1.5, built by hand."""
    a, b, c, d, e, f, j = (reference.leaf(entry) for entry in SEVEN)
    g, h, i = reference.node(a, b), reference.node(c, d), reference.node(e, f)
    k, l = reference.node(g, h), reference.node(i, j)  # noqa: E741 (the RFC's name)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h, "i": i, "j": j,
            "k": k, "l": l, "root": reference.node(k, l)}  # fmt: skip


@pytest.mark.parametrize(("index", "names"), [(0, "bhl"), (3, "cgl"), (4, "fjk")])
def test_inclusion_proofs_of_the_rfc_example_tree_are_the_nodes_it_names(
    index: int, names: str
) -> None:
    nodes = rfc_example_nodes()
    assert SEVEN_TREE.root() == nodes["root"]
    assert SEVEN_TREE.inclusion_proof(index) == [nodes[name] for name in names]


@pytest.mark.parametrize(("old_size", "names"), [(3, "cdgl"), (4, "l"), (6, "ijk")])
def test_consistency_proofs_of_the_rfc_example_tree_are_the_nodes_it_names(
    old_size: int, names: str
) -> None:
    nodes = rfc_example_nodes()
    assert SEVEN_TREE.consistency_proof(old_size) == [nodes[name] for name in names]


@pytest.mark.parametrize(("index", "size", "path"), RFC6962_INCLUSION)
def test_inclusion_proofs_of_the_rfc6962_inputs_are_the_published_ones(
    index: int, size: int, path: list[str]
) -> None:
    proof = inclusion_proof(VECTORS, index, size)
    assert [p.hex() for p in proof] == path
    leaf = VECTORS.leaf_hash(index)
    root = VECTORS.root(size)
    verify_inclusion(leaf_hash=leaf, index=index, size=size, proof=proof, root=root)


@pytest.mark.parametrize(("old_size", "new_size", "path"), RFC6962_CONSISTENCY)
def test_consistency_proofs_of_the_rfc6962_inputs_are_the_published_ones(
    old_size: int, new_size: int, path: list[str]
) -> None:
    proof = consistency_proof(VECTORS, old_size, new_size)
    assert [p.hex() for p in proof] == path
    old_root, new_root = VECTORS.root(old_size), VECTORS.root(new_size)
    verify_consistency(
        old_size=old_size, new_size=new_size, old_root=old_root, new_root=new_root, proof=proof
    )


def test_every_inclusion_proof_up_to_size_48_is_the_rfc_path_and_verifies() -> None:
    entries = distinct_entries(48)
    tree = MemoryTree.from_entries(entries)
    for size in range(1, 49):
        root = tree.root(size)
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert proof == reference.path(index, entries[:size]), (index, size)
            leaf = tree.leaf_hash(index)
            verify_inclusion(leaf_hash=leaf, index=index, size=size, proof=proof, root=root)


def test_every_consistency_proof_up_to_size_48_is_the_rfc_proof_and_verifies() -> None:
    entries = distinct_entries(48)
    tree = MemoryTree.from_entries(entries)
    for new_size in range(2, 49):
        for old_size in range(1, new_size):
            proof = tree.consistency_proof(old_size, new_size)
            assert proof == reference.proof(old_size, entries[:new_size]), (old_size, new_size)
            verify_consistency(
                old_size=old_size,
                new_size=new_size,
                old_root=tree.root(old_size),
                new_root=tree.root(new_size),
                proof=proof,
            )


@pytest.mark.parametrize(
    ("index", "size", "field", "message"),
    [
        (7, 7, "index", "7 is not a leaf of a tree of size 7; it must be below 7"),
        (0, 0, "index", "0 is not a leaf of a tree of size 0; it must be below 0"),
        (-1, 7, "index", "-1 is negative; leaf indices start at 0"),
        (0, 8, "size", "8 is larger than the tree, which has 7 leaves"),
    ],
)
def test_an_inclusion_proof_for_a_leaf_outside_the_tree_is_refused(
    index: int, size: int, field: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        inclusion_proof(SEVEN_TREE, index, size)
    assert (caught.value.field, caught.value.reason) == (field, message)


@pytest.mark.parametrize(
    ("old_size", "new_size", "field", "message"),
    [
        (5, 4, "old_size", "5 is larger than new_size 4; a log only grows"),
        (-1, 4, "old_size", "-1 is negative; a tree size is 0 or more"),
        (3, 8, "new_size", "8 is larger than the tree, which has 7 leaves"),
    ],
)
def test_a_consistency_proof_between_impossible_sizes_is_refused(
    old_size: int, new_size: int, field: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        consistency_proof(SEVEN_TREE, old_size, new_size)
    assert (caught.value.field, caught.value.reason) == (field, message)


@pytest.mark.parametrize(("old_size", "new_size"), [(0, 7), (0, 0), (4, 4), (7, 7)])
def test_a_consistency_proof_from_size_zero_or_to_the_same_size_is_empty_and_verifies(
    old_size: int, new_size: int
) -> None:
    proof = SEVEN_TREE.consistency_proof(old_size, new_size)
    assert proof == []
    old_root, new_root = SEVEN_TREE.root(old_size), SEVEN_TREE.root(new_size)
    verify_consistency(
        old_size=old_size, new_size=new_size, old_root=old_root, new_root=new_root, proof=proof
    )


def check_inclusion(**changes: object) -> None:
    """Verify the proof of leaf 4 in the seven-leaf tree, with some arguments changed."""
    arguments: dict[str, object] = {
        "leaf_hash": SEVEN_TREE.leaf_hash(4),
        "index": 4,
        "size": 7,
        "proof": SEVEN_TREE.inclusion_proof(4),
        "root": SEVEN_TREE.root(),
    }
    verify_inclusion(**{**arguments, **changes})  # type: ignore[arg-type]


def test_the_untouched_inclusion_proof_verifies() -> None:
    assert check_inclusion() is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"root": SEVEN_TREE.root(6)}, "leads to root .*, not to "),
        ({"leaf_hash": SEVEN_TREE.leaf_hash(3)}, "leads to root"),
        ({"index": 5}, "leads to root"),
        ({"proof": SEVEN_TREE.inclusion_proof(4)[:2]}, "has fewer hashes than the path"),
        ({"proof": [*SEVEN_TREE.inclusion_proof(4), EMPTY_ROOT]}, "has more hashes than the path"),
        ({"proof": [b"\x00" * 31, *SEVEN_TREE.inclusion_proof(4)[1:]]}, "hash 0 is 31 bytes"),
    ],
)
def test_a_wrong_inclusion_proof_fails_naming_the_check(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(
        ProofError, match=rf"^inclusion proof for leaf \d in a tree of size 7: {message}"
    ):
        check_inclusion(**changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"index": 7}, "index"), ({"root": b"\x00" * 33}, "root"), ({"leaf_hash": b""}, "leaf_hash")],
)
def test_an_inclusion_question_with_no_answer_is_invalid_input(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_inclusion(**changes)
    assert caught.value.field == field


def check_consistency(**changes: object) -> None:
    """Verify the proof from size 3 to size 7, with some arguments changed."""
    arguments: dict[str, object] = {
        "old_size": 3,
        "new_size": 7,
        "old_root": SEVEN_TREE.root(3),
        "new_root": SEVEN_TREE.root(7),
        "proof": SEVEN_TREE.consistency_proof(3, 7),
    }
    verify_consistency(**{**arguments, **changes})  # type: ignore[arg-type]


def test_the_untouched_consistency_proof_verifies() -> None:
    assert check_consistency() is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"old_root": SEVEN_TREE.root(2)}, "from size 3 to size 7: leads to old root"),
        ({"new_root": SEVEN_TREE.root(6)}, "from size 3 to size 7: leads to new root"),
        ({"old_size": 2, "old_root": SEVEN_TREE.root(2)}, "from size 2 to size 7: has more hashes"),
        ({"proof": []}, "from size 3 to size 7: is empty; between different sizes it needs"),
        ({"proof": SEVEN_TREE.consistency_proof(3, 7)[:3]}, "from size 3 to size 7: has fewer"),
        (
            {"proof": [*SEVEN_TREE.consistency_proof(3, 7), EMPTY_ROOT]},
            "from size 3 to size 7: has more",
        ),
        ({"old_size": 0, "old_root": EMPTY_ROOT}, "from size 0 to size 7: must be empty, but"),
        ({"old_size": 0, "proof": []}, "from size 0 to size 7: old root .* is not the empty"),
        ({"old_size": 7, "proof": []}, "from size 7 to size 7: the roots differ"),
    ],
)
def test_a_wrong_consistency_proof_fails_naming_the_check(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ProofError, match=rf"^consistency proof {message}"):
        check_consistency(**changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"old_size": 8}, "old_size"),
        ({"old_size": -2}, "old_size"),
        ({"new_size": -1}, "new_size"),
        ({"new_root": b"\x01"}, "new_root"),
        ({"old_root": b"\x01" * 64}, "old_root"),
    ],
)
def test_a_consistency_question_with_no_answer_is_invalid_input(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_consistency(**changes)
    assert caught.value.field == field


def test_proof_errors_belong_to_the_ceasefire_error_tree() -> None:
    with pytest.raises(CeasefireError):
        check_inclusion(index=6)


def test_a_proof_checked_against_the_root_of_another_size_fails() -> None:
    tree = MemoryTree.from_entries(distinct_entries(4))
    proof = tree.inclusion_proof(0, 4)
    with pytest.raises(ProofError, match="leads to root"):
        verify_inclusion(
            leaf_hash=tree.leaf_hash(0), index=0, size=3, proof=proof, root=tree.root(3)
        )


def test_a_root_presented_with_the_wrong_size_can_still_verify_so_checkpoints_bind_size() -> None:
    # Leaf 0 has the same path shape in trees of size 3 and 4: the proof alone cannot
    # tell which size the root belongs to. The signed checkpoint binds the two together.
    tree = MemoryTree.from_entries(distinct_entries(4))
    proof = tree.inclusion_proof(0, 4)
    leaf, root = tree.leaf_hash(0), tree.root(4)
    assert verify_inclusion(leaf_hash=leaf, index=0, size=3, proof=proof, root=root) is None
