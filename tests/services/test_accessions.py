"""The accession register: settlements and actors join and leave a regime, signed; a
history that cannot be is refused whole; incidents by a joined actor or in a joined
settlement say so in their reasons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from builders import report, scenario
from ceasefire.domain.accessions import AccessionRow, Change
from ceasefire.domain.errors import InvalidInputError
from ceasefire.services import accessions as service
from ceasefire.services import queries
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.verification import verify_database

ORIGIN = "ceasefire.localhost/ledger"
JOINED, LEFT = Change.JOINED, Change.LEFT


def _row(number: int, day: date, change: Change = JOINED, **subject: object) -> AccessionRow:
    return AccessionRow(number, "coh", change, day, "Hmeymim reconciliation centre", **subject)  # type: ignore[arg-type]


def test_accessions_are_signed_counted_and_flagged_in_reasons(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    recorded = service.record_accessions(
        ledger,
        [
            _row(1, date(2016, 3, 1), settlement="Douma", lon=36.40, lat=33.57),
            _row(2, date(2016, 3, 5), actor="Syrian Arab Army"),
            _row(3, date(2016, 4, 1), LEFT, settlement="Douma"),
        ],
        author="ru",
    )
    assert len(recorded.accession_ids) == 3 and recorded.settlements_added == ["settlement-douma"]
    assert verify_database(ledger.db, origin=ORIGIN).problems == []

    counts = service.counts(ledger.db, "coh", date(2016, 2, 28), date(2016, 4, 10), step_days=14)
    assert [(d.isoformat(), s, a) for d, s, a in counts] == [
        ("2016-02-28", 0, 0),
        ("2016-03-13", 1, 1),
        ("2016-03-27", 1, 1),
        ("2016-04-10", 0, 1),
    ]
    # in Douma while it had joined; 3 km away is "in" it
    inside = submit_report(ledger, report("1", day=date(2016, 3, 2), lon=36.42, lat=33.58))
    after = submit_report(ledger, report("2", day=date(2016, 4, 2), lon=36.42, lat=33.58))
    by_army = submit_report(
        ledger, report("3", day=date(2016, 3, 6), lon=37.5, lat=35.0, actors=("Syrian Arab Army",))
    )
    reasons = {
        r.incident_id: queries.get_incident(ledger.db, r.incident_id, EVERYTHING)[0].reasons[0]
        for r in (inside, after, by_army)
    }
    assert (
        "Douma had joined it on 2016-03-01 (Hmeymim reconciliation centre)"
        in reasons[inside.incident_id]
    )
    assert "joined" not in reasons[after.incident_id]
    assert "Syrian Arab Army had joined it on 2016-03-05" in reasons[by_army.incident_id]

    layer = service.geojson(ledger.db, "coh", date(2016, 3, 20))
    (feature,) = layer["features"]
    assert feature["properties"]["in"] is True and feature["properties"]["joined"] == "2016-03-01"
    assert (
        service.geojson(ledger.db, "coh", date(2016, 4, 20))["features"][0]["properties"]["in"]
        is False
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [_row(1, date(2016, 3, 1), actor="Jaysh al-Fatah")],
            "row 1, actor: 'Jaysh al-Fatah' names no known actor",
        ),
        (
            [_row(1, date(2016, 3, 1), settlement="Atlantis")],
            "row 1, settlement: 'Atlantis' is no known settlement",
        ),
        (
            [_row(1, date(2016, 3, 1), LEFT, actor="saa")],
            "actor saa left regime coh on 2016-03-01 without having joined it",
        ),
        (
            [_row(1, date(2016, 3, 9), actor="saa"), _row(2, date(2016, 3, 2), LEFT, actor="saa")],
            "without having joined it",
        ),
        (
            [_row(1, date(2016, 3, 1), actor="saa"), _row(2, date(2016, 3, 2), actor="saa")],
            "but had already joined it on 2016-03-01",
        ),
        ([_row(1, date(2016, 2, 1), actor="saa")], "before regime coh started (2016-02-27)"),
        (
            [replace(_row(1, date(2016, 3, 1), actor="saa"), regime_id="nowhere")],
            "rows: row 1, regime: 'nowhere' does not exist. Nothing was recorded",
        ),
        (
            [_row(3, date(2016, 3, 1), actor="saa"), _row(4, date(2016, 3, 2), actor="saa")],
            "rows: rows 3, 4, change: actor saa joined regime coh on 2016-03-02",
        ),
    ],
)
def test_an_impossible_history_is_refused_whole(
    ledger: Ledger, rows: list[AccessionRow], message: str
) -> None:
    load_scenario(ledger, scenario())
    good = _row(9, date(2016, 3, 1), settlement="Douma", lon=36.40, lat=33.57)
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        service.record_accessions(ledger, [good, *rows], author="ru")
    assert service.list_accessions(ledger.db) == []


def test_a_row_names_an_actor_or_a_settlement() -> None:
    with pytest.raises(InvalidInputError, match="name an actor or a settlement"):
        AccessionRow(1, "coh", JOINED, date(2016, 3, 1), "x", actor="saa", settlement="Douma")
    with pytest.raises(InvalidInputError, match="give both lon and lat"):
        AccessionRow(1, "coh", JOINED, date(2016, 3, 1), "x", settlement="Douma", lon=36.4)
