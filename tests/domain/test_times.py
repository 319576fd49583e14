"""Local times are converted once: one that does not exist or happened twice is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.times import to_utc, zone


def test_a_local_time_is_in_the_zone_and_an_offset_is_kept() -> None:
    start = to_utc(datetime(2016, 2, 27), "Asia/Damascus", "start")
    assert start == datetime(2016, 2, 26, 22, tzinfo=UTC)
    given = datetime(2016, 2, 27, tzinfo=timezone(timedelta(hours=3)))
    assert to_utc(given, "Asia/Damascus", "start") == datetime(2016, 2, 26, 21, tzinfo=UTC)


def test_a_time_the_clocks_skipped_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInputError) as raised:
        to_utc(datetime(2015, 3, 29, 3, 30), "Europe/Kyiv", "new_end")
    assert raised.value.field == "new_end"
    assert raised.value.reason.startswith("2015-03-29T03:30 does not exist in Europe/Kyiv")


def test_a_time_that_happened_twice_is_refused_with_both_offsets() -> None:
    with pytest.raises(InvalidInputError) as raised:
        to_utc(datetime(2015, 10, 25, 3, 30), zone("Europe/Kyiv"), "decided")
    assert raised.value.field == "decided"
    assert (
        "happened twice in Europe/Kyiv: the clocks moved back (UTC+03:00 and then UTC+02:00)"
        in (raised.value.reason)
    )


def test_an_unknown_zone_is_named() -> None:
    with pytest.raises(InvalidInputError, match="'Mars/Olympus' is not an IANA time zone"):
        to_utc(datetime(2016, 1, 1), "Mars/Olympus", "time_zone")
