from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from ceasefire.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ceasefire.ledger import (
    Checkpoint,
    Cosigner,
    Entry,
    MemoryTree,
    PartyKey,
    Signer,
    cosign,
    open_cosigned_checkpoint,
    seal,
    sign_checkpoint,
    sign_entry,
    verify_inclusion,
)
from ceasefire.store import checkpoints, ledger, proofs
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.ledger import LedgerLeaf, RegisteredKey
from leaves import TIME, append_new, leaf

BATCHES = [1, 2, 5, 17, 100, 3, 64, 1, 13, 50]  # sizes 1, 3, 8, 25, 125, 128, 192, 193, ...


def build(db: Database, batches: list[int]) -> tuple[MemoryTree, list[int]]:
    """Append the batches; return the memory tree of the same leaves and the sizes reached."""
    sizes = [0]
    for count in batches:
        append_new(db, count)
        sizes.append(sizes[-1] + count)
    return MemoryTree.from_entries(leaf(s).data for s in range(sizes[-1])), sizes


@contextmanager
def counted_queries(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_roots_and_proofs_from_the_database_equal_the_memory_trees_at_every_size(
    db: Database,
) -> None:
    tree, sizes = build(db, BATCHES)
    with db.read() as conn:
        assert [proofs.root(conn, size) for size in range(sizes[-1] + 1)] == [
            tree.root(size) for size in range(sizes[-1] + 1)
        ]
        assert proofs.root(conn) == tree.root()
        for size in sizes[1:]:
            for index in sorted({0, size // 3, size // 2, size - 1}):
                assert proofs.inclusion_proof(conn, index, size) == tree.inclusion_proof(
                    index, size
                )
            for old_size in sizes[:-1]:
                if old_size <= size:
                    proof = proofs.consistency_proof(conn, old_size, size)
                    assert proof == tree.consistency_proof(old_size, size)


def test_every_stored_subtree_hash_equals_the_memory_trees(db: Database) -> None:
    tree, sizes = build(db, BATCHES)
    with db.read() as conn:
        rows = conn.execute(select(t.ledger_subtrees)).all()
    size = sizes[-1]
    assert len(rows) == size - size.bit_count()  # 2n − popcount(n) hashes, minus n leaves
    assert all(row.hash == tree.subtree_hash(row.level, row.index) for row in rows)
    assert {(row.level, row.index) for row in rows} == {
        (level, index) for level in range(1, size.bit_length()) for index in range(size >> level)
    }


def test_a_proof_at_size_5000_costs_one_query(db: Database) -> None:
    """The addresses of the 2·log2(n) + 2 hashes at most that a proof reads are known
    before any is read: one query reads them all, with the log's size."""
    append_new(db, 5_000)
    tree = MemoryTree.from_entries(leaf(s).data for s in range(5_000))
    with db.read() as conn:
        with counted_queries(db) as inclusion:
            proof = proofs.inclusion_proof(conn, 1_234, 4_999)
        with counted_queries(db) as consistency:
            extends = proofs.consistency_proof(conn, 1_234, 4_999)
    assert proof == tree.inclusion_proof(1_234, 4_999)
    assert extends == tree.consistency_proof(1_234, 4_999)
    assert len(inclusion) == len(consistency) == 1
    assert all(len(p) <= 2 * math.log2(5_000) + 2 for p in (proof, extends))


def test_appending_100000_leaves_on_sqlite_gives_the_memory_trees_root(
    sqlite_db: Database,
) -> None:
    count = 100_000
    append_new(sqlite_db, 3)  # so that the big append starts off the tree's edge
    leaves = [leaf(s) for s in range(3, count)]
    with sqlite_db.transaction() as conn:
        assert ledger.append(conn, leaves) == list(range(3, count))
    append_new(sqlite_db, 2)
    tree = MemoryTree.from_entries(leaf(s).data for s in range(count + 2))
    with sqlite_db.read() as conn:
        assert proofs.root(conn) == tree.root()
        assert proofs.root(conn, count) == tree.root(count)
        stored = conn.execute(select(func.count()).select_from(t.ledger_subtrees)).scalar()
    assert stored == (count + 2) - (count + 2).bit_count()


@pytest.mark.postgres
def test_concurrent_appends_on_postgresql_take_distinct_consecutive_sequences(
    postgres_db: Database,
) -> None:
    rounds, per_batch = 12, 5
    barrier = threading.Barrier(2, timeout=30)
    taken: dict[str, list[list[int]]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for _ in range(rounds):
                with postgres_db.transaction() as conn:
                    barrier.wait()  # both transactions are open; race for the next sequence
                    start = ledger.next_sequence(conn)
                    time.sleep(0.005)  # without the lock the other writer reads the same size
                    batch = [leaf(s, name) for s in range(start, start + per_batch)]
                    taken[name].append(ledger.append(conn, batch))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=writer, args=(name,)) for name in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    batches = taken["a"] + taken["b"]
    assert all(batch == list(range(batch[0], batch[0] + per_batch)) for batch in batches)
    assert sorted(s for batch in batches for s in batch) == list(range(2 * rounds * per_batch))
    owner = {s: name for name, found in taken.items() for batch in found for s in batch}
    expected = [leaf(s, owner[s]).data for s in range(len(owner))]
    tree = MemoryTree.from_entries(expected)
    with postgres_db.read() as conn:
        assert ledger.entries(conn, 0, len(owner)) == expected
        assert proofs.root(conn) == tree.root()
        rows = conn.execute(select(t.ledger_subtrees)).all()
    assert len(rows) == len(owner) - len(owner).bit_count()
    assert all(row.hash == tree.subtree_hash(row.level, row.index) for row in rows)


def test_a_leaf_for_a_sequence_already_taken_is_refused_and_nothing_is_written(
    db: Database,
) -> None:
    append_new(db, 4)
    with (
        pytest.raises(ConflictError, match="for sequence 3, but the ledger's next sequence is 4"),
        db.transaction() as conn,
    ):
        ledger.append(conn, [leaf(3, "again"), leaf(4)])
    with db.read() as conn:
        assert ledger.DatabaseLog(conn).size == 4
        assert ledger.entries(conn, 3, 4) == [b"leaf 3"]


def test_entries_are_the_leaves_as_appended_and_stop_at_the_size(db: Database) -> None:
    append_new(db, 10)
    with db.read() as conn:
        assert ledger.entries(conn, 0, 3) == [b"leaf 0", b"leaf 1", b"leaf 2"]
        assert ledger.entries(conn, 10, 10) == []
        with pytest.raises(InvalidInputError, match=r"\[8, 11\) is not a range"):
            ledger.entries(conn, 8, 11)


def test_an_entry_is_stored_with_its_facts_and_found_by_record_and_author(db: Database) -> None:
    key = PartyKey("ru-mod.example", hashlib.sha256(b"ru").digest())
    when = datetime(2016, 2, 26, 22, 0, 0, 123456, tzinfo=UTC)
    entry = Entry(
        sequence=0,
        time=when,
        kind="regime.extended",
        record="regime:aleppo-local-truce",
        change={"end": "2016-05-07T00:00:00Z"},
        author_party="ru-mod",
        author_key_id=key.key_id,
        previous=None,
    )
    signed = sign_entry(entry, key)
    with db.transaction() as conn:
        assert ledger.append(conn, [LedgerLeaf.of(signed)]) == [0]
    entries = t.ledger_entries
    with db.read() as conn:
        row = conn.execute(
            select(entries).where(entries.c.record == "regime:aleppo-local-truce")
        ).one()
        assert proofs.inclusion_proof(conn, 0) == []
        root = proofs.root(conn)
    assert (row.sequence, row.leaf, row.leaf_hash) == (0, signed.leaf(), signed.leaf_hash())
    assert (row.kind, row.author_party, row.author_key_id) == (
        "regime.extended",
        "ru-mod",
        key.key_id,
    )
    assert row.time == when
    verify_inclusion(leaf_hash=row.leaf_hash, index=0, size=1, proof=[], root=root)


def test_a_checkpoint_is_saved_with_its_cosignatures_and_reopens_cosigned(db: Database) -> None:
    append_new(db, 7)
    host, witness = Signer.generate("ceasefire.example/ledger"), Cosigner.generate("witness-a")
    with db.read() as conn:
        checkpoint = Checkpoint("ceasefire.example/ledger", 7, proofs.root(conn))
    note = sign_checkpoint(checkpoint, host)
    line = cosign(checkpoint, witness, 1456524000)
    with db.transaction() as conn:
        assert checkpoints.save_checkpoint(conn, note, TIME) == checkpoint
        assert checkpoints.save_checkpoint(conn, note, TIME) == checkpoint  # again: harmless
        checkpoints.save_cosignature(conn, 7, line)
    with db.read() as conn:
        saved = checkpoints.load_checkpoint(conn)
        assert checkpoints.load_checkpoint(conn, 6) is None
    assert saved is not None
    assert (saved.checkpoint, saved.note, saved.created) == (checkpoint, note, TIME)
    assert saved.cosignatures == (line,)
    opened = open_cosigned_checkpoint(saved.cosigned_note(), host.verifier(), [witness.verifier()])
    assert opened.checkpoint == checkpoint
    assert opened.cosigners == {"witness-a"}


def test_a_checkpoint_whose_root_is_not_the_logs_is_refused(db: Database) -> None:
    append_new(db, 7)
    host = Signer.generate("ceasefire.example/ledger")
    forged = Checkpoint("ceasefire.example/ledger", 7, hashlib.sha256(b"fork").digest())
    with (
        pytest.raises(ConflictError, match="the ledger's root at that size is"),
        db.transaction() as conn,
    ):
        checkpoints.save_checkpoint(conn, sign_checkpoint(forged, host), TIME)
    with pytest.raises(NotFoundError, match="no checkpoint of size 7"), db.transaction() as conn:
        checkpoints.save_cosignature(conn, 7, cosign(forged, Cosigner.generate("w"), 1))


def test_party_keys_are_registered_once_and_revoked_once(db: Database) -> None:
    own = PartyKey.generate("party-a.example")
    held = PartyKey.generate("party-a.example/server")
    sealed = seal(held, "secret", cost=10)
    with db.transaction() as conn:
        conn.execute(t.parties.insert().values(id="party-a", name="Party A", kind="state"))
        ledger.save_party_key(conn, RegisteredKey("party-a", own.public_key, TIME))
        ledger.save_party_key(
            conn, RegisteredKey("party-a", held.public_key, TIME + timedelta(days=1), sealed)
        )
        ledger.revoke_party_key(conn, "party-a", own.key_id, TIME + timedelta(days=2))
    with (
        pytest.raises(ConflictError, match=f"already has a key {own.key_id}"),
        db.transaction() as conn,
    ):
        ledger.save_party_key(conn, RegisteredKey("party-a", own.public_key, TIME))
    with (
        pytest.raises(NotFoundError, match=f"no unrevoked key {own.key_id}"),
        db.transaction() as conn,
    ):
        ledger.revoke_party_key(conn, "party-a", own.key_id, TIME)
    with db.read() as conn:
        keys = ledger.load_party_keys(conn, "party-a")
    assert keys == [
        RegisteredKey("party-a", own.public_key, TIME, None, TIME + timedelta(days=2)),
        RegisteredKey("party-a", held.public_key, TIME + timedelta(days=1), sealed),
    ]


def test_the_latest_entry_of_some_kinds_is_found_among_entries_of_other_kinds(
    db: Database,
) -> None:
    kinds = ["report.created", "regime.created", "regime.extended", "report.created"]
    with db.transaction() as conn:
        assert ledger.latest_of_kinds(conn, ["regime.created", "regime.extended"]) == -1
        ledger.append(conn, [replace(leaf(s), kind=k) for s, k in enumerate(kinds)])
        assert ledger.latest_of_kinds(conn, ["regime.created", "regime.extended"]) == 2
        assert ledger.latest_of_kinds(conn, ["regime.created"]) == 1
        assert ledger.latest_of_kinds(conn, ["report.created", "actor.created"]) == 3
        assert ledger.latest_of_kinds(conn, ["actor.created"]) == -1


def test_a_write_holding_the_logs_lock_is_seen_by_a_bulk_import(db: Database) -> None:
    with db.transaction() as conn:
        ledger.lock_log(conn)
        assert ledger.log_busy(db)  # asked from another connection, as an import does
    if db.is_sqlite:  # (on PostgreSQL, tests in other schemas may hold the same lock)
        assert not ledger.log_busy(db)
