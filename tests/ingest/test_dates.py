from __future__ import annotations

from collections.abc import Generator
from datetime import date

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import TimePrecision
from ceasefire.ingest.dates import DateOrder, SlashDates, deciding_order, parse_date, span_around


def slash_dates(*values: str, default: DateOrder = DateOrder.MONTH_FIRST) -> SlashDates:
    def scan() -> Generator[tuple[int, str], None, None]:
        yield from enumerate(values, 1)

    return SlashDates(default, scan)


@pytest.mark.parametrize(
    "value",
    [
        "2015-01-31",
        "2015-01-31 00:00:00.000",
        "2015-01-31T00:00:00",
        "2015-01-31T00:00:00+02:00",
        "01/31/2015 00:00",
        "1/31/2015 12:00:00 AM",
        "31 January 2015",
        "31 Jan 2015",
        "31-Jan-2015",
        " 2015-01-31 ",
    ],
)
def test_the_date_forms_users_meet_all_read_as_the_same_day(value: str) -> None:
    assert parse_date(value, "date_start", slash_dates("1/31/2015")) == date(2015, 1, 31)


def test_day_first_slash_dates_read_day_first() -> None:
    slash = slash_dates("31/01/2015 00:00", default=DateOrder.MONTH_FIRST)

    assert parse_date("05/02/2015 00:00", "event_date", slash) == date(2015, 2, 5)


def test_the_first_date_above_twelve_decides_the_files_order() -> None:
    slash = slash_dates("05/02/2014 00:00", "1/22/2014 12:00:00 AM", "22/01/2014")

    assert slash.order is DateOrder.MONTH_FIRST
    assert "'1/22/2014 12:00:00 AM' in row 2" in slash.evidence


def test_a_file_where_no_date_decides_takes_the_formats_default() -> None:
    slash = slash_dates("05/02/2014", "01/03/2014", default=DateOrder.DAY_FIRST)

    assert parse_date("05/02/2014", "event_date", slash) == date(2014, 2, 5)
    assert "no date in the file decides" in slash.evidence


def test_the_files_dates_are_scanned_only_when_a_slash_date_is_read() -> None:
    scans: list[int] = []

    def scan() -> Generator[tuple[int, str], None, None]:
        scans.append(1)
        yield 1, "2015-01-01"

    slash = SlashDates(DateOrder.DAY_FIRST, scan)
    parse_date("2015-01-01", "date_start", slash)

    assert scans == []


def test_a_slash_date_against_the_files_order_names_the_evidence() -> None:
    slash = slash_dates("1/22/2014 12:00:00 AM")

    with pytest.raises(InvalidInputError) as raised:
        parse_date("13/01/2015 00:00", "date_start", slash)

    assert raised.value.field == "date_start"
    assert raised.value.reason == (
        "'13/01/2015 00:00' is not a date: the file writes dates month-first, "
        "as '1/22/2014 12:00:00 AM' in row 1 shows"
    )


@pytest.mark.parametrize(
    "value", ["2015-13-01", "2015-02-30", "yesterday", "2015/01/01", "1 Foo 2015"]
)
def test_a_value_that_is_no_date_names_the_value(value: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_date(value, "date_start", slash_dates())

    assert raised.value.reason == f"{value!r} is not a date"


def test_an_empty_date_is_empty() -> None:
    with pytest.raises(InvalidInputError, match="date_end: is empty"):
        parse_date("  ", "date_end", slash_dates())


@pytest.mark.parametrize(
    ("value", "order"),
    [("1/22/2014", DateOrder.MONTH_FIRST), ("22/1/2014", DateOrder.DAY_FIRST), ("5/2/2014", None)],
)
def test_only_a_number_above_twelve_decides_the_order(value: str, order: DateOrder | None) -> None:
    assert deciding_order(value) is order


@pytest.mark.parametrize(
    ("precision", "first", "last"),
    [
        (TimePrecision.DAY, date(2021, 2, 15), date(2021, 2, 15)),
        (TimePrecision.WEEK, date(2021, 2, 12), date(2021, 2, 18)),
        (TimePrecision.MONTH, date(2021, 2, 1), date(2021, 2, 28)),
        (TimePrecision.YEAR, date(2021, 1, 1), date(2021, 12, 31)),
    ],
)
def test_a_coded_day_widens_to_its_precisions_span(
    precision: TimePrecision, first: date, last: date
) -> None:
    assert span_around(date(2021, 2, 15), precision) == (first, last)
