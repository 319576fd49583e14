"""Fatalities: always low <= best <= high; a range out of order is refused, or widened.
An event may start at most a day after now."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import AHEAD, EventTime, Fatalities, check_not_future
from ceasefire.domain.precision import TimePrecision


@pytest.mark.parametrize(
    ("low", "best", "high", "field"),
    [
        (5, 2, 1, "fatalities.best"),
        (None, 5, 1, "fatalities.high"),
        (3, None, 2, "fatalities.high"),
        (1, 4, 3, "fatalities.high"),
    ],
)
def test_a_range_out_of_order_is_refused_naming_the_field(
    low: int | None, best: int | None, high: int | None, field: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        Fatalities(low, best, high)
    assert raised.value.field == field
    assert "the range must be low <= best <= high" in raised.value.reason


def test_a_range_in_order_or_partly_known_is_kept() -> None:
    assert Fatalities(1, 1, 1) == Fatalities(1, 1, 1)
    assert Fatalities(None, 3, None).best == 3 and Fatalities(2, None, 9).high == 9


def test_holding_gives_the_smallest_ordered_range_that_holds_every_figure() -> None:
    assert Fatalities.holding(5, 2, 1) == Fatalities(1, 2, 5)
    assert Fatalities.holding(2, 5, 4) == Fatalities(2, 5, 5)
    assert Fatalities.holding(None, 5, 4) == Fatalities(None, 5, 5)
    assert Fatalities.holding(1, 2, 3) == Fatalities(1, 2, 3)
    assert Fatalities.holding(2, 5, 4).same(2, 5, 5) and not Fatalities.holding(2, 5, 4).same(
        2, 5, 4
    )


NOW = datetime(2016, 3, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time", "said"),
    [
        (EventTime.dates(date(2031, 1, 1), date(2031, 1, 1)), "2031-01-01 is in the future"),
        (EventTime.dates(date(2016, 3, 3), date(2016, 3, 3)), "2016-03-03 is in the future"),
        (EventTime.at(NOW + AHEAD + timedelta(minutes=1)), "2016-03-02T10:01+00:00 is in"),
    ],
)
def test_an_event_starting_more_than_a_day_after_now_is_refused_naming_the_field(
    time: EventTime, said: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        check_not_future(time, NOW, "date_start")
    assert raised.value.field == "date_start"
    assert raised.value.reason.startswith(said)
    assert raised.value.reason.endswith("at most one day after now (2016-03-01 10:00 UTC)")
    assert raised.value.template is not None  # a catalogue message: pages translate it
    assert raised.value.values["now"] == "2016-03-01 10:00"


def test_an_event_up_to_a_day_ahead_is_kept_for_the_clocks_and_time_zones() -> None:
    check_not_future(EventTime.at(NOW), NOW)
    check_not_future(EventTime.at(NOW + AHEAD), NOW)
    # 10:00 UTC is midnight on Kiribati (UTC+14): its date, tomorrow's, is today there
    check_not_future(EventTime.dates(date(2016, 3, 2), date(2016, 3, 2)), NOW)
    # a month that has begun ends in the future: only the start is compared
    month = EventTime.dates(date(2016, 3, 1), date(2016, 3, 31), TimePrecision.MONTH)
    check_not_future(month, NOW)
    # and a time with another offset is compared as the instant it is
    check_not_future(EventTime.at(datetime.fromisoformat("2016-03-02T23:59+14:00")), NOW)
