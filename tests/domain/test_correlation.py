from __future__ import annotations

import math
from datetime import timedelta

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from ceasefire.domain.correlation import (
    CorrelationSettings,
    Correlator,
    Footprint,
    compatible,
    distance_m,
)
from ceasefire.domain.precision import TimePrecision

SETTINGS = CorrelationSettings(max_distance_m=10_000, max_gap=timedelta(hours=24))


def mark(
    key: object, lon: float, lat: float, hour: float, source: str = "a", **kw: object
) -> Footprint:
    return Footprint(
        key=key,
        lon=lon,
        lat=lat,
        start=hour * 3600,
        end=hour * 3600,
        precision=kw.get("precision", TimePrecision.EXACT),  # type: ignore[arg-type]
        event_type=kw.get("event_type"),  # type: ignore[arg-type]
        actor_ids=frozenset(kw.get("actors", ())),  # type: ignore[arg-type]
        sources={source},
    )


def test_distance_of_one_degree_of_latitude_is_about_111_km() -> None:
    assert 110_000 < distance_m(36.0, 33.0, 36.0, 34.0) < 112_000


def test_nearby_reports_from_two_sources_correlate() -> None:
    correlator = Correlator(SETTINGS)
    incident = mark(1, 36.0, 33.0, 10, source="a")
    correlator.add(incident)
    assert correlator.match(mark(None, 36.05, 33.0, 12, source="b")) is incident


def test_reports_of_one_source_never_correlate() -> None:
    correlator = Correlator(SETTINGS)
    correlator.add(mark(1, 36.0, 33.0, 10, source="ucdp"))
    assert correlator.match(mark(None, 36.0, 33.0, 10, source="ucdp")) is None


def test_too_far_too_late_other_type_or_other_actors_do_not_correlate() -> None:
    correlator = Correlator(SETTINGS)
    correlator.add(mark(1, 36.0, 33.0, 10, event_type="Battles", actors=("saa",)))
    assert correlator.match(mark(None, 36.2, 33.0, 10, source="b")) is None  # ~18.6 km
    assert correlator.match(mark(None, 36.0, 33.0, 40, source="b")) is None  # 30 h later
    assert correlator.match(mark(None, 36.0, 33.0, 10, source="b", event_type="Riots")) is None
    assert correlator.match(mark(None, 36.0, 33.0, 10, source="b", actors=("fsa",))) is None
    assert correlator.match(mark(None, 36.0, 33.0, 10, source="b", actors=("saa",))) is not None


def test_month_precision_reports_are_left_for_analysts() -> None:
    correlator = Correlator(SETTINGS)
    correlator.add(mark(1, 36.0, 33.0, 10))
    assert (
        correlator.match(mark(None, 36.0, 33.0, 10, source="b", precision=TimePrecision.MONTH))
        is None
    )


points = st.tuples(
    st.floats(35.0, 36.0), st.floats(33.0, 34.0), st.floats(0, 200), st.sampled_from("abc")
)


@settings(max_examples=150, deadline=None)
@given(st.lists(points, min_size=1, max_size=40), points)
def test_grid_lookup_finds_the_same_incident_as_checking_every_pair(
    incidents: list[tuple[float, float, float, str]], report: tuple[float, float, float, str]
) -> None:
    correlator = Correlator(SETTINGS)
    marks = [mark(i, x, y, h, source=s) for i, (x, y, h, s) in enumerate(incidents)]
    for m in marks:
        correlator.add(m)
    probe = mark(None, report[0], report[1], report[2], source=report[3])
    candidates = [m for m in marks if compatible(m, probe, SETTINGS)]
    found = correlator.match(probe)
    if not candidates:
        assert found is None
    else:
        best = min(distance_m(m.lon, m.lat, probe.lon, probe.lat) for m in candidates)
        assert found is not None
        assert distance_m(found.lon, found.lat, probe.lon, probe.lat) == best


def _destination(lon: float, lat: float, bearing: float, metres: float) -> tuple[float, float]:
    """The point ``metres`` from (lon, lat) along ``bearing`` degrees, on the sphere."""
    earth = 6_371_008.8
    phi, lam, theta, delta = (
        math.radians(lat),
        math.radians(lon),
        math.radians(bearing),
        metres / earth,
    )
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(lam2), math.degrees(phi2)


@settings(max_examples=400, deadline=None)
@given(
    lat=st.floats(-89.0, 89.0),
    lon=st.floats(-179.0, 179.0),
    bearing=st.floats(0.0, 360.0),
    share=st.floats(0.0, 0.999),
)
# a hair south of the equator, the other a tolerance north: the cells were 0.11 % short
@example(lat=-8.772838233477546e-122, lon=0.0, bearing=0.0, share=0.999)
def test_every_incident_within_the_tolerance_is_a_neighbour_at_any_latitude(
    lat: float, lon: float, bearing: float, share: float
) -> None:
    """Columns keyed by longitude x cos(latitude) shifted between rows far from Greenwich,
    so that some pairs within the tolerance (at |lon| >= 145, |lat| >= 45) were never
    compared."""
    correlator = Correlator(SETTINGS)
    incident = mark("stored", lon, lat, 0)
    correlator.add(incident)
    lon2, lat2 = _destination(lon, lat, bearing, SETTINGS.widest_m * share)
    assume(-180.0 <= lon2 <= 180.0)  # pairs across the antimeridian are not looked for
    assert incident in list(correlator.neighbours(mark("new", lon2, lat2, 1, source="b")))
