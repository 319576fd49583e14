"""Calendar dates as event files write them, and the month-or-day-first question.

Accepted forms (any time of day after the date is read and ignored: the columns hold dates):

- ISO: ``2015-01-31``, ``2015-01-31 00:00:00.000``, ``2015-01-31T00:00:00``;
- slashes: ``01/31/2015 00:00``, ``1/31/2015 12:00:00 AM``, ``31/01/2015 00:00:00``;
- month names: ``31 January 2015``, ``31 Jan 2015``, ``31-Jan-2015``.

A slash date such as ``05/02/2014`` reads as 2 May or 5 February. Each file is taken to
write all its slash dates one way, decided by :class:`SlashDates`: the first slash date in
the file's date columns with a number above 12 decides (``1/22/2014`` is month-first,
``22/01/2014`` day-first); if no date in the file decides, the format's default holds
(UCDP GED: month-first, as the UCDP API and US spreadsheets write; ACLED: day-first, as
ACLED exports write). A later date that contradicts the file's order is a row error.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Generator
from contextlib import closing
from datetime import date, timedelta
from enum import StrEnum

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import TimePrecision

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME)
_NAMED = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})" + _TIME)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBERS = {name: n for n, full in enumerate(_MONTHS, 1) for name in (full, full[:3])}


class DateOrder(StrEnum):
    """How a file writes its slash dates."""

    MONTH_FIRST = "month-first"
    DAY_FIRST = "day-first"


def deciding_order(value: str) -> DateOrder | None:
    """The order a slash date proves (a number above 12 can only be a day), or None."""
    found = _SLASH.fullmatch(value.strip())
    if found is None:
        return None
    first, second = int(found.group(1)), int(found.group(2))
    if first > 12 >= second:
        return DateOrder.DAY_FIRST
    if second > 12 >= first:
        return DateOrder.MONTH_FIRST
    return None


class SlashDates:
    """The order of one file's slash dates, decided once, when the first one is read.

    ``values`` yields ``(row, value)`` for the file's date columns from its start; it is
    read only until a deciding date, and only if the file has slash dates at all.
    """

    def __init__(
        self, default: DateOrder, values: Callable[[], Generator[tuple[int, str], None, None]]
    ) -> None:
        self.default = default
        self._values = values
        self._order: DateOrder | None = None
        self._evidence = ""

    @property
    def order(self) -> DateOrder:
        if self._order is None:
            self._order, self._evidence = self._decide()
        return self._order

    @property
    def evidence(self) -> str:
        """Why the file's order is what it is, in words."""
        _ = self.order
        return self._evidence

    def _decide(self) -> tuple[DateOrder, str]:
        with closing(self._values()) as values:
            for row, value in values:
                order = deciding_order(value)
                if order is not None:
                    return order, f"the file writes dates {order}, as {value!r} in row {row} shows"
        return self.default, f"no date in the file decides, so they are read {self.default}"


def parse_date(value: str, field: str, slash: SlashDates) -> date:
    """The calendar date ``value`` writes, or an InvalidInputError naming ``field``."""
    text = value.strip()
    if not text:
        raise InvalidInputError(field, "is empty")
    try:
        if found := _ISO.fullmatch(text):
            year, month, day = (int(g) for g in found.groups())
        elif found := _SLASH.fullmatch(text):
            year, month, day = _slash_parts(found, slash.order)
        elif (found := _NAMED.fullmatch(text)) and found.group(2).lower() in _MONTH_NUMBERS:
            day, year = int(found.group(1)), int(found.group(3))
            month = _MONTH_NUMBERS[found.group(2).lower()]
        else:
            raise InvalidInputError(field, f"{value!r} is not a date")
        return date(year, month, day)
    except ValueError:
        if _SLASH.fullmatch(text):
            raise InvalidInputError(field, f"{value!r} is not a date: {slash.evidence}") from None
        raise InvalidInputError(field, f"{value!r} is not a date") from None


def _slash_parts(found: re.Match[str], order: DateOrder) -> tuple[int, int, int]:
    first, second, year = (int(g) for g in found.groups())
    if order is DateOrder.MONTH_FIRST:
        return year, first, second
    return year, second, first


def span_around(day: date, precision: TimePrecision) -> tuple[date, date]:
    """The first and last dates of the span a source codes at ``day``: the day itself, the
    seven days centred on it, its calendar month or its calendar year."""
    if precision is TimePrecision.WEEK:
        return day - timedelta(days=3), day + timedelta(days=3)
    if precision is TimePrecision.MONTH:
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision is TimePrecision.YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day
