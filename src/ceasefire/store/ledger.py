"""The ledger in the database: leaves, complete subtree hashes, checkpoints and party keys.

``DatabaseLog(conn)`` serves the Merkle log to ``ceasefire.ledger``'s root and proof code
(the ``LeafStore`` protocol) with one indexed query per hash read, so a root or proof at
any size costs O(log n) queries. ``append`` adds leaves and the hash of every subtree they
complete, in bulk, inside the caller's write transaction. See docs/ledger.md §4.

Appends are serialised: on SQLite by the write transaction (``BEGIN IMMEDIATE``), on
PostgreSQL by a transaction-scoped advisory lock that ``next_sequence`` and ``append``
take before reading the size. An entry signs its own sequence, so a writer calls
``next_sequence`` first, signs its entries from there, and appends them in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, func, select, text

from ceasefire.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ceasefire.ledger import (
    LeafStore,
    PublicKey,
    SignedEntry,
    leaf_hash,
    node_hash,
    proofs,
    range_subtrees,
    root_hash,
    subtrees_completed_by,
)
from ceasefire.ledger.subtrees import read_subtree
from ceasefire.store import tables as t
from ceasefire.store.bulk import insert_columns

T = TypeVar("T")

# The PostgreSQL advisory lock key of appends: b"ceasefir" read as a big-endian integer.
APPEND_LOCK = int.from_bytes(b"ceasefir", "big")


@dataclass(frozen=True, slots=True)
class LedgerLeaf:
    """A leaf to append: its bytes and the facts of its entry that the database indexes.

    The facts are passed rather than parsed from the bytes, since parsing and checking a
    leaf costs about 0.1 ms (10 s for a 100,000-entry import); ``of`` takes them from a
    ``SignedEntry``.
    """

    sequence: int
    data: bytes
    kind: str
    record: str
    author_party: str
    author_key_id: str
    time: datetime

    @classmethod
    def of(cls, signed: SignedEntry) -> LedgerLeaf:
        """The leaf of a signed entry, with the entry's own facts."""
        entry = signed.entry
        return cls(
            entry.sequence,
            signed.leaf(),
            entry.kind,
            entry.record,
            entry.author_party,
            entry.author_key_id,
            entry.time,
        )


class DatabaseLog:
    """The log as a ``LeafStore``: every read is one query on the caller's connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def size(self) -> int:
        """How many leaves the log holds (one past the largest sequence)."""
        last = self.conn.execute(select(func.max(t.ledger_entries.c.sequence))).scalar()
        return 0 if last is None else int(last) + 1

    def leaf_hash(self, index: int) -> bytes:
        """The leaf hash at ``index``."""
        entries = t.ledger_entries
        found = self.conn.scalar(select(entries.c.leaf_hash).where(entries.c.sequence == index))
        return _hash(found, f"leaf {index}")

    def subtree_hash(self, level: int, index: int) -> bytes:
        """The hash of the complete ``Subtree(level, index)``, ``level >= 1``."""
        subtrees = t.ledger_subtrees
        found = self.conn.scalar(
            select(subtrees.c.hash).where(subtrees.c.level == level, subtrees.c.index == index)
        )
        return _hash(found, f"subtree ({level}, {index})")


def _hash(found: object, what: str) -> bytes:
    if found is None:
        raise NotFoundError(f"the ledger holds no {what}")
    assert isinstance(found, bytes), f"{what}: {type(found).__name__} read, not bytes"
    return found


def next_sequence(conn: Connection) -> int:
    """Lock the log for this write transaction; return the sequence the next leaf takes."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})
    return DatabaseLog(conn).size


