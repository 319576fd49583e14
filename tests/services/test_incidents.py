from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError

from builders import report, scenario
from ceasefire.domain.classification import Classification
from ceasefire.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ceasefire.domain.events import Report
from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.precision import LocationPrecision
from ceasefire.ingest.rows import ParsedRow
from ceasefire.services import incidents as incident_service
from ceasefire.services import queries
from ceasefire.services.imports import Chunks, ImportSummary, import_events
from ceasefire.services.incidents import file_report, submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.merges import merge_incidents, split_incident
from ceasefire.services.regimes import add_regime
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.verification import verify_database
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.records import REPORT
from ceasefire.store.reports import StoredReport
from conftest import LEDGER_SECRET, SEAL_COST
from groups import joined

ORIGIN = "ceasefire.localhost/ledger"


@pytest.fixture
def loaded(ledger: Ledger) -> Ledger:
    load_scenario(ledger, scenario())
    return ledger


def test_submitted_report_becomes_a_classified_incident(loaded: Ledger) -> None:
    stored = submit_report(loaded, report("r1"))
    incident, reports = queries.get_incident(loaded.db, stored.incident_id, EVERYTHING)
    assert [r.report.source_id for r in reports] == ["r1"]
    assert incident.classification is Classification.POTENTIAL_VIOLATION
    assert incident.regime_ids == ("coh",)


def test_actor_named_by_an_alias_in_another_script_is_resolved_and_excluded(
    loaded: Ledger,
) -> None:
    stored = submit_report(loaded, report("r1", actors=("جبهة النصرة",)))
    assert stored.report.actors[0].actor_id == "nusra"
    incident, _ = queries.get_incident(loaded.db, stored.incident_id, EVERYTHING)
    assert incident.classification is Classification.EXCLUDED_ACTOR


def test_second_source_nearby_joins_the_incident_and_same_source_does_not(loaded: Ledger) -> None:
    first = submit_report(loaded, report("a1", source="us-report"))
    other = submit_report(loaded, report("b1", source="ru-report", lon=36.30))
    same = submit_report(loaded, report("a2", source="us-report", lon=36.30))
    assert other.incident_id == first.incident_id
    assert same.incident_id != first.incident_id
    incident, reports = queries.get_incident(loaded.db, first.incident_id, EVERYTHING)
    assert incident.report_count == 2
    assert {r.report.source for r in reports} == {"us-report", "ru-report"}


def test_same_report_twice_is_a_conflict(loaded: Ledger) -> None:
    submit_report(loaded, report("r1"))
    with pytest.raises(ConflictError, match="field/r1 exists already"):
        submit_report(loaded, report("r1"))


def test_governorate_precision_uses_the_governorate_boundary(loaded: Ledger) -> None:
    inside = submit_report(
        loaded, report("g1", lon=37.5, lat=34.6, precision=LocationPrecision.ADM1, admin1="Hims")
    )
    incident, _ = queries.get_incident(loaded.db, inside.incident_id, EVERYTHING)
    assert incident.classification is Classification.POTENTIAL_VIOLATION  # Homs lies inside Syria


def test_merge_keeps_every_report_and_split_gives_them_back(loaded: Ledger) -> None:
    a = submit_report(loaded, report("a", source="s1"))
    b = submit_report(loaded, report("b", source="s1", day=date(2016, 2, 26)))
    merged = merge_incidents(loaded, [b.incident_id, a.incident_id]).incident
    assert merged.id == min(a.incident_id, b.incident_id)
    assert merged.report_count == 2
    # The merged incident takes the finest time; both are day-precise, so the earlier day,
    # the day before the cessation began.
    assert merged.classification is Classification.OUTSIDE_REGIME
    kept, new = split_incident(loaded, merged.id, [a.id])
    assert kept.report_count == 1 and new.report_count == 1
    assert new.classification is Classification.POTENTIAL_VIOLATION
    assert len(queries.list_incidents(loaded.db, IncidentFilter(), EVERYTHING)) == 2


