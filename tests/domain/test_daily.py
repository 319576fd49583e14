"""The daily report's rules: the span a snapshot for a day's report reads holds every
window the report counts, in any time zone."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import available_timezones

from hypothesis import given
from hypothesis import strategies as st

from ceasefire.domain.daily import reach, trend_windows

ZONES = sorted(available_timezones())


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    cutoff=st.times(),
    zone=st.sampled_from(ZONES),
)
def test_the_reach_of_a_days_report_holds_its_trends_windows_in_any_zone(
    day: date, cutoff: time, zone: str
) -> None:
    start, end = reach(day, cutoff)
    windows = trend_windows(day, cutoff, zone)
    assert start <= windows[0].start and windows[-1].end <= end
