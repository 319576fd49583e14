"""Group commit: concurrent writes share transactions, each signed by its own party, each
durable when it returns; a failing write is rolled back alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from shapely.geometry import box
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError

from builders import report, scenario
from ceasefire.domain.errors import ConflictError
from ceasefire.domain.regimes import Regime
from ceasefire.ingest.rows import ParsedRow
from ceasefire.services.commits import Group, NestedWriteError
from ceasefire.services.imports import Chunks, import_events
from ceasefire.services.incidents import file_report, submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import agreements as agreement_store
from ceasefire.store import tables as t
from ceasefire.store.records import REGIME
from ceasefire.store.reports import StoredReport
from groups import joined

ORIGIN = "ceasefire.localhost/ledger"


@pytest.fixture
def loaded(ledger: Ledger) -> Ledger:
    load_scenario(ledger, scenario())
    for party in ("us", "ru"):  # each party's key exists before the race
        submit_report(ledger, report(f"{party}-first", source=party), author=party)
    return ledger


def count(ledger: Ledger, table: t.Table) -> int:
    with ledger.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_concurrent_writes_are_grouped_each_signed_by_its_party(loaded: Ledger) -> None:
    checkpoints_before = count(loaded, t.ledger_checkpoints)
    start = threading.Barrier(16)

    def write(n: int) -> int:
        party = "us" if n % 2 else "ru"
        start.wait()
        stored = submit_report(
            loaded, report(f"{party}-{n}", source=party, lon=36 + n / 100), author=party
        )
        with loaded.db.read() as conn:  # durable and visible to others once it returns
            found = conn.execute(select(t.reports.c.id).where(t.reports.c.id == stored.id))
            assert found.scalar() == stored.id
        return stored.id

    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(write, range(16)))
    assert len(set(ids)) == 16
    checkpoints = count(loaded, t.ledger_checkpoints) - checkpoints_before
    assert 1 <= checkpoints < 16  # writes shared commits, one checkpoint per commit
    with loaded.db.read() as conn:
        authors = dict(
            conn.execute(
                select(t.ledger_entries.c.record, t.ledger_entries.c.author_party).where(
                    t.ledger_entries.c.kind == "report.created"
                )
            ).all()
        )
    for n, report_id in enumerate(ids):
        assert authors[f"report:{report_id}"] == ("us" if n % 2 else "ru")
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_a_write_that_fails_is_rolled_back_alone(loaded: Ledger) -> None:
    start = threading.Barrier(8)

    def write(n: int) -> str:
        start.wait()
        source_id = "us-first" if n == 3 else f"x-{n}"  # n = 3 repeats a stored report
        try:
            submit_report(loaded, report(source_id, source="us", lon=36 + n / 10), author="us")
        except ConflictError:
            return "refused"
        return "filed"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(write, range(8)))
    assert outcomes.count("refused") == 1 and outcomes.count("filed") == 7
    assert count(loaded, t.reports) == 2 + 7
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_a_write_inside_a_write_is_refused_rather_than_waiting_for_itself(
    loaded: Ledger,
) -> None:
    with pytest.raises(NestedWriteError), loaded.write("us"):
        submit_report(loaded, report("inner", source="us", day=date(2016, 3, 5)), author="us")
    assert count(loaded, t.reports) == 2


def test_a_regime_made_in_a_group_classifies_the_next_write_of_the_same_group(
    loaded: Ledger,
) -> None:
    truce = Regime(
        id="local-truce",
        agreement_id="syria",
        name="Local truce",
        geometry=box(36.2, 33.4, 36.4, 33.6),
        start=datetime(2016, 3, 1, tzinfo=UTC),
        end=datetime(2016, 3, 10, tzinfo=UTC),
        time_zone="UTC",
    )
    filed: list[StoredReport] = []
    later = threading.Thread(
        target=lambda: filed.append(submit_report(loaded, report("in-truce", source="us")))
    )
    with loaded.write() as writer:
        writer.rules()  # the group reads the rules' version before the regime exists
        agreement_store.save_regime(writer.conn, truce)
        writer.changed("regime.created", REGIME, [(truce.id,)], new=True)
        later.start()
        for _ in range(500):  # until the report's write has joined this group
            group = loaded._committer._group
            if group is not None and group.joined == 2:
                break
            time.sleep(0.01)
        else:
            raise AssertionError("the second write did not join the group")
    later.join()
    with loaded.db.read() as conn:
        regimes = conn.execute(
            select(t.incident_regimes.c.regime_id).where(
                t.incident_regimes.c.incident_id == filed[0].incident_id
            )
        ).scalars()
        assert "local-truce" in set(regimes)


def _synchronous(ledger: Ledger, conn: Connection) -> str:
    """How this transaction's commit waits for the disk, as the database itself says
    (asked on the driver's connection, past any statement deferred: store.bulk)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    if ledger.db.is_sqlite:
        level = driver.execute("PRAGMA synchronous").fetchone()[0]
        return {1: "normal", 2: "full"}[int(level)]
    return str(driver.execute("SHOW synchronous_commit").fetchone()[0])


def test_an_import_commits_its_chunks_unsynced_and_signs_one_checkpoint_at_its_end(
    loaded: Ledger,
) -> None:
    """A chunk's commit does not wait for the disk, so no checkpoint may cover it until one
    that does: the chunks sign none, the import's end signs one (durably) for all."""
    seen: list[str] = []
    stored = event_of_writes(loaded, seen)
    checkpoints_before = count(loaded, t.ledger_checkpoints)
    rows = [ParsedRow(i + 1, report(f"g{i}", source="ged", lon=36 + i / 100)) for i in range(4)]
    summary = import_events(
        loaded, rows, on_error=lambda e: pytest.fail(str(e)), chunks=Chunks(1, 1, 1, 1)
    )
    assert summary.imported == 4 and stored() == 4
    assert seen == ["off" if not loaded.db.is_sqlite else "normal"] * 4
    assert count(loaded, t.ledger_checkpoints) == checkpoints_before + 1
    with loaded.db.read() as conn:
        size = conn.execute(select(func.count()).select_from(t.ledger_entries)).scalar_one()
        newest = conn.execute(select(func.max(t.ledger_checkpoints.c.size))).scalar_one()
    assert newest == size  # the last one covers every chunk
    # and a write afterwards waits for the disk again, on the same pooled connections
    seen.clear()
    submit_report(loaded, report("after", source="us"), author="us")
    assert seen == ["on" if not loaded.db.is_sqlite else "full"]


def test_a_write_that_waits_for_the_disk_never_joins_an_unsynced_group(loaded: Ledger) -> None:
    inside, release = threading.Event(), threading.Event()
    found: dict[str, bool] = {}

    def bulk() -> None:
        with loaded.db.unsynced(), loaded.write() as writer:
            found["bulk"] = loaded.db.is_unsynced(writer.conn)
            inside.set()
            release.wait(10)

    def durable() -> None:
        inside.wait(10)
        with loaded.write("us") as writer:
            found["durable"] = loaded.db.is_unsynced(writer.conn)

    first, second = threading.Thread(target=bulk), threading.Thread(target=durable)
    first.start()
    second.start()
    time.sleep(0.3)  # the durable write has asked to join while the unsynced group is open
    release.set()
    first.join(10)
    second.join(10)
    assert found == {"bulk": True, "durable": False}


def event_of_writes(ledger: Ledger, seen: list[str]) -> Callable[[], int]:
    """Note, for every write group from now on that appends to the log, its synchronous
    level just before it commits (as the group's last step, its checkpoint, sees it);
    returns a counter of the reports stored."""
    committer = ledger._committer
    signs = committer._on_commit

    def before_commit(group: Group) -> None:
        if group.appended:
            seen.append(_synchronous(ledger, group.conn))
        signs(group)

    committer._on_commit = before_commit
    return lambda: count(ledger, t.reports) - 2  # the fixture's two reports


def test_a_write_that_fails_in_the_database_mid_group_leaves_the_others_of_its_group(
    loaded: Ledger,
) -> None:
    """Its savepoint is rolled back (on PostgreSQL, out of the failed transaction too);
    the writes before and after it in the same group are committed."""
    after = threading.Thread(
        target=submit_report,
        args=(loaded, report("us-after", source="us")),
        kwargs={"author": "us"},
    )
    failed: list[Exception] = []

    def repeat_a_party() -> None:  # the group's second write, which the database refuses
        try:
            with loaded.write("us") as writer:
                after.start()
                joined(loaded, 3)
                writer.conn.execute(t.parties.insert().values(id="us", name="again", kind="x"))
        except DBAPIError as error:
            failed.append(error)

    failing = threading.Thread(target=repeat_a_party)
    with loaded.write("us") as first:
        file_report(first, report("us-before", source="us"))
        failing.start()
        joined(loaded, 2)
    failing.join()
    after.join()
    assert len(failed) == 1
    with loaded.db.read() as conn:
        filed = set(conn.execute(select(t.reports.c.source_id)).scalars())
    assert {"us-before", "us-after"} <= filed
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_a_groups_first_write_that_fails_rolls_back_to_the_savepoint_made_with_the_lock(
    loaded: Ledger,
) -> None:
    """A group that follows the one before takes the log's lock and its first savepoint
    in one go (on PostgreSQL, one round trip); its first member, refused by the database,
    is rolled back to it alone, and the next write commits. A savepoint taken after a
    member ran without one (a checkpoint) is a new one, so that member is kept."""
    submit_report(loaded, report("first", source="us"), author="us")  # a group to follow

    def refused() -> None:
        with loaded.write("us") as writer:
            writer.conn.execute(t.parties.insert().values(id="us", name="again", kind="x"))

    with pytest.raises(DBAPIError):
        refused()
    assert loaded._committer._committed is not None
    assert loaded._committer._committed.premade is False  # taken by the refused write
    submit_report(loaded, report("next", source="us"), author="us")
    assert verify_database(loaded.db, origin=ORIGIN).problems == []
    again = t.parties.insert().values(id="kept", name="again", kind="x")
    with loaded._committer.member() as group:  # a member with no savepoint of its own
        assert group.premade and group.bodies == 1
        group.conn.execute(t.parties.insert().values(id="kept", name="Kept", kind="x"))
        group.bodies += 1  # the next member's body begins, in the same group
        savepoint = group.savepoint()
        assert savepoint.name == "write_2"  # not the one made before the first member ran
        with pytest.raises(DBAPIError):
            group.conn.execute(again)
        group.roll_back_to(savepoint)
    with loaded.db.read() as conn:
        filed = set(conn.execute(select(t.reports.c.source_id)).scalars())
        kept = conn.execute(select(t.parties.c.name).where(t.parties.c.id == "kept")).scalar()
    assert {"first", "next"} <= filed and kept == "Kept"  # (a party no entry signed: a test's)


def test_a_group_whose_commit_fails_leaves_nothing_it_read_of_its_authors_to_the_next(
    loaded: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group carries over the authors' facts the last committed group read (one object);
    if its own commit fails, what its members read or changed since is forgotten with it."""
    submit_report(loaded, report("a", source="us"), author="us")
    last = loaded._committer._committed
    assert last is not None and last.authors._keys  # it read the keys it signed with

    def full_disk(group: object) -> None:
        raise RuntimeError("no space left on device")

    monkeypatch.setattr(loaded._committer, "_on_commit", full_disk)
    with pytest.raises(RuntimeError):
        submit_report(loaded, report("b", source="us"), author="us")
    assert loaded._committer._committed is last
    assert not last.authors._keys
