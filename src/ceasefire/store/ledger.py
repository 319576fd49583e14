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

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, TextClause, bindparam, func, select, text

from ceasefire.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ceasefire.ledger import (
    PublicKey,
    SignedEntry,
    leaf_hash,
)
from ceasefire.store import tables as t
from ceasefire.store.bulk import insert_columns
from ceasefire.store.proofs import hash_or_missing
from ceasefire.store.tails import (
    SINCE_DRIVER_SQL,
    Followed,
    Tail,
    follow,
    followed,
    read_tail,
    since,
)

if TYPE_CHECKING:
    from ceasefire.store.database import Database

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
        return hash_or_missing(found, f"leaf {index}")

    def subtree_hash(self, level: int, index: int) -> bytes:
        """The hash of the complete ``Subtree(level, index)``, ``level >= 1``."""
        subtrees = t.ledger_subtrees
        found = self.conn.scalar(
            select(subtrees.c.hash).where(subtrees.c.level == level, subtrees.c.index == index)
        )
        return hash_or_missing(found, f"subtree ({level}, {index})")


def lock_log(conn: Connection) -> None:
    """Lock the log for this write transaction (SQLite: the transaction's own write lock,
    taken by ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})


def lock_and_follow(
    conn: Connection, known: Tail, at_most: int, *, savepoint: str | None = None
) -> Followed | None:
    """``lock_log``, then ``tails.follow`` from ``known``, then (``savepoint``) a savepoint
    of that name: on PostgreSQL sent together with the transaction's ``BEGIN``, in one
    round trip where they took four (the server runs them in turn, so the entries are read
    once the lock is held)."""
    if conn.dialect.name != "postgresql":
        lock_log(conn)
        found = follow(conn, known, at_most)
        if savepoint is not None:
            conn.exec_driver_sql(f"SAVEPOINT {savepoint}")
        return found
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.pipeline():
        driver.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])
        read = driver.execute(SINCE_DRIVER_SQL, since(known, at_most))
        if savepoint is not None:
            driver.execute(f"SAVEPOINT {savepoint}")
    return followed(known, read.fetchall(), at_most)


# another session of this database holds the log's advisory lock or waits for it
_LOG_BUSY = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND classid = :high AND objid = :low AND objsubid = 1 AND pid <> pg_backend_pid())"
).bindparams(high=APPEND_LOCK >> 32, low=APPEND_LOCK & 0xFFFFFFFF)


def log_busy(db: Database) -> bool:
    """Whether another write holds the log's lock or waits for it: a bulk import asks
    after each of its transactions, and keeps its next one short while writes come in, so
    that none waits long behind it."""
    if not db.is_sqlite:
        with db.read() as conn:
            return bool(conn.execute(_LOG_BUSY).scalar())
    return db.others_writing()


def log_wanted(conn: Connection, db: Database) -> bool:
    """Inside a write that holds the log's lock (``conn``'s): whether another write waits
    for it. A bulk import's chunk asks between the parts it stores, and ends early."""
    if conn.dialect.name == "postgresql":
        return bool(conn.execute(_LOG_BUSY).scalar())  # others: the lock is this session's
    return db.others_waiting()


def next_sequence(conn: Connection) -> int:
    """Lock the log for this write transaction; return the sequence the next leaf takes."""
    lock_log(conn)
    return DatabaseLog(conn).size


def append(conn: Connection, leaves: Sequence[LedgerLeaf], tail: Tail | None = None) -> list[int]:
    """Append the leaves in order, with every subtree they complete; return their sequences.

    Runs in the caller's write transaction. Each leaf must carry the sequence it takes
    (its entry signs it): ``ConflictError`` if another write took that place first.
    ``tail``: the log's tail as the caller's write group keeps it (read from the database
    when not given); it is advanced in place once the rows are in.
    """
    if tail is None:
        next_sequence(conn)  # the log's lock, for a caller without a group
        tail = read_tail(conn)
    start = tail.size
    for offset, leaf in enumerate(leaves):
        if leaf.sequence != start + offset:
            raise ConflictError(
                f"leaf {offset} of {len(leaves)} is for sequence {leaf.sequence}, "
                f"but the ledger's next sequence is {start + offset}"
            )
    hashes = [leaf_hash(leaf.data) for leaf in leaves]
    grown, levels, indices, subtree_hashes = tail.grown(hashes)
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
    tail.become(grown)
    return list(range(start, start + len(leaves)))


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


def first_sequence(conn: Connection, record: str) -> int | None:
    """The sequence of the entry that first wrote the record (None: the log never did)."""
    entries = t.ledger_entries
    first = conn.execute(
        select(func.min(entries.c.sequence)).where(entries.c.record == record)
    ).scalar()
    return None if first is None else int(first)


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
    if party_id is None:
        rows = conn.execute(_ALL_KEYS)
    else:
        rows = conn.execute(_KEYS_OF, {"party_id": party_id})
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


_ALL_KEYS = select(t.party_keys).order_by(
    t.party_keys.c.party_id, t.party_keys.c.created, t.party_keys.c.key_id
)  # built once: every write signs with a key read here
_KEYS_OF = _ALL_KEYS.where(t.party_keys.c.party_id == bindparam("party_id"))


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


def leaves_of_kinds(conn: Connection, kinds: Sequence[str]) -> list[bytes]:
    """The leaves of the entries of these kinds (the keys'), in sequence order."""
    entries = t.ledger_entries
    query = select(entries.c.leaf).where(entries.c.kind.in_(kinds)).order_by(entries.c.sequence)
    return [bytes(leaf) for leaf in conn.execute(query).scalars()]


def latest_of_kinds(conn: Connection, kinds: Sequence[str]) -> int:
    """The sequence of the latest entry of any of these kinds (-1: none): one query, one
    index lookup per kind, prepared once (it runs in every write)."""
    found = conn.execute(_latest_of(tuple(kinds))).scalar()
    return -1 if found is None else int(found)


@functools.lru_cache(maxsize=16)
def _latest_of(kinds: tuple[str, ...]) -> TextClause:
    # the last row of each kind in the (kind, sequence) index: with ``kind IN (...)``
    # PostgreSQL walked the log backwards from its end instead, through every entry written
    # since the last of these kinds (all of an import's: ~6 ms at 6,000 entries, growing)
    names = {f"k{i}": kind for i, kind in enumerate(kinds)}
    listed = ", ".join(f"(:{name})" for name in names)
    return text(
        "SELECT max((SELECT max(e.sequence) FROM ledger_entries AS e WHERE e.kind = k.column1))"
        f" FROM (VALUES {listed}) AS k"
    ).bindparams(**names)


def count_subtrees(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(t.ledger_subtrees)).scalar() or 0)
