from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
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