def append(conn: Connection, leaves: Sequence[LedgerLeaf]) -> list[int]:
    """Append the leaves in order, with every subtree they complete; return their sequences.

    Runs in the caller's write transaction. Each leaf must carry the sequence it takes
    (its entry signs it): ``ConflictError`` if another write took that place first.
    """
    start = next_sequence(conn)
    for offset, leaf in enumerate(leaves):
        if leaf.sequence != start + offset:
            raise ConflictError(
                f"leaf {offset} of {len(leaves)} is for sequence {leaf.sequence}, "
                f"but the ledger's next sequence is {start + offset}"
            )
    hashes = [leaf_hash(leaf.data) for leaf in leaves]
    levels, indices, subtree_hashes = _completed_subtrees(DatabaseLog(conn), start, hashes)
    insert_columns(
        conn,
        t.ledger_entries,
        {
            "sequence": [leaf.sequence for leaf in leaves],
            "leaf": [leaf.data for leaf in leaves],
            "leaf_hash": hashes,
            "kind": [leaf.kind for leaf in leaves],
            "record": [leaf.record for leaf in leaves],
            "author_party": [leaf.author_party for leaf in leaves],
            "author_key_id": [leaf.author_key_id for leaf in leaves],
            "time": [leaf.time for leaf in leaves],
        },
    )
    insert_columns(
        conn, t.ledger_subtrees, {"level": levels, "index": indices, "hash": subtree_hashes}
    )
    return list(range(start, start + len(leaves)))


def _completed_subtrees(
    log: DatabaseLog, start: int, hashes: Sequence[bytes]
) -> tuple[list[int], list[int], list[bytes]]:
    """Levels, indices and hashes of the subtrees that appending ``hashes`` at ``start``
    completes. The older left children are the log's right edge, read once."""
    # The complete subtrees of the right edge, largest first: the left child of every
    # subtree completed from here on is on top of this stack, the right child above it.
    edge = [read_subtree(log, subtree) for subtree in range_subtrees(0, start)] if start else []
    levels: list[int] = []
    indices: list[int] = []
    found: list[bytes] = []
    for offset, hashed in enumerate(hashes):
        edge.append(hashed)
        for subtree in subtrees_completed_by(start + offset):
            right = edge.pop()
            left = edge.pop()
            edge.append(node_hash(left, right))
            levels.append(subtree.level)
            indices.append(subtree.index)
            found.append(edge[-1])
    return levels, indices, found


def entries(conn: Connection, start: int, end: int) -> list[bytes]:
    """The leaves ``[start, end)``, in order; ``end`` at most the log's size."""
    size = DatabaseLog(conn).size
    if not 0 <= start <= end <= size:
        raise InvalidInputError(
            "end" if end > size else "start",
            f"[{start}, {end}) is not a range of the log's leaves 0..{size}",
        )
    column = t.ledger_entries.c.sequence
    query = select(t.ledger_entries.c.leaf).where(column >= start, column < end).order_by(column)
    return [bytes(leaf) for leaf in conn.execute(query).scalars()]


def latest_state_hashes(conn: Connection, records: Sequence[str]) -> dict[str, str]:
    """For each record the log holds, the ``state_hash`` of its latest entry's change: the
    ``previous`` of the record's next entry."""
    entries = t.ledger_entries
    found: dict[str, str] = {}
    for start in range(0, len(records), 500):
        chunk = records[start : start + 500]
        latest = (
            select(func.max(entries.c.sequence))
            .where(entries.c.record.in_(chunk))
            .group_by(entries.c.record)
        )
        rows = conn.execute(select(entries.c.leaf).where(entries.c.sequence.in_(latest)))
        for (leaf,) in rows:
            entry = SignedEntry.from_leaf(bytes(leaf)).entry
            found[entry.record] = entry.state_hash()
    return found


def latest_sequences(conn: Connection, records: Sequence[str]) -> dict[str, int]:
    """The sequence of each record's latest entry (records the log never wrote are left out)."""
    entries = t.ledger_entries
    found: dict[str, int] = {}
    for start in range(0, len(records), 500):
        query = (
            select(entries.c.record, func.max(entries.c.sequence))
            .where(entries.c.record.in_(records[start : start + 500]))
            .group_by(entries.c.record)
        )
        found.update({record: int(sequence) for record, sequence in conn.execute(query)})
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
        return _hash(found, what)


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


