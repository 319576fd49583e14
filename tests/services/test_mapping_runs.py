"""A name mapping's run: the stored reports giving the name resolved again apart from the
request that mapped it, taken up by whoever holds the runs' lock, resumable when stopped."""

from __future__ import annotations

import threading
import time

import pytest

from builders import report, scenario
from ceasefire.services.actors import map_name, record_mapping
from ceasefire.services.imports import Chunks
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.mapping_runs import (
    LOCK,
    MappingRunner,
    Stopped,
    progress_of,
    run_mapping,
    run_unfinished,
)
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import mapping_runs as run_store
from ceasefire.store import mentions as mention_store
from ceasefire.store.mapping_runs import MappingRun

NAME = "Jaysh al-Fatah"
ORIGIN = "ceasefire.localhost/ledger"
ONE_A_TURN = Chunks(first=1, least=1, most=1)


def _resolved(ledger: Ledger) -> list[str | None]:
    with ledger.db.read() as conn:
        stored = mention_store.mentions_page(conn, after_id=None, limit=100)
    return [s.actors[0].actor_id for s in stored]


def _run(ledger: Ledger, mapping_id: int) -> MappingRun:
    with ledger.db.read() as conn:
        found = run_store.run_of(conn, mapping_id)
    assert found is not None
    return found


@pytest.fixture
def filed(ledger: Ledger) -> Ledger:
    load_scenario(ledger, scenario())
    for n in range(4):  # a degree apart: four incidents
        submit_report(ledger, report(str(n), lon=36.0 + n, actors=(NAME,)), author="ru")
    return ledger


def test_a_recorded_mapping_waits_for_its_run_which_resolves_its_reports(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")

    waiting = _run(filed, mapping_id)
    assert waiting.finished is None and waiting.total is None and waiting.attempts == 0
    assert _resolved(filed) == [None] * 4
    assert run_unfinished(filed) is True

    run = _run(filed, mapping_id)
    assert run.finished is not None
    assert (run.done, run.total, run.changed, run.author, run.attempts) == (4, 4, 4, "ru", 1)
    assert _resolved(filed) == ["nusra"] * 4
    assert verify_database(filed.db, origin=ORIGIN).problems == []


def test_no_run_is_taken_up_while_another_process_runs_them(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    with filed.db.exclusive(LOCK) as mine:
        assert mine
        assert run_unfinished(filed) is False
    assert _run(filed, mapping_id).finished is None
    assert _resolved(filed) == [None] * 4


def test_a_stopped_run_ends_after_a_write_and_is_taken_up_where_it_stopped(
    filed: Ledger,
) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    stop = threading.Event()
    stop.set()  # the server is stopping: the run ends after its first write

    with pytest.raises(Stopped):
        run_mapping(filed, mapping_id, stop=stop, chunks=ONE_A_TURN)
    stopped = _run(filed, mapping_id)
    assert stopped.finished is None and (stopped.done, stopped.total) == (1, 4)
    assert _resolved(filed) == ["nusra", None, None, None]  # the write it made is kept
    assert verify_database(filed.db, origin=ORIGIN).problems == []

    seen: list[tuple[int, int]] = []
    run_mapping(filed, mapping_id, progress=lambda d, t: seen.append((d, t)), chunks=ONE_A_TURN)
    run = _run(filed, mapping_id)
    assert run.finished is not None and _resolved(filed) == ["nusra"] * 4
    assert seen == [(2, 4), (3, 4), (4, 4)]  # counted on from where it stopped
    assert (run.done, run.total, run.attempts) == (4, 4, 2)
    assert run.changed is None  # what the first part changed was not kept: not counted
    assert map_name(filed, NAME, "nusra", author="ru").changed == 0  # nothing left to change


def test_a_stop_after_the_last_write_lets_the_run_finish(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    stop = threading.Event()
    stop.set()
    assert run_mapping(filed, mapping_id, stop=stop) == 4  # one write held all four
    assert _run(filed, mapping_id).finished is not None


def test_a_failing_run_is_noted_and_the_runs_after_it_go_on(
    filed: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = record_mapping(filed, "Liwa Sirri", "saa", author="ru")
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    real = run_mapping

    def broken(ledger: Ledger, wanted: int, **options: object) -> int | None:
        if wanted == failing:
            raise RuntimeError("a run that always fails")
        return real(ledger, wanted, **options)  # type: ignore[arg-type]

    monkeypatch.setattr("ceasefire.services.mapping_runs.run_mapping", broken)
    assert run_unfinished(filed) is True
    assert _run(filed, failing).finished is None and _run(filed, failing).failures == 1
    assert _run(filed, mapping_id).finished is not None
    found = progress_of(filed, failing, "ru")
    assert found is not None and found.failures == 1 and found.finished is None


def test_a_party_is_told_no_count_of_reports_and_only_its_own_changes(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    before = progress_of(filed, mapping_id, "ru")
    assert before is not None and before.fraction is None and before.finished is None
    run_unfinished(filed)
    mine, theirs = progress_of(filed, mapping_id, "ru"), progress_of(filed, mapping_id, "us")
    assert mine is not None and theirs is not None
    assert (mine.fraction, mine.changed) == (1.0, 4)
    assert (theirs.fraction, theirs.changed) == (1.0, None)
    assert progress_of(filed, 999_999, "ru") is None


def test_map_name_runs_only_its_own_run_and_says_what_changed(filed: Ledger) -> None:
    other = record_mapping(filed, "Liwa Sirri", "saa", author="ru")
    mapped = map_name(filed, NAME, "nusra", author="us")
    assert mapped.changed == 4
    assert _run(filed, mapped.mapping_id).finished is not None
    assert _run(filed, other).finished is None  # left to the server's runner


def test_a_servers_runner_takes_up_a_run_at_once_when_woken(filed: Ledger) -> None:
    runner = MappingRunner(filed, interval=60)
    runner.start()
    try:
        time.sleep(1)  # its first pass found nothing: now it waits, a minute at most
        mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
        runner.wake()
        deadline = time.monotonic() + 5
        while _run(filed, mapping_id).finished is None:
            assert time.monotonic() < deadline, "the runner did not wake"
            time.sleep(0.05)
    finally:
        runner.stop()
    assert _resolved(filed) == ["nusra"] * 4


def test_a_run_failing_before_its_first_write_has_not_found_its_reports_yet(
    filed: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")

    def unreadable(*args: object, **options: object) -> object:
        raise RuntimeError("the database went away while the reports were read")

    monkeypatch.setattr("ceasefire.services.mapping_runs.resolve_actors_again", unreadable)
    with pytest.raises(RuntimeError):
        run_mapping(filed, mapping_id)
    failed = _run(filed, mapping_id)
    assert (failed.total, failed.done, failed.finished) == (None, 0, None)
    found = progress_of(filed, mapping_id, "ru")
    assert found is not None and found.fraction is None  # not "100% done"
