"""SQLite's WAL is checkpointed after a write lets go of the writer lock, never inside it."""

from __future__ import annotations

import fcntl
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ceasefire.store import wal
from ceasefire.store.database import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    found = Database(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with found.transaction() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (body BLOB)")
    yield found
    found.dispose()


def _write(db: Database, pages: int) -> None:
    """A write transaction that leaves about ``pages`` pages in the WAL."""
    with db.transaction() as conn:
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO scratch SELECT randomblob(3000) FROM n",
            (pages,),
        )


def _length(db: Database) -> int:
    assert db._wal is not None
    return db._wal.length()


PAGE = 4096 + 24  # a page in the WAL, with its frame's header


def _until(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return check()


def test_sqlite_checkpoints_nothing_inside_a_commit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal, "WAL_BYTES", 10**12)  # no thread either
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    _write(db, 1_500)  # past SQLite's own mark of 1,000 pages
    _write(db, 1)  # would start the WAL again, had the last commit copied it
    assert _length(db) >= 1_500 * PAGE


def test_a_write_that_leaves_the_wal_long_has_it_copied_by_a_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal, "WAL_BYTES", 200 * PAGE)
    _write(db, 50)
    assert 50 * PAGE <= _length(db) < 200 * PAGE  # short: left in the WAL
    _write(db, 200)  # the thread copies it, and the next write starts the WAL again

    written = [250]

    def started_again() -> bool:
        _write(db, 1)
        written[0] += 1
        return _length(db) < 10 * PAGE

    assert _until(started_again)
    with db.read() as conn:  # nothing lost on the way
        assert conn.exec_driver_sql("SELECT count(*) FROM scratch").scalar() == written[0]


def test_a_bulk_write_copies_the_wal_itself_once_it_is_long(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal, "WAL_BYTES", 10**12)  # no thread: the import's own checkpoints
    monkeypatch.setattr(wal, "BULK_WAL_BYTES", 300 * PAGE)
    with db.unsynced():
        _write(db, 200)
        _write(db, 1)
        assert _length(db) >= 201 * PAGE  # below the bulk mark: left
        _write(db, 200)  # past it: copied before the transaction returned
        _write(db, 1)  # so this one starts the WAL again
        assert _length(db) < 10 * PAGE


def test_the_checkpoint_runs_after_the_writer_lock_is_let_go_of(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal, "BULK_WAL_BYTES", 100 * PAGE)
    held: list[bool] = []
    checkpoint = db._checkpoint

    def watched() -> int:
        assert db._lock_file is not None
        with open(db._lock_file, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                held.append(True)
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)
                held.append(False)
        return checkpoint()

    assert db._wal is not None
    monkeypatch.setattr(db._wal, "_checkpoint", watched)
    with db.unsynced():
        _write(db, 150)
    assert held == [False]


def test_a_database_with_no_wal_has_one_of_no_length(tmp_path: Path) -> None:
    checkpoints = wal.WalCheckpoints(str(tmp_path / "none.sqlite"), lambda: 0)
    assert checkpoints.length() == 0
    checkpoints.close()


def test_a_checkpoint_that_fails_leaves_the_write_it_follows_done(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(wal, "BULK_WAL_BYTES", 100 * PAGE)

    def broken() -> int:
        raise sqlite3.OperationalError("disk I/O error")

    assert db._wal is not None
    monkeypatch.setattr(db._wal, "_checkpoint", broken)
    with db.unsynced():
        _write(db, 150)
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM scratch").scalar() == 150
    assert "checkpoint of" in caplog.text and "disk I/O error" in caplog.text
