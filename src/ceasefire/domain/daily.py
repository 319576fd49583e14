"""The daily report's rules: which day it covers, as of which cut-off, and in which language.

A day's report covers what happened after the cut-off of the day before and up to the
day's cut-off, in the agreement's time zone: 19:30 by default, as the OSCE monitoring
mission's daily report does. Counts compare the day with the day before; the trend shows
the 30 days up to the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.times import to_utc
from ceasefire.domain.words import N_

DEFAULT_CUTOFF = time(19, 30)
TREND_DAYS = 30
REPORT_LANGUAGES = ("en", "ru", "ar")
REPORT_FORMATS = ("html", "pdf")
_LANGUAGES, _FORMATS = ", ".join(REPORT_LANGUAGES), ", ".join(REPORT_FORMATS)


@dataclass(frozen=True, slots=True)
class Window:
    """The UTC span ``[start, end)`` a day's report covers."""

    day: date
    start: datetime
    end: datetime


def parse_day(text: str, field: str = "date") -> date:
    """A calendar date written YYYY-MM-DD, or an error naming the field."""
    try:
        found = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError.because(
            field, N_("%(text)s is not a date (YYYY-MM-DD)"), text=repr(text)
        ) from None
    if not 1900 <= found.year <= 2199:
        raise InvalidInputError.because(field, N_("%(text)s is outside 1900-2199"), text=repr(text))
    return found


def parse_cutoff(text: str, field: str = "cutoff") -> time:
    """A time of day written HH:MM, or an error naming the field."""
    try:
        found = time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError.because(
            field, N_("%(text)s is not a time of day (HH:MM)"), text=repr(text)
        ) from None
    if found.tzinfo is not None:
        raise InvalidInputError.because(
            field, N_("%(text)s: the cut-off is in the agreement's time zone"), text=repr(text)
        )
    return found


def check_language(code: str, field: str = "lang") -> str:
    if code not in REPORT_LANGUAGES:
        raise InvalidInputError.because(
            field, N_("%(code)s is not one of %(codes)s"), code=repr(code), codes=_LANGUAGES
        )
    return code


def check_format(code: str, field: str = "format") -> str:
    if code not in REPORT_FORMATS:
        raise InvalidInputError.because(
            field, N_("%(code)s is not one of %(codes)s"), code=repr(code), codes=_FORMATS
        )
    return code


def _cut(day: date, cutoff: time, time_zone: str) -> datetime:
    local = datetime.combine(day, cutoff)
    try:
        return to_utc(local, time_zone, "cutoff")
    except InvalidInputError:  # a cut-off the clocks skipped or passed twice: the hour after
        return to_utc(local + timedelta(hours=1), time_zone, "cutoff")


def window(day: date, cutoff: time, time_zone: str) -> Window:
    """What the report of ``day`` covers: from the day before's cut-off to the day's."""
    return Window(
        day, _cut(day - timedelta(days=1), cutoff, time_zone), _cut(day, cutoff, time_zone)
    )


_NOT_YET = N_(
    "The report of %(day)s covers from the day before's cut-off, %(start)s UTC, which has "
    "not come yet: a day's report is issued once its day has begun"
)


def check_begun(span: Window, now: datetime, field: str = "date") -> None:
    """Refuse to issue a report whose window has not begun by ``now``: issued once and
    never again, a report of a day still to come would stand for that day for good. One
    issued within its day is built as of the ledger's checkpoint then, which it names."""
    if span.start > now:
        start = span.start.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        raise InvalidInputError.because(field, _NOT_YET, day=span.day.isoformat(), start=start)


def reach(day: date, cutoff: time) -> tuple[datetime, datetime]:
    """A UTC span ``[start, end)`` that holds the start of every incident the report of
    ``day`` counts (its trend's windows, the day before's and its own), whatever the
    agreement's time zone: the trend's first cut-off and the day's, taken far enough out
    that no zone's offset from UTC moves them past."""
    start = datetime.combine(day - timedelta(days=TREND_DAYS + 1), cutoff, UTC)
    end = datetime.combine(day + timedelta(days=2), cutoff, UTC)
    return start, end


def trend_windows(day: date, cutoff: time, time_zone: str) -> list[Window]:
    """The windows of the ``TREND_DAYS`` days up to and including ``day``, oldest first."""
    return [
        window(day - timedelta(days=n), cutoff, time_zone) for n in range(TREND_DAYS - 1, -1, -1)
    ]
