from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.domain.classification import Classification, Outcome
from ceasefire.domain.events import EventLocation, EventTime
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.incidents import IncidentSummary
from ceasefire.domain.precision import LocationPrecision
from ceasefire.domain.visibility import Audience
from ceasefire.store import incidents as incident_store
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import incident_row

EVERYONE = Audience.operator()

BASE = datetime(2016, 1, 1, tzinfo=UTC)
RESULT = Outcome(Classification.OUTSIDE_REGIME)


def summary(lon: float, lat: float, hours: int) -> IncidentSummary:
    when = BASE + timedelta(hours=hours)
    return IncidentSummary(
        time=EventTime.at(when),
        location=EventLocation(lon, lat, LocationPrecision.EXACT),
        event_type=None,
        sub_event_type=None,
        actor_ids=frozenset(),
        sources=frozenset({"s"}),
    )


points = st.tuples(st.floats(35, 40), st.floats(32, 37), st.integers(0, 24 * 120))
boxes = st.tuples(st.floats(35, 40), st.floats(32, 37), st.floats(0.1, 3), st.floats(0.1, 3))
windows = st.tuples(st.integers(0, 24 * 120), st.integers(1, 24 * 60))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(points, min_size=1, max_size=60), boxes, windows)
def test_bbox_and_time_query_finds_exactly_what_a_plain_scan_finds(
    db: Database,
    incidents: list[tuple[float, float, int]],
    box: tuple[float, float, float, float],
    window: tuple[int, int],
) -> None:
    with db.transaction() as conn:
        conn.execute(incident_store.t.incident_regimes.delete())
        conn.execute(incident_store.t.incidents.delete())
        ids = incident_store.insert_incidents(
            conn,
            [incident_row(summary(*p), RESULT, 1) for p in incidents],
            range(1, len(incidents) + 1),
        )
    x, y, w, h = box
    bbox = BBox(x, y, min(x + w, 180), min(y + h, 90))
    start = BASE + timedelta(hours=window[0])
    end = start + timedelta(hours=window[1])
    with db.read() as conn:
        found = incident_store.query_incidents(
            conn, IncidentFilter(bbox=bbox, start=start, end=end, limit=10_000), EVERYONE
        )
    expected = [
        i
        for i, (lon, lat, hours) in zip(ids, incidents, strict=True)
        if bbox.min_lon <= lon <= bbox.max_lon
        and bbox.min_lat <= lat <= bbox.max_lat
        and start <= BASE + timedelta(hours=hours) < end
    ]
    assert [i.id for i in found] == expected


def test_a_point_a_hair_outside_the_bbox_is_not_returned(db: Database) -> None:
    # 36.000001 rounds to 36.0 in the 32-bit bounds of the R*Tree and the GiST index
    with db.transaction() as conn:
        ids = incident_store.insert_incidents(
            conn,
            [
                incident_row(summary(36.000001, 33.5, 1), RESULT, 1),
                incident_row(summary(35.999999, 33.5, 1), RESULT, 1),
            ],
            [1, 2],
        )
    with db.read() as conn:
        found = incident_store.query_incidents(
            conn, IncidentFilter(bbox=BBox(35.0, 33.0, 36.0, 34.0)), EVERYONE
        )
    assert [i.id for i in found] == [ids[1]]