@dataclass(frozen=True)
class RegisteredKey:
    """A party's signing key: ``sealed_private`` is ``None`` when the party holds it."""

    party_id: str
    key: PublicKey
    created: datetime
    sealed_private: bytes | None = None
    revoked: datetime | None = None


def save_party_key(conn: Connection, registered: RegisteredKey) -> None:
    """Register a party's key; ``ConflictError`` if the party has a key with that id."""
    table = t.party_keys
    key = registered.key
    exists = select(table.c.key_id).where(
        table.c.party_id == registered.party_id, table.c.key_id == key.key_id
    )
    if conn.execute(exists).first() is not None:
        raise ConflictError(f"party {registered.party_id} already has a key {key.key_id}")
    conn.execute(
        table.insert().values(
            party_id=registered.party_id,
            key_id=key.key_id,
            name=key.name,
            public_key=key.public_bytes,
            sealed_private=registered.sealed_private,
            created=registered.created,
            revoked=registered.revoked,
        )
    )


def revoke_party_key(conn: Connection, party_id: str, key_id: str, revoked: datetime) -> None:
    """Mark a key revoked from ``revoked`` on; entries it signed before stay valid."""
    table = t.party_keys
    done = conn.execute(
        table.update()
        .where(table.c.party_id == party_id, table.c.key_id == key_id, table.c.revoked.is_(None))
        .values(revoked=revoked)
    )
    if done.rowcount != 1:
        raise NotFoundError(f"party {party_id} has no unrevoked key {key_id}")


def load_party_keys(conn: Connection, party_id: str | None) -> list[RegisteredKey]:
    """A party's keys (``None``: every party's), revoked ones included, oldest first."""
    table = t.party_keys
    query = select(table).order_by(table.c.party_id, table.c.created, table.c.key_id)
    if party_id is not None:
        query = query.where(table.c.party_id == party_id)
    rows = conn.execute(query)
    return [
        RegisteredKey(
            r.party_id,
            PublicKey(r.name, bytes(r.public_key)),
            r.created,
            None if r.sealed_private is None else bytes(r.sealed_private),
            r.revoked,
        )
        for r in rows
    ]


def stored_leaves(conn: Connection, *, batch: int = 10_000) -> Iterator[tuple[int, bytes, bytes]]:
    """Every stored ``(sequence, leaf, leaf hash)`` in sequence order, read a batch at a
    time; gaps in the sequence show as they are."""
    entries = t.ledger_entries
    query = (
        select(entries.c.sequence, entries.c.leaf, entries.c.leaf_hash)
        .order_by(entries.c.sequence)
        .limit(batch)
    )
    after = -1
    while rows := conn.execute(query.where(entries.c.sequence > after)).all():
        for sequence, leaf, hashed in rows:
            yield int(sequence), bytes(leaf), bytes(hashed)
        after = int(rows[-1][0])


def leaves_of_kind(conn: Connection, kind: str) -> list[bytes]:
    """The leaves of the entries of one kind (``key.added``), in sequence order."""
    entries = t.ledger_entries
    query = select(entries.c.leaf).where(entries.c.kind == kind).order_by(entries.c.sequence)
    return [bytes(leaf) for leaf in conn.execute(query).scalars()]


def latest_of_kinds(conn: Connection, kinds: Sequence[str]) -> int:
    """The sequence of the latest entry of any of these kinds (-1: none), one index
    lookup per kind."""
    entries = t.ledger_entries
    latest = -1
    for kind in kinds:
        found = conn.execute(
            select(func.max(entries.c.sequence)).where(entries.c.kind == kind)
        ).scalar()
        latest = max(latest, -1 if found is None else int(found))
    return latest


def count_subtrees(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(t.ledger_subtrees)).scalar() or 0)
