"""The windows around a batch of reports: each report's surroundings inside one of them,
never more than a bounded number, and a window of their own for reports far apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.domain.windows import Spot, Window, windows

PAD, GAP = 0.6, timedelta(days=2)
DAY = datetime(2016, 3, 1, tzinfo=UTC)


def spot(lon: float, lat: float, days: float = 0.0, length: float = 1.0) -> Spot:
    start = DAY + timedelta(days=days)
    return Spot(lon, lat, start, start + timedelta(days=length))


def holds(w: Window, s: Spot) -> bool:
    b = w.bbox
    return (
        b.min_lon <= max(-180.0, s.lon - PAD)
        and min(180.0, s.lon + PAD) <= b.max_lon
        and b.min_lat <= max(-90.0, s.lat - PAD)
        and min(90.0, s.lat + PAD) <= b.max_lat
        and w.start <= s.start - GAP
        and s.end + GAP <= w.end
    )


def test_reports_filed_a_country_apart_get_a_window_each_not_one_box() -> None:
    apart = [spot(36.0, 33.0), spot(40.0, 35.5, days=120), spot(38.0, 34.0, days=60)]
    found = windows(apart, PAD, GAP)
    assert len(found) == 3
    assert all(any(holds(w, s) for w in found) for s in apart)
    widest = max(w.bbox.max_lon - w.bbox.min_lon for w in found)
    assert widest == pytest.approx(2 * PAD)  # a window of its own, not 4 degrees across


def test_reports_close_in_space_and_time_share_one_window() -> None:
    close = [spot(36.0 + i * 0.01, 33.0, days=i * 0.1) for i in range(50)]
    assert len(windows(close, PAD, GAP)) == 1


def test_many_scattered_reports_get_at_most_the_bound() -> None:
    scattered = [spot(-170 + i * 7.1, -80 + i * 3.3, days=i * 40) for i in range(48)]
    found = windows(scattered, PAD, GAP, most=5)
    assert 1 <= len(found) <= 5
    assert all(any(holds(w, s) for w in found) for s in scattered)


def test_one_window_is_reached_across_the_meridian_and_before_1970() -> None:
    found = windows([spot(-1.0, -1.0, days=-20_000), spot(1.0, 1.0)], PAD, GAP, most=1)
    assert len(found) == 1  # the grid starts at its corner, not at 0


def test_no_reports_no_windows_and_a_bound_below_one_is_refused() -> None:
    assert windows([], PAD, GAP) == []
    with pytest.raises(ValueError, match="most"):
        windows([spot(0, 0)], PAD, GAP, most=0)


@given(
    st.lists(
        st.tuples(
            st.floats(-180, 180),
            st.floats(-90, 90),
            st.floats(-3_000, 3_000),
            st.floats(0, 31),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 20),
)
def test_every_report_lies_inside_a_window_and_the_bound_holds(
    points: list[tuple[float, float, float, float]], most: int
) -> None:
    spots = [spot(*p) for p in points]
    found = windows(spots, PAD, GAP, most=most)
    assert 1 <= len(found) <= most
    assert all(any(holds(w, s) for w in found) for s in spots)