def test_merge_and_split_reject_what_makes_no_sense(loaded: Ledger) -> None:
    a = submit_report(loaded, report("a"))
    with pytest.raises(InvalidInputError, match="at least two"):
        merge_incidents(loaded, [a.incident_id, a.incident_id])
    with pytest.raises(NotFoundError, match="incident 999 does not exist"):
        merge_incidents(loaded, [a.incident_id, 999])
    with pytest.raises(InvalidInputError, match="leave incident"):
        split_incident(loaded, a.incident_id, [a.id])
    with pytest.raises(InvalidInputError, match="report 12345 is not part"):
        split_incident(loaded, a.incident_id, [12345])


def test_loading_the_same_scenario_twice_changes_nothing(loaded: Ledger) -> None:
    summary = load_scenario(loaded, scenario())
    assert not summary.changed
    assert len(queries.list_regimes(loaded.db)) == 1


def test_a_scenario_loaded_after_the_reports_resolves_their_actors(ledger: Ledger) -> None:
    stored = submit_report(ledger, report("early", actors=("Al-Nusrah Front",)))
    assert stored.report.actors[0].actor_id is None  # no actors known yet
    load_scenario(ledger, scenario())
    incident, reports = queries.get_incident(ledger.db, stored.incident_id, EVERYTHING)
    assert reports[0].report.actors[0].actor_id == "nusra"
    assert incident.actor_ids == ("nusra",)
    assert incident.classification is Classification.EXCLUDED_ACTOR


def test_merged_reports_that_disagree_on_the_actor_stay_a_disputed_potential_violation(
    loaded: Ledger,
) -> None:
    ours = submit_report(loaded, report("u1", source="us-centre", actors=("Syrian Arab Army",)))
    theirs = submit_report(loaded, report("r1", source="ru-centre", actors=("Al-Nusrah Front",)))
    alone, _ = queries.get_incident(loaded.db, theirs.incident_id, EVERYTHING)
    assert alone.classification is Classification.EXCLUDED_ACTOR  # one claim, unopposed
    merged = merge_incidents(loaded, [ours.incident_id, theirs.incident_id]).incident
    incident, _ = queries.get_incident(loaded.db, merged.id, EVERYTHING)
    assert incident.classification is Classification.POTENTIAL_VIOLATION
    assert incident.attribution_disputed
    assert incident.reasons[0].endswith(
        "attribution disputed, each source's claim of who was involved: "
        "ru-centre: Jabhat al-Nusra; us-centre: Syrian Arab Army"
    )


def test_an_agreement_that_prohibits_only_battles_does_not_cover_an_attack(
    ledger: Ledger,
) -> None:
    base = scenario()
    battles_only = replace(base.agreements[0], hostilities=("Battles",))
    load_scenario(ledger, replace(base, agreements=(battles_only,)))
    attack = submit_report(ledger, report("a1", event_type="Violence against civilians"))
    battle = submit_report(ledger, report("b1", event_type="Battles", lon=38.0, lat=35.0))
    for stored, expected in (
        (attack, Classification.NOT_COVERED),
        (battle, Classification.POTENTIAL_VIOLATION),
    ):
        incident, _ = queries.get_incident(ledger.db, stored.incident_id, EVERYTHING)
        assert incident.classification is expected
    incident, _ = queries.get_incident(ledger.db, attack.incident_id, EVERYTHING)
    assert "(its agreement prohibits Battles)" in incident.reasons[0]


