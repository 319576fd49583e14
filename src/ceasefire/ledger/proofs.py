"""Inclusion and consistency proofs of RFC 9162 §2.1.3 and §2.1.4: generation and checks.

A proof is a list of 32-byte hashes, ordered from the leaf (or the old tree) up to the
root, exactly as the RFC's PATH and PROOF define it. Generation reads a ``LeafStore``
and costs O(log n) hash reads; verification needs nothing but hashes, returns ``None``
when the proof holds and raises ``ProofError`` saying which check failed otherwise.
Questions with no answer (an index past the size, an old size above the new one) raise
``InvalidInputError``, from generation and verification alike.

A proof binds a leaf to a *root*; the size is bound to the root only by whatever
vouches for the root (a signed checkpoint). Two sizes can share one proof shape (leaf 0
in trees of size 3 and 4), so a root presented with the wrong size can still verify.
"""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.domain.errors import InvalidInputError

from .errors import ProofError
from .hashing import EMPTY_ROOT, HASH_SIZE, node_hash, split_point
from .subtrees import LeafStore, check_index, check_size, range_hash


def inclusion_proof(store: LeafStore, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]): the audit path of leaf ``index`` in the tree of ``size`` leaves."""
    check_size("size", size, store.size)
    check_index("index", index, size)
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            path.append(range_hash(store, start + k, end))
            end = start + k
        else:
            path.append(range_hash(store, start, start + k))
            start += k
    path.reverse()
    return path


def consistency_proof(store: LeafStore, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]): shows the tree of ``new_size`` extends that of ``old_size``.

    Empty when ``old_size`` is 0 or equals ``new_size``: there is nothing to prove.
    """
    check_size("new_size", new_size, store.size)
    _check_sizes_ordered(old_size, new_size)
    if old_size in (0, new_size):
        return []
    path: list[bytes] = []
    start, end = 0, new_size
    old_root_is_whole_subtree = True  # the RFC's b: no right turn yet, the verifier has it
    while old_size != end:
        k = split_point(end - start)
        if old_size <= start + k:
            path.append(range_hash(store, start + k, end))
            end = start + k
        else:
            path.append(range_hash(store, start, start + k))
            start += k
            old_root_is_whole_subtree = False
    if not old_root_is_whole_subtree:
        path.append(range_hash(store, start, end))
    path.reverse()
    return path


def verify_inclusion(
    *, leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves with ``root``.

    The iterative algorithm of RFC 9162 §2.1.3.2.
    """
    _check_hash("leaf_hash", leaf_hash)
    _check_hash("root", root)
    check_index("index", index, size)
    what = f"inclusion proof for leaf {index} in a tree of size {size}"
    _check_proof_hashes(what, proof)
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError(f"{what}: has more hashes than the path from that leaf to the root")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"{what}: has fewer hashes than the path from that leaf to the root")
    if r != root:
        raise ProofError(f"{what}: leads to root {r.hex()}, not to {root.hex()}")


def verify_consistency(
    *, old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``new_size`` with ``new_root`` extends the one of ``old_size``.

    The algorithm of RFC 9162 §2.1.4.2 for ``0 < old_size < new_size``; for equal sizes
    the proof must be empty and the roots equal, and from size 0 the proof must be empty
    and ``old_root`` the empty tree's.
    """
    _check_hash("old_root", old_root)
    _check_hash("new_root", new_root)
    if new_size < 0:
        raise InvalidInputError("new_size", f"{new_size} is negative; a tree size is 0 or more")
    _check_sizes_ordered(old_size, new_size)
    what = f"consistency proof from size {old_size} to size {new_size}"
    _check_proof_hashes(what, proof)
    if old_size in (0, new_size):
        _verify_trivial_consistency(what, old_size, old_root, new_root, proof)
        return
    if not proof:
        raise ProofError(f"{what}: is empty; between different sizes it needs hashes")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is a whole subtree: its root is implied
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"{what}: has more hashes than the two trees need")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"{what}: has fewer hashes than the two trees need")
    if fr != old_root:
        raise ProofError(f"{what}: leads to old root {fr.hex()}, not to {old_root.hex()}")
    if sr != new_root:
        raise ProofError(f"{what}: leads to new root {sr.hex()}, not to {new_root.hex()}")


def _verify_trivial_consistency(
    what: str, old_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    if proof:
        raise ProofError(f"{what}: must be empty, but has {len(proof)} hashes")
    if old_size == 0 and old_root != EMPTY_ROOT:
        raise ProofError(
            f"{what}: old root {old_root.hex()} is not the empty tree's {EMPTY_ROOT.hex()}"
        )
    if old_size > 0 and old_root != new_root:
        raise ProofError(f"{what}: the roots differ, {old_root.hex()} and {new_root.hex()}")


def _check_sizes_ordered(old_size: int, new_size: int) -> None:
    if old_size < 0:
        raise InvalidInputError("old_size", f"{old_size} is negative; a tree size is 0 or more")
    if old_size > new_size:
        raise InvalidInputError(
            "old_size", f"{old_size} is larger than new_size {new_size}; a log only grows"
        )


def _check_hash(field: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise InvalidInputError(field, f"is {len(value)} bytes; a SHA-256 hash is {HASH_SIZE}")


def _check_proof_hashes(what: str, proof: Sequence[bytes]) -> None:
    for position, value in enumerate(proof):
        if len(value) != HASH_SIZE:
            raise ProofError(
                f"{what}: hash {position} is {len(value)} bytes; a SHA-256 hash is {HASH_SIZE}"
            )
