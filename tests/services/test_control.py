"""Areas of control: who held a place when, one holder at a time; reasons name the holder,
and a regime that follows territory excludes strikes on ground an excluded actor held."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
import shapely

from builders import report, scenario
from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.control_files import area_rows
from ceasefire.services import control as service
from ceasefire.services import queries
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t

ORIGIN = "ceasefire.localhost/ledger"
IDLIB = shapely.box(36.5, 35.8, 36.8, 36.0)


def _collection(*features: tuple[shapely.Geometry, dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": shapely.geometry.mapping(g), "properties": p}
            for g, p in features
        ],
    }


def _held(
    actor: str, start: str, end: str | None = None, geometry: Any = IDLIB
) -> tuple[Any, dict[str, Any]]:
    return geometry, {"actor": actor, "valid_from": start, "valid_to": end, "source": "test"}


def test_who_held_a_place_is_named_in_the_reasons_and_verified(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    recorded = service.record_areas(
        ledger,
        area_rows(_collection(_held("Jabhat al-Nusra", "2015-03-28", "2016-12-31"))),
        author="ru",
    )
    assert len(recorded.ids) == 1 and recorded.reclassified == []
    assert verify_database(ledger.db, origin=ORIGIN).problems == []
    found = service.holder(ledger.db, 36.63, 35.93, date(2016, 3, 2))
    assert found is not None and found[1] == "Jabhat al-Nusra"
    assert service.holder(ledger.db, 36.63, 35.93, date(2017, 1, 1)) is None

    strike = submit_report(ledger, report("1", lon=36.63, lat=35.93, actors=("Syrian Arab Army",)))
    incident, _ = queries.get_incident(ledger.db, strike.incident_id, EVERYTHING)
    # the regime does not follow territory: held ground is named, the strike still counts
    assert incident.classification.value == "potential_violation"
    assert "in an area held by Jabhat al-Nusra from 2015-03-28 (test)" in incident.reasons[0]


def test_a_regime_that_follows_territory_excludes_strikes_on_held_ground(ledger: Ledger) -> None:
    base = scenario()
    regime = replace(base.regimes[0], exclusion_follows=("territory",))
    load_scenario(ledger, replace(base, regimes=(regime,)))
    strike = submit_report(ledger, report("1", lon=36.63, lat=35.93, actors=("Syrian Arab Army",)))
    outside = submit_report(ledger, report("2", lon=36.29, lat=33.51, actors=("Syrian Arab Army",)))
    recorded = service.record_areas(
        ledger, area_rows(_collection(_held("nusra", "2015-03-28"))), author="ru"
    )
    assert [(c.incident_id, c.after) for c in recorded.reclassified] == [
        (strike.incident_id, "excluded_actor")
    ]
    incident, _ = queries.get_incident(ledger.db, strike.incident_id, EVERYTHING)
    assert (
        "but the area it lies in, held by Jabhat al-Nusra, is excluded from it"
        in incident.reasons[0]
    )
    elsewhere, _ = queries.get_incident(ledger.db, outside.incident_id, EVERYTHING)
    assert elsewhere.classification.value == "potential_violation"


def test_recording_an_area_classifies_again_only_the_incidents_inside_it(
    ledger: Ledger,
) -> None:
    """An area holds the incidents whose point lies in it: those elsewhere are not read
    again (all of them were, under the log's lock: minutes on a million incidents). An
    incident elsewhere whose stored classification is out of date shows it."""
    base = scenario()
    regime = replace(base.regimes[0], exclusion_follows=("territory",))
    load_scenario(ledger, replace(base, regimes=(regime,)))
    strike = submit_report(ledger, report("1", lon=36.63, lat=35.93, actors=("Syrian Arab Army",)))
    outside = submit_report(ledger, report("2", lon=36.29, lat=33.51, actors=("Syrian Arab Army",)))
    with ledger.db.transaction() as conn:
        incidents = t.incidents
        stale = incidents.update().where(incidents.c.id == outside.incident_id)
        conn.execute(stale.values(classification="undetermined"))

    recorded = service.record_areas(
        ledger, area_rows(_collection(_held("nusra", "2015-03-28"))), author="ru"
    )

    assert [c.incident_id for c in recorded.reclassified] == [strike.incident_id]
    elsewhere, _ = queries.get_incident(ledger.db, outside.incident_id, EVERYTHING)
    assert elsewhere.classification.value == "undetermined"


@pytest.mark.parametrize(
    ("features", "field", "message"),
    [
        (
            [
                _held("nusra", "2015-03-28"),
                _held("saa", "2016-01-01", geometry=shapely.box(36.6, 35.9, 37.0, 36.2)),
            ],
            "geometry",
            "features[1] (saa, from 2016-01-01) overlaps the area held by nusra",
        ),
        (
            [_held("Jaysh al-Fatah", "2015-03-28")],
            "features[0].properties.actor",
            "names no known actor",
        ),
        (
            [_held("nusra", "2016-01-01", "2015-01-01")],
            "features[0].valid_to",
            "is before valid_from",
        ),
        (
            [
                _held(
                    "nusra",
                    "2016-01-01",
                    geometry=shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]),
                )
            ],
            "features[0].geometry",
            "is not valid",
        ),
        ([_held("nusra", "soon")], "features[0].properties.valid_from", "is not a date"),
    ],
)
def test_bad_areas_are_refused_whole_naming_the_feature(
    ledger: Ledger, features: list[tuple[Any, dict[str, Any]]], field: str, message: str
) -> None:
    load_scenario(ledger, scenario())
    with pytest.raises(InvalidInputError) as raised:
        service.record_areas(ledger, area_rows(_collection(*features)), author="ru")
    assert raised.value.field == field and message in raised.value.reason
    assert service.geojson(ledger.db, None)["features"] == []


def test_areas_that_follow_each_other_in_time_may_share_ground(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    service.record_areas(
        ledger,
        area_rows(
            _collection(_held("nusra", "2015-03-28", "2016-06-30"), _held("saa", "2016-07-01"))
        ),
        author="ru",
    )
    later = service.holder(ledger.db, 36.63, 35.93, date(2016, 8, 1))
    assert later is not None and later[0].actor_id == "saa"
    with pytest.raises(InvalidInputError, match="overlaps area"):
        service.record_areas(
            ledger, area_rows(_collection(_held("nusra", "2016-06-01", "2016-07-05"))), author="us"
        )
    assert [
        f["properties"]["actor_id"]
        for f in service.geojson(ledger.db, date(2016, 8, 1))["features"]
    ] == ["saa"]


def test_the_rules_a_process_keeps_are_read_again_after_an_area_is_recorded(
    ledger: Ledger,
) -> None:
    """A server process keeps the rules until an entry changes them; an area of control
    did not count as one, so a mapping made later classified by the map before it."""
    load_scenario(ledger, scenario())
    with ledger.db.read() as conn:
        before = ledger.rules(conn)
        assert ledger.rules(conn) is before  # kept while nothing changed them
    service.record_areas(ledger, area_rows(_collection(_held("nusra", "2015-03-28"))))
    with ledger.db.read() as conn:
        after = ledger.rules(conn)
    assert after is not before
    assert [a.actor_id for a in after.regimes.regimes[0].control.areas] == ["nusra"]
