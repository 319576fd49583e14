"""Roots and proofs served from the database: every hash a root or RFC 9162 proof needs,
read in one query (docs/ledger.md §4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection

from ceasefire.domain.errors import NotFoundError
from ceasefire.ledger import LeafStore, proofs, root_hash

T = TypeVar("T")


def hash_or_missing(found: object, what: str) -> bytes:
    if found is None:
        raise NotFoundError(f"the ledger holds no {what}")
    assert isinstance(found, bytes), f"{what}: {type(found).__name__} read, not bytes"
    return found


def root(conn: Connection, size: int | None = None) -> bytes:
    """The root of the log's first ``size`` leaves (default: all of them)."""
    return _prefetched(conn, size, lambda log, n: root_hash(log, n))


def inclusion_proof(conn: Connection, index: int, size: int | None = None) -> list[bytes]:
    """The RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` (default: all)."""
    return _prefetched(conn, size, lambda log, n: proofs.inclusion_proof(log, index, n))


def consistency_proof(conn: Connection, old_size: int, new_size: int | None = None) -> list[bytes]:
    """The RFC 9162 consistency proof from ``old_size`` to ``new_size`` (default: all)."""
    return _prefetched(conn, new_size, lambda log, n: proofs.consistency_proof(log, old_size, n))


class _Addresses:
    """A ``LeafStore`` that answers with placeholders and notes which hashes were read:
    which hashes a root or proof needs depends on the sizes and indices alone."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.leaves: set[int] = set()
        self.subtrees: set[tuple[int, int]] = set()

    def leaf_hash(self, index: int) -> bytes:
        self.leaves.add(index)
        return bytes(32)

    def subtree_hash(self, level: int, index: int) -> bytes:
        self.subtrees.add((level, index))
        return bytes(32)


class _Fetched:
    """A ``LeafStore`` over hashes read in advance."""

    def __init__(self, size: int, hashes: dict[tuple[int, int], bytes]) -> None:
        self.size = size
        self.hashes = hashes

    def leaf_hash(self, index: int) -> bytes:
        return self.subtree_hash(0, index)

    def subtree_hash(self, level: int, index: int) -> bytes:
        found = self.hashes.get((level, index))
        what = f"leaf {index}" if level == 0 else f"subtree ({level}, {index})"
        return hash_or_missing(found, what)


def _prefetched(conn: Connection, size: int | None, compute: Callable[[LeafStore, int], T]) -> T:
    """Compute a root or proof with every hash it needs read in one query (two when the
    size is not given), not one query per hash: the computation runs first over
    placeholders to learn which hashes it reads, which depends on the sizes alone.

    The query is plain SQL with the addresses inlined (integers we computed): building
    SQLAlchemy expressions for some 40 addresses cost more than running it. One term per
    level keeps both databases on the primary key; a row-value ``(level, index) IN (...)``
    makes SQLite scan the table.
    """
    known = _size(conn) if size is None else size
    wanted = _Addresses(max(known, 0))
    compute(wanted, known)  # refuses bad sizes and indices before any read
    parts = ["SELECT -1, max(sequence), NULL FROM ledger_entries"]  # the log's size
    if wanted.leaves:
        listed = ",".join(str(int(i)) for i in sorted(wanted.leaves))
        parts.append(
            f"SELECT 0, sequence, leaf_hash FROM ledger_entries WHERE sequence IN ({listed})"
        )
    by_level: dict[int, list[int]] = {}
    for level, index in sorted(wanted.subtrees):
        by_level.setdefault(int(level), []).append(int(index))
    if by_level:
        terms = " OR ".join(
            f'(level = {level} AND "index" IN ({",".join(map(str, indices))}))'
            for level, indices in by_level.items()
        )
        parts.append(f'SELECT level, "index", hash FROM ledger_subtrees WHERE {terms}')
    hashes: dict[tuple[int, int], bytes] = {}
    log_size = 0
    for level, index, hashed in conn.exec_driver_sql(" UNION ALL ".join(parts)):
        if level == -1:
            log_size = 0 if index is None else int(index) + 1
        else:
            hashes[(int(level), int(index))] = bytes(hashed)
    if log_size < known:
        compute(_Addresses(log_size), known)  # names the size that is past the log
    return compute(_Fetched(log_size, hashes), known)


def _size(conn: Connection) -> int:
    last = conn.exec_driver_sql("SELECT max(sequence) FROM ledger_entries").scalar()
    return 0 if last is None else int(last) + 1
