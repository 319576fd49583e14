"""A whole batch correlated at once: every pair within both tolerances is found, anywhere
on the globe, and the groups are those of the reports' links."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain.batches import batch_of, candidate_pairs, group_batch
from ceasefire.domain.comparisons import distance_m, distance_tolerance
from ceasefire.domain.correlation import CorrelationSettings, Footprint
from ceasefire.domain.precision import TimePrecision

DAY = 86_400.0
SETTINGS = CorrelationSettings()


def report(lon: float, lat: float, *, radius: float = 25_000.0, source: str = "a",
           day: int = 0, days: int = 1) -> Footprint:  # fmt: skip
    return Footprint(
        key=None,
        lon=lon,
        lat=lat,
        start=day * DAY,
        end=(day + days) * DAY,
        precision=TimePrecision.DAY if days == 1 else TimePrecision.WEEK,
        event_type="Battles",
        actor_ids=frozenset({"ua-gov"}),
        sources={source},
        radius_m=radius,
        sub_event_type="Armed clash",
    )


def within_tolerances(a: Footprint, b: Footprint) -> bool:
    gap = max(a.start - b.end, b.start - a.end, 0.0)
    tolerance = distance_tolerance(SETTINGS.max_distance_m, a.radius_m, b.radius_m)
    return gap < DAY and distance_m(a.lon, a.lat, b.lon, b.lat) <= tolerance


@st.composite
def clusters(draw: st.DrawFn) -> list[Footprint]:
    """Reports around one place anywhere but across the antimeridian, up to 40 km apart."""
    lat0 = draw(st.floats(-88.0, 88.0))
    lon0 = draw(st.floats(-170.0, 170.0))
    n = draw(st.integers(2, 25))
    found = []
    for k in range(n):
        north = draw(st.floats(-20_000.0, 20_000.0))
        east = draw(st.floats(-20_000.0, 20_000.0))
        lat = max(-89.9, min(89.9, lat0 + north / 111_195.0))
        lon = lon0 + east / (111_195.0 * max(math.cos(math.radians(lat)), 0.01))
        found.append(report(lon, lat, radius=draw(st.sampled_from([0.0, 5_000.0, 25_000.0])),
                            source=str(k), day=draw(st.integers(0, 9)),
                            days=draw(st.sampled_from([1, 1, 7]))))  # fmt: skip
    return found


@settings(max_examples=200, deadline=None)
@given(clusters())
def test_every_pair_within_both_tolerances_is_a_candidate(group: list[Footprint]) -> None:
    i, j = candidate_pairs(batch_of(group), SETTINGS)
    found = {(min(a, b), max(a, b)) for a, b in zip(i.tolist(), j.tolist(), strict=True)}
    assert len(found) == len(i)  # each pair once
    for a in range(len(group)):
        for b in range(a + 1, len(group)):
            if within_tolerances(group[a], group[b]):
                assert (a, b) in found, (group[a], group[b])


def test_two_accounts_30_km_apart_far_east_of_greenwich_are_one_incident() -> None:
    # 82 degrees east, 54 north: a column of scaled longitude (lon x cos(lat)) shifts by
    # more than its own width between these two latitudes, so a layout by such columns
    # did not look where the other lay
    a = report(81.6757, 53.5858, source="monitor")
    b = report(81.4895, 53.8279, source="press")
    assert within_tolerances(a, b)
    labels = group_batch(batch_of([a, b]), SETTINGS).tolist()
    assert labels[0] == labels[1]
