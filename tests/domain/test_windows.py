"""The windows around a batch of reports: every point correlation could compare with a
report inside one of them, never more than a bounded number, and a window of their own for
reports far apart."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.domain.comparisons import EARTH_RADIUS_M, distance_m
from ceasefire.domain.windows import Spot, Window, windows

REACH, GAP = 35_000.0, timedelta(days=2)
DAY = datetime(2016, 3, 1, tzinfo=UTC)


def spot(lon: float, lat: float, days: float = 0.0, length: float = 1.0) -> Spot:
    start = DAY + timedelta(days=days)
    return Spot(lon, lat, start, start + timedelta(days=length))


def towards(s: Spot, bearing: float, metres: float) -> tuple[float, float]:
    """The point ``metres`` from the spot along ``bearing`` (degrees) on the sphere."""
    d, b = metres / EARTH_RADIUS_M, math.radians(bearing)
    lat1, lon1 = math.radians(s.lat), math.radians(s.lon)
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b))
    lon2 = lon1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lon2), math.degrees(lat2)


def inside(w: Window, lon: float, lat: float, s: Spot) -> bool:
    b = w.bbox
    return (
        b.min_lon <= lon <= b.max_lon
        and b.min_lat <= lat <= b.max_lat
        and w.start <= s.start - GAP
        and s.end + GAP <= w.end
    )


def test_reports_filed_a_country_apart_get_a_window_each_not_one_box() -> None:
    apart = [spot(36.0, 33.0), spot(40.0, 35.5, days=120), spot(38.0, 34.0, days=60)]
    found = windows(apart, REACH, GAP)
    assert len(found) == 3
    for s in apart:
        assert any(inside(w, s.lon, s.lat, s) for w in found)
    widest = max(w.bbox.max_lon - w.bbox.min_lon for w in found)
    assert widest < 1.0  # a window of its own, not 4 degrees across


def test_a_window_reaches_as_far_east_as_the_distance_at_its_latitude_and_no_further() -> None:
    """35 km is 0.31 degrees of latitude, and 0.39 degrees of longitude at 35 N: the window
    once reached 0.63 degrees each way, three times the area needed."""
    (w,) = windows([spot(36.0, 35.0)], REACH, GAP)
    assert w.bbox.max_lat - 35.0 == pytest.approx(REACH / EARTH_RADIUS_M * 180 / math.pi, 1e-2)
    assert 0.38 < w.bbox.max_lon - 36.0 < 0.40


def test_reports_close_in_space_and_time_share_a_window_or_two() -> None:
    close = [spot(36.0 + i * 0.004, 33.0, days=i * 0.1) for i in range(50)]
    assert len(windows(close, REACH, GAP)) <= 2  # one, or two where a cell's edge runs


def test_many_scattered_reports_get_at_most_the_bound() -> None:
    scattered = [spot(-170 + i * 7.1, -80 + i * 3.3, days=i * 40) for i in range(48)]
    found = windows(scattered, REACH, GAP, most=5)
    assert 1 <= len(found) <= 5
    assert all(any(inside(w, s.lon, s.lat, s) for w in found) for s in scattered)


def test_one_window_is_reached_across_the_meridian_and_before_1970() -> None:
    found = windows([spot(-1.0, -1.0, days=-20_000), spot(1.0, 1.0)], REACH, GAP, most=1)
    assert len(found) == 1  # the grid starts at its corner, not at 0


def test_no_reports_no_windows_and_a_bound_below_one_is_refused() -> None:
    assert windows([], REACH, GAP) == []
    with pytest.raises(ValueError, match="most"):
        windows([spot(0, 0)], REACH, GAP, most=0)


@given(
    st.lists(
        st.tuples(
            st.floats(-180, 180),
            st.floats(-89, 89),
            st.floats(-3_000, 3_000),
            st.floats(0, 31),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 20),
    st.floats(0, 360),
    st.floats(0, 1),
)
def test_every_point_within_reach_of_a_report_lies_inside_a_window(
    points: list[tuple[float, float, float, float]], most: int, bearing: float, share: float
) -> None:
    spots = [spot(*p) for p in points]
    found = windows(spots, REACH, GAP, most=most)
    assert 1 <= len(found) <= most
    for s in spots:
        lon, lat = towards(s, bearing, REACH * share)
        if not -180 <= lon <= 180:
            continue  # across the antimeridian: correlation does not look there either
        assert distance_m(s.lon, s.lat, lon, lat) <= REACH * 1.000001
        assert any(inside(w, lon, lat, s) for w in found)
