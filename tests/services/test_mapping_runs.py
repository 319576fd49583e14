"""A name mapping's run: the stored reports giving the name resolved again apart from the
request that mapped it, taken up by whoever holds the runs' lock, resumable when stopped."""

from __future__ import annotations

import threading

import pytest

from builders import report, scenario
from ceasefire.services.actors import map_name, record_mapping
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.mapping_runs import (
    LOCK,
    MappingRunner,
    Stopped,
    run_mapping,
    run_of,
    run_unfinished,
)
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import mentions as mention_store

NAME = "Jaysh al-Fatah"
ORIGIN = "ceasefire.localhost/ledger"


def _resolved(ledger: Ledger) -> list[str | None]:
    with ledger.db.read() as conn:
        stored = mention_store.mentions_page(conn, after_id=None, limit=100)
    return [s.actors[0].actor_id for s in stored]


@pytest.fixture
def filed(ledger: Ledger) -> Ledger:
    load_scenario(ledger, scenario())
    for n in range(4):  # a degree apart: four incidents
        submit_report(ledger, report(str(n), lon=36.0 + n, actors=(NAME,)), author="ru")
    return ledger


def test_a_recorded_mapping_waits_for_its_run_which_resolves_its_reports(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")

    waiting = run_of(filed, mapping_id)
    assert waiting is not None and waiting.finished is None and waiting.total is None
    assert _resolved(filed) == [None] * 4
    assert run_unfinished(filed) is True

    run = run_of(filed, mapping_id)
    assert run is not None and run.finished is not None
    assert (run.done, run.total, run.changed, run.author) == (4, 4, 4, "ru")
    assert _resolved(filed) == ["nusra"] * 4
    assert verify_database(filed.db, origin=ORIGIN).problems == []


def test_no_run_is_taken_up_while_another_process_runs_them(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    with filed.db.exclusive(LOCK) as mine:
        assert mine
        assert run_unfinished(filed) is False
    run = run_of(filed, mapping_id)
    assert run is not None and run.finished is None
    assert _resolved(filed) == [None] * 4


def test_a_stopped_run_ends_after_a_write_and_is_taken_up_again(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    stop = threading.Event()
    stop.set()  # the server is stopping: the run ends after its first write

    with pytest.raises(Stopped):
        run_mapping(filed, mapping_id, stop=stop)
    stopped = run_of(filed, mapping_id)
    assert stopped is not None and stopped.finished is None
    assert (stopped.done, stopped.total) == (4, 4)  # the write it made is kept, and counted
    assert _resolved(filed) == ["nusra"] * 4
    assert verify_database(filed.db, origin=ORIGIN).problems == []

    assert run_unfinished(filed) is True
    run = run_of(filed, mapping_id)
    assert run is not None and run.finished is not None
    assert (run.done, run.total, run.changed) == (4, 4, None)  # the part before: not counted


def test_map_name_runs_the_run_itself_and_says_what_changed(filed: Ledger) -> None:
    mapped = map_name(filed, NAME, "nusra", author="us")
    assert mapped.changed == 4
    run = run_of(filed, mapped.mapping_id)
    assert run is not None and run.finished is not None and run.total == 4


def test_a_servers_runner_takes_up_a_run_when_woken(filed: Ledger) -> None:
    mapping_id = record_mapping(filed, NAME, "nusra", author="ru")
    runner = MappingRunner(filed, interval=60)
    runner.start()
    try:
        runner.wake()
        for _ in range(200):
            run = run_of(filed, mapping_id)
            if run is not None and run.finished is not None:
                break
            threading.Event().wait(0.05)
    finally:
        runner.stop()
    assert _resolved(filed) == ["nusra"] * 4