def test_a_regime_that_no_longer_excludes_the_actor_ends_the_dispute(loaded: Ledger) -> None:
    ours = submit_report(loaded, report("u1", source="us-centre", actors=("Syrian Arab Army",)))
    theirs = submit_report(loaded, report("r1", source="ru-centre", actors=("Al-Nusrah Front",)))
    merged = merge_incidents(loaded, [ours.incident_id, theirs.incident_id]).incident
    assert queries.get_incident(loaded.db, merged.id, EVERYTHING)[0].attribution_disputed
    base = scenario()
    covering_all = replace(base.regimes[0], excluded_actor_ids=frozenset())
    load_scenario(loaded, replace(base, regimes=(covering_all,)), force=True)
    incident, _ = queries.get_incident(loaded.db, merged.id, EVERYTHING)
    assert incident.classification is Classification.POTENTIAL_VIOLATION
    assert not incident.attribution_disputed
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def _window_reads(ledger: Ledger, rows: list[Report]) -> tuple[list[str], ImportSummary]:
    """The statements an import of these reports runs that read the stored incidents near
    them (the R*Tree on SQLite, the envelope on PostgreSQL), and what it imported."""
    reads: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "incidents_rtree" in statement or "ST_MakeEnvelope" in statement:
            reads.append(statement)

    event.listen(ledger.db.engine, "before_cursor_execute", seen)
    try:
        parsed = [ParsedRow(i + 1, r) for i, r in enumerate(rows)]
        summary = import_events(ledger, parsed, on_error=lambda e: pytest.fail(str(e)))
    finally:
        event.remove(ledger.db.engine, "before_cursor_execute", seen)
    return reads, summary


def test_an_import_into_a_database_of_its_own_source_alone_reads_no_window(
    loaded: Ledger,
) -> None:
    first, summary = _window_reads(loaded, [report("a1", source="ged"), report("a2", source="ged")])
    assert first == [] and summary.incidents_created == 2
    again, summary = _window_reads(
        loaded, [report("a3", source="ged", lon=36.30), report("a4", source="ged", lon=36.31)]
    )
    assert again == [] and summary.joined_incidents == 0  # a source never joins itself
    # another source's reports may join those incidents: the window is read, and they join
    other, summary = _window_reads(
        loaded, [report("b1", source="acled"), report("b2", source="acled", lon=36.30)]
    )
    assert other != [] and summary.joined_incidents == 2


def test_an_import_classifies_against_a_regime_added_while_it_runs(loaded: Ledger) -> None:
    """A regime agreed while a long import runs covers the reports the import stores
    after it, not only the incidents stored before it (which the new regime reclassifies)."""
    later = replace(scenario().regimes[0], id="aleppo", name="Aleppo truce")
    added: list[str] = []

    def after_chunk(summary: ImportSummary) -> None:
        if summary.imported == 1 and not added:
            add_regime(loaded, later)
            added.append(later.id)

    rows = [ParsedRow(i + 1, report(f"g{i}", source="ged")) for i in range(3)]
    summary = import_events(
        loaded,
        rows,
        on_error=lambda e: pytest.fail(str(e)),
        chunks=Chunks(first=1, least=1, most=1),
        on_batch=after_chunk,
    )
    assert summary.imported == 3 and added == ["aleppo"]
    found = queries.list_incidents(loaded.db, IncidentFilter(), EVERYTHING)
    assert len(found) == 3
    assert all(set(i.regime_ids) == {"coh", "aleppo"} for i in found), [i.regime_ids for i in found]


def test_a_report_filed_after_another_process_changed_the_rules_is_classified_under_them(
    loaded: Ledger,
) -> None:
    """A server works out a filed report's classification before the log's lock, under the
    rules it last read; a regime another process agreed since counts all the same."""
    submit_report(loaded, report("before"))  # this process has read the rules
    other = Ledger(loaded.db, secret=LEDGER_SECRET, seal_cost=SEAL_COST)
    add_regime(other, replace(scenario().regimes[0], id="aleppo", name="Aleppo truce"))
    assert loaded.rules_as_read() is not None
    stored = submit_report(loaded, report("after", lon=36.40))
    incident, _ = queries.get_incident(loaded.db, stored.incident_id, EVERYTHING)
    assert set(incident.regime_ids) == {"coh", "aleppo"}
    # and where the rules have not changed, the classification worked out first is the one
    same = submit_report(loaded, report("same", lon=36.50))
    incident, _ = queries.get_incident(loaded.db, same.incident_id, EVERYTHING)
    assert set(incident.regime_ids) == {"coh", "aleppo"}
    assert incident.classification is Classification.POTENTIAL_VIOLATION


