from __future__ import annotations

from ceasefire.ledger import leaf_hash
from ceasefire.store import ledger
from ceasefire.store.database import Database
from ceasefire.store.tails import Tail, follow, read_tail
from leaves import append_new, leaf


def test_a_tail_followed_by_the_entries_appended_since_is_the_tail_read_afresh(
    db: Database,
) -> None:
    for first, later in [(0, 0), (0, 1), (1, 0), (5, 3), (8, 17), (13, 64)]:
        with db.transaction() as conn:
            conn.exec_driver_sql("DELETE FROM ledger_subtrees")
            conn.exec_driver_sql("DELETE FROM ledger_entries")
        if first:
            append_new(db, first)
        with db.read() as conn:
            known = read_tail(conn)
        if later:
            append_new(db, later)
        with db.read() as conn:
            followed = follow(conn, known, at_most=100)
            fresh = read_tail(conn)
        assert followed is not None
        assert (followed.tail.size, followed.tail.edge) == (fresh.size, fresh.edge)
        assert followed.tail.root() == fresh.root()
        newest = first + later - 1
        assert (
            followed.tail.last
            == fresh.last
            == (leaf_hash(leaf(newest).data) if newest >= 0 else None)
        )
        assert followed.kinds == ({"report.created"} if later else frozenset())
        assert known.size == first  # the tail it followed from is left as it was


def test_a_tail_is_read_afresh_after_more_entries_than_it_follows_or_from_another_log(
    db: Database,
) -> None:
    append_new(db, 4)
    with db.read() as conn:
        known = read_tail(conn)
    append_new(db, 11)
    with db.read() as conn:
        assert follow(conn, known, at_most=10) is None  # eleven appended since
        assert follow(conn, known, at_most=11) is not None
        assert follow(conn, Tail(40, known.edge), at_most=100) is None  # no entry 39 here


def test_a_gap_in_the_entries_since_is_not_followed(db: Database) -> None:
    append_new(db, 3)
    with db.read() as conn:
        known = read_tail(conn)
    with db.transaction() as conn:  # entries 3 and 5 but no 4: not a log this process knows
        ledger.append(conn, [leaf(3)])
        conn.exec_driver_sql(
            "INSERT INTO ledger_entries (sequence, leaf, leaf_hash, kind, record, author_party,"
            " author_key_id, time) SELECT 5, leaf, leaf_hash, kind, record, author_party,"
            " author_key_id, time FROM ledger_entries WHERE sequence = 3"
        )
    with db.read() as conn:
        assert follow(conn, known, at_most=100) is None


def test_a_log_of_the_same_length_with_other_leaves_is_not_followed(db: Database) -> None:
    """A database restored or replaced under a running server: the tail it knew is read
    afresh, not grown with another log's entries."""
    append_new(db, 6)
    with db.read() as conn:
        known = read_tail(conn)
    with db.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM ledger_subtrees")
        conn.exec_driver_sql("DELETE FROM ledger_entries")
    append_new(db, 9, tag="other")
    with db.read() as conn:
        assert follow(conn, known, at_most=100) is None


def test_locking_and_following_in_one_go_is_following_with_the_log_locked(db: Database) -> None:
    """``lock_and_follow`` (PostgreSQL: the lock and the read sent together) grows the tail
    as ``follow`` does, and holds the log's lock until its transaction ends."""
    append_new(db, 5)
    with db.read() as conn:
        known = read_tail(conn)
    append_new(db, 4)
    with db.read() as conn:
        expected = follow(conn, known, at_most=100)
    with db.transaction() as conn:
        found = ledger.lock_and_follow(conn, known, at_most=100)
        assert found is not None and expected is not None
        assert (found.tail.size, found.tail.edge, found.tail.last, found.kinds) == (
            expected.tail.size,
            expected.tail.edge,
            expected.tail.last,
            expected.kinds,
        )
        assert ledger.log_busy(db)  # another session sees the lock held (or waited for)
        assert ledger.lock_and_follow(conn, known, at_most=3) is None  # four since: afresh
    assert not ledger.log_busy(db)
