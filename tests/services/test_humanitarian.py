"""Humanitarian access: locations, requests, decisions and deliveries, each signed in the
ledger; bad input named and nothing written; the PeaceRep corridor file imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from builders import scenario
from ceasefire.domain.errors import ConflictError, InvalidInputError
from ceasefire.domain.humanitarian import (
    Decision,
    Delivery,
    Location,
    LocationStatus,
    Request,
    RequestKind,
    StatusChange,
)
from ceasefire.ingest.corridors import read_corridors
from ceasefire.services import humanitarian as service
from ceasefire.services.humanitarian_imports import import_corridors
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from conftest import SHARED_DATA

SAMPLE = Path(__file__).parents[1] / "ingest" / "fixtures" / "peacerep_corridors_sample.csv"
PEACEREP = SHARED_DATA / "agreements" / "peacerep_humanitarian_corridors_ukraine_2022.csv"
ORIGIN = "ceasefire.localhost/ledger"


def _madaya(ledger: Ledger) -> Location:
    load_scenario(ledger, scenario())
    return service.add_location(
        ledger,
        Location(
            "madaya",
            "Madaya",
            36.1,
            33.69,
            agreement_id="syria",
            statuses=(StatusChange(LocationStatus.BESIEGED, date(2015, 7, 1), "OCHA"),),
        ),
        author="us",
    )


def _request(**changes: object) -> Request:
    values: dict[str, object] = {
        "id": 0,
        "location_id": "madaya",
        "kind": RequestKind.CONVOY,
        "requested_by": "OCHA",
        "requested": date(2016, 1, 5),
        "people": 40_000,
        "trucks": 44,
    }
    values.update(changes)
    return Request(**values)  # type: ignore[arg-type]


def _count(db: Database, table: t.Table) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _entries(db: Database) -> list[tuple[str, str, str]]:
    e = t.ledger_entries
    with db.read() as conn:
        rows = conn.execute(select(e.c.kind, e.c.record, e.c.author_party).order_by(e.c.sequence))
        return [(r.kind, r.record, r.author_party) for r in rows if "humanitarian" in r.kind]


def test_a_convoy_is_requested_approved_in_part_and_delivered_each_signed(ledger: Ledger) -> None:
    _madaya(ledger)
    request = service.record_request(ledger, _request(), author="us")
    decided = service.record_decision(
        ledger,
        request.id,
        Decision.PARTIALLY_APPROVED,
        decided=date(2016, 1, 7),
        decided_by="Government of Syria",
        approved_trucks=20,
        author="ru",
    )
    assert decided.decision is Decision.PARTIALLY_APPROVED and decided.approved_people is None
    delivery = service.record_delivery(
        ledger,
        Delivery(0, request.id, date(2016, 1, 11), people_reached=40_000, trucks=20, items="food"),
        author="us",
    )
    assert delivery.id > request.id
    changed = service.record_status(
        ledger,
        "madaya",
        StatusChange(LocationStatus.HARD_TO_REACH, date(2016, 1, 12), "OCHA", "after convoy"),
        author="us",
    )
    assert changed.status_on(date(2016, 1, 11)).status is LocationStatus.BESIEGED  # type: ignore[union-attr]

    assert _entries(ledger.db) == [
        ("humanitarian_location.created", "humanitarian_location:madaya", "us"),
        ("humanitarian_request.requested", f"humanitarian_request:{request.id}", "us"),
        ("humanitarian_request.decided", f"humanitarian_request:{request.id}", "ru"),
        ("humanitarian_delivery.recorded", f"humanitarian_delivery:{delivery.id}", "us"),
        ("humanitarian_location.status", "humanitarian_location:madaya", "us"),
    ]
    assert verify_database(ledger.db, origin=ORIGIN).problems == []

    (summary,) = service.summary(ledger.db, start=date(2016, 1, 1), end=date(2016, 1, 31))
    assert summary.status is not None and summary.status.status is LocationStatus.HARD_TO_REACH
    assert (summary.requests, summary.approved, summary.denied, summary.pending) == (1, 1, 0, 0)
    assert (summary.deliveries, summary.people_reached) == (1, 40_000)
    assert summary.last_delivery == date(2016, 1, 11)
    (before,) = service.summary(ledger.db, end=date(2016, 1, 10))
    assert before.deliveries == 0 and before.status is not None
    assert before.status.status is LocationStatus.BESIEGED


def test_a_row_changed_behind_the_ledger_is_named(ledger: Ledger) -> None:
    _madaya(ledger)
    request = service.record_request(ledger, _request(), author="us")
    with ledger.db.transaction() as conn:
        r = t.humanitarian_requests
        conn.execute(update(r).where(r.c.id == request.id).values(trucks=4))
        s = t.humanitarian_location_statuses
        conn.execute(update(s).values(status="accessible"))
    problems = verify_database(ledger.db, origin=ORIGIN).problems
    reasons = " | ".join(f"{p.where}: {p.reason}" for p in problems)
    assert f"humanitarian_request:{request.id}" in reasons and "field 'trucks'" in reasons
    assert "humanitarian_location:madaya" in reasons and "field 'statuses'" in reasons


@pytest.mark.parametrize(
    ("step", "field"),
    [
        ("delivery_before_request", "delivered"),
        ("delivery_of_denied", "request_id"),
        ("delivery_of_pending", "request_id"),
        ("decision_before_request", "decided"),
        ("denial_without_reason", "reason"),
        ("negative_people", "people"),
        ("negative_reached", "people_reached"),
        ("unknown_location", "location_id"),
        ("unknown_request", "request_id"),
        ("unknown_place", "place_id"),
        ("same_day_status", "since"),
        ("more_than_requested", "approved_trucks"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(
    ledger: Ledger, step: str, field: str
) -> None:
    _madaya(ledger)
    request = service.record_request(ledger, _request(), author="us")
    denied = service.record_request(ledger, _request(), author="us")
    service.record_decision(
        ledger, denied.id, Decision.DENIED, decided=date(2016, 1, 6), decided_by="X", reason="no"
    )
    before = len(_entries(ledger.db))
    tables = [
        t.humanitarian_locations,
        t.humanitarian_location_statuses,
        t.humanitarian_requests,
        t.humanitarian_deliveries,
    ]
    rows = [_count(ledger.db, table) for table in tables]

    def approve() -> None:
        service.record_decision(
            ledger, request.id, Decision.APPROVED, decided=date(2016, 1, 8), decided_by="X"
        )

    steps = {
        "delivery_before_request": lambda: (
            approve(),
            service.record_delivery(ledger, Delivery(0, request.id, date(2016, 1, 4))),
        ),
        "delivery_of_denied": lambda: service.record_delivery(
            ledger, Delivery(0, denied.id, date(2016, 1, 9))
        ),
        "delivery_of_pending": lambda: service.record_delivery(
            ledger, Delivery(0, request.id, date(2016, 1, 9))
        ),
        "decision_before_request": lambda: service.record_decision(
            ledger, request.id, Decision.APPROVED, decided=date(2016, 1, 4), decided_by="X"
        ),
        "denial_without_reason": lambda: service.record_decision(
            ledger, request.id, Decision.DENIED, decided=date(2016, 1, 6), decided_by="X"
        ),
        "negative_people": lambda: service.record_request(ledger, _request(people=-1)),
        "negative_reached": lambda: (
            approve(),
            service.record_delivery(
                ledger, Delivery(0, request.id, date(2016, 1, 9), people_reached=-5)
            ),
        ),
        "unknown_location": lambda: service.record_request(ledger, _request(location_id="nowhere")),
        "unknown_request": lambda: service.record_delivery(
            ledger, Delivery(0, 999_999, date(2016, 1, 9))
        ),
        "unknown_place": lambda: service.add_location(
            ledger, Location("zabadani", "Zabadani", 36.1, 33.7, place_id="nowhere")
        ),
        "same_day_status": lambda: service.record_status(
            ledger, "madaya", StatusChange(LocationStatus.ACCESSIBLE, date(2015, 7, 1))
        ),
        "more_than_requested": lambda: service.record_decision(
            ledger,
            request.id,
            Decision.PARTIALLY_APPROVED,
            decided=date(2016, 1, 6),
            decided_by="X",
            approved_trucks=45,
        ),
    }
    with pytest.raises(InvalidInputError) as raised:
        steps[step]()
    assert raised.value.field == field
    approved = 1 if step in ("delivery_before_request", "negative_reached") else 0
    assert len(_entries(ledger.db)) == before + approved
    assert [_count(ledger.db, table) for table in tables] == rows


def test_a_location_id_is_taken_once(ledger: Ledger) -> None:
    _madaya(ledger)
    with pytest.raises(ConflictError, match="madaya"):
        service.add_location(ledger, Location("madaya", "Madaya again", 36.1, 33.69))


def test_the_sample_corridor_file_imports_once_with_its_outcomes_kept(ledger: Ledger) -> None:
    corridors = read_corridors(SAMPLE)
    done = import_corridors(ledger, corridors)
    # Mariupol and "Mariupol (city)" are one point, so one location
    assert (done.locations, done.requests, done.deliveries, done.skipped) == (3, 5, 2, 0)
    again = import_corridors(ledger, corridors)
    assert (again.locations, again.requests, again.skipped) == (0, 0, 5)
    found = service.location_file(ledger.db, "mariupol")
    outcomes = {r.source_id: (r.decision, r.source_status) for r in found.requests}
    assert outcomes == {
        "1": (Decision.PENDING, "disputed"),
        "3": (Decision.PENDING, "proposed route/outcome unknown"),
        "5": (Decision.APPROVED, "successful: successful evacuation of civilians"),
    }
    assert found.requests[0].requested_by == "Ukraine and Russia"
    assert found.requests[0].destination == "Zaporizhzhya"
    assert [d.people_reached for d in found.deliveries] == [None]
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_a_bad_corridor_file_names_every_bad_row(tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2022-03-05", "2022-13-05")
    lines[2] = lines[2].replace("47.49048", "147.49048")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        read_corridors(bad)
    message = raised.value.message
    assert "row 1, column 'date': '2022-13-05' is not a day" in message
    assert "row 2, column 'from_latitude': 147.49048 is outside -90..90" in message
    assert message.endswith("Nothing was imported")


@pytest.mark.shared_data
def test_the_peacerep_ukraine_corridors_import_and_verify(ledger: Ledger) -> None:
    done = import_corridors(ledger, read_corridors(PEACEREP))
    assert done.requests == 282
    assert done.deliveries == 125  # every "successful" row
    assert done.locations == 85  # the file's distinct origin points
    summaries = {s.location.id: s for s in service.summary(ledger.db)}
    mariupol = summaries["mariupol"]
    assert mariupol.requests == 38 and mariupol.denied == 0
    assert mariupol.pending == mariupol.requests - mariupol.approved
    assert sum(s.requests for s in summaries.values()) == 282
    assert verify_database(ledger.db, origin=ORIGIN).problems == []