# --- reports that wait for the log together are filed together --------------------------


def _file_while_the_group_is_held(
    ledger: Ledger, reports: list[tuple[Report, str]]
) -> list[StoredReport | Exception]:
    """File these reports (each with its author) from threads that all wait in one write
    group, in this order, behind a write that holds the group until they all wait."""
    outcomes: list[StoredReport | Exception] = [ValueError("not filed")] * len(reports)

    def file(n: int) -> None:
        filed, author = reports[n]
        try:
            outcomes[n] = submit_report(ledger, filed, author=author)
        except Exception as error:
            outcomes[n] = error

    threads = [threading.Thread(target=file, args=(n,)) for n in range(len(reports))]
    with ledger.write():
        group = joined(ledger, 1)
        for n, thread in enumerate(threads):
            thread.start()
            for _ in range(1000):
                if len(group.waiting) == n + 1:
                    break
                time.sleep(0.005)
            else:
                raise AssertionError(f"report {n} did not wait in the group")
    for thread in threads:
        thread.join()
    return outcomes


def _filed(db: Database) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with db.read() as conn:
        reports = conn.execute(
            select(t.reports.c.id, t.reports.c.source_id, t.reports.c.incident_id).order_by(
                t.reports.c.id
            )
        ).all()
        entries = conn.execute(
            select(
                t.ledger_entries.c.sequence,
                t.ledger_entries.c.kind,
                t.ledger_entries.c.record,
                t.ledger_entries.c.author_party,
            ).order_by(t.ledger_entries.c.sequence)
        ).all()
    # each database's keys are its own: a key's record is named by its party alone
    return [tuple(r) for r in reports], [(q, k, r.split("/")[0], a) for q, k, r, a in entries]


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many reports each batch filed together held, in order."""
    held: list[int] = []
    real = incident_service.store_reports

    def counted(*args: Any, **kwargs: Any) -> Any:
        held.append(len(args[2]))
        return real(*args, **kwargs)

    monkeypatch.setattr(incident_service, "store_reports", counted)
    return held


def test_reports_waiting_in_one_group_are_filed_together_as_each_would_be_alone(
    loaded: Ledger, tmp_path: Path, batches: list[int]
) -> None:
    """One correlation and insert for the batch; each entry signed by its own party; the
    ids, incidents and entries those of the same reports filed one at a time."""
    reports = [
        (report("us-1", source="us-report"), "us"),  # us's first write: its key first
        (report("ru-1", source="ru-report", lon=36.30), "ru"),  # joins us-1's incident
        (report("us-2", source="us-report", lon=36.9), "us"),
        (report("ru-2", source="ru-report", lon=37.5, actors=("Jabhat al-Nusra",)), "ru"),
    ]
    outcomes = _file_while_the_group_is_held(loaded, reports)
    assert batches == [4]
    stored = [o for o in outcomes if isinstance(o, StoredReport)]
    assert len(stored) == 4
    assert stored[1].incident_id == stored[0].incident_id
    assert stored[3].report.actors[0].actor_id == "nusra"
    assert verify_database(loaded.db, origin=ORIGIN).problems == []

    alone = Ledger(Database(f"sqlite:///{tmp_path / 'alone.sqlite'}"), secret=LEDGER_SECRET,
                   seal_cost=SEAL_COST)  # fmt: skip
    alone.db.migrate()
    load_scenario(alone, scenario())
    with alone.write():
        pass  # as the held write above: no entry
    one_by_one = []  # each its own write, as a write that does more files one
    for filed, author in reports:
        with alone.write(author) as writer:
            one = file_report(writer, filed)
        one_by_one.append(replace(one, ledger_index=writer.indexes[REPORT.record([one.id])]))
    assert [(s.id, s.incident_id, s.ledger_index) for s in stored] == [
        (s.id, s.incident_id, s.ledger_index) for s in one_by_one
    ]
    assert _filed(loaded.db) == _filed(alone.db)


def test_a_report_refused_in_a_batch_fails_alone(loaded: Ledger) -> None:
    submit_report(loaded, report("stored", source="us-report"), author="us")
    outcomes = _file_while_the_group_is_held(
        loaded,
        [
            (report("stored", source="us-report"), "us"),  # filed already
            (report("new-1", source="us-report", lon=36.5), "us"),
            (report("twice", source="us-report", lon=36.7), "us"),
            (report("twice", source="us-report", lon=36.8), "us"),  # the one before has it
            (report("nobody", source="us-report", lon=36.9), "no-such-party"),
            (report("new-2", source="us-report", lon=37.0), "ru"),
        ],
    )
    kinds = [type(o).__name__ for o in outcomes]
    assert kinds == [
        "ConflictError", "StoredReport", "StoredReport", "ConflictError",
        "InvalidInputError", "StoredReport",
    ]  # fmt: skip
    assert "twice" in str(outcomes[3]) and "no-such-party" in str(outcomes[4])
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_a_batch_the_database_refuses_is_filed_again_one_by_one(
    loaded: Ledger, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the report at fault fails; the others of its batch are filed, and the log says
    what happened."""
    real = report_store.report_row

    def refused(report: Report, incident_id: int) -> dict[str, Any]:
        row = real(report, incident_id)
        if report.source_id == "refused":
            row["source"] = None  # NOT NULL: the database refuses the insert
        return row

    monkeypatch.setattr(report_store, "report_row", refused)
    outcomes = _file_while_the_group_is_held(
        loaded,
        [
            (report("before", source="us-report"), "us"),
            (report("refused", source="us-report", lon=36.5), "us"),
            (report("after", source="ru-report", lon=36.9), "ru"),
        ],
    )
    assert isinstance(outcomes[0], StoredReport) and isinstance(outcomes[2], StoredReport)
    assert isinstance(outcomes[1], DBAPIError)
    assert "3 reports filed together were refused (IntegrityError" in caplog.text
    with loaded.db.read() as conn:
        filed = set(conn.execute(select(t.reports.c.source_id)).scalars())
    assert filed == {"before", "after"}
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_reports_that_wait_while_their_group_opens_are_filed_with_the_opener(
    loaded: Ledger, batches: list[int]
) -> None:
    """The write that opens a group waits for the log's lock (here another process's
    write holds it); reports that come meanwhile are filed in its batch, not after it."""
    other = Ledger(loaded.db, secret=LEDGER_SECRET, seal_cost=SEAL_COST)
    committer = loaded._committer
    threads = [
        threading.Thread(
            target=submit_report,
            args=(loaded, report(f"r{n}", source="us-report", lon=36 + n / 10)),
            kwargs={"author": "us"},
        )
        for n in range(3)
    ]
    with other.write():  # holds the log's lock
        threads[0].start()
        _wait_until(lambda: committer._opening is not None)
        for thread in threads[1:]:
            thread.start()
        _wait_until(lambda: len(committer._early) == 2)
    for thread in threads:
        thread.join()
    assert batches == [3]
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def _wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError("waited 5 s in vain")


def test_a_report_is_classified_before_the_lock_only_while_no_group_is_being_filled(
    loaded: Ledger,
) -> None:
    """Alone, a report's classification is worked out before its write takes the log's
    lock; while this process's writes are being grouped it is left to the group, which
    classifies its reports together."""
    submit_report(loaded, report("first", source="us-report"))  # the rules are read
    filed = report("presumed", source="us-report")
    assert incident_service.Presumed.of(loaded, filed) is not None
    with loaded.write():  # a group of this process is open
        assert loaded.busy()
        assert incident_service.Presumed.of(loaded, filed) is None
    assert not loaded.busy()
    assert incident_service.Presumed.of(loaded, filed) is not None
