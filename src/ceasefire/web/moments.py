"""A local time typed in a form, as UTC: a date (and a time, else midnight) in an
agreement's or a regime's time zone, by the domain's one rule (``domain.times.to_utc``).

A time the clocks skipped there is refused beside the time, in the domain's own words; one
they showed twice (moved back) is asked about: the form offers the first and the second,
each with its UTC offset (``Twice``, ``forms.fold`` in the templates), and is posted again
with which (``fold``: ``first`` or ``second``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime, time
from zoneinfo import ZoneInfo

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.times import TWICE, to_utc
from ceasefire.web.context import Page

FOLDS = {"first": 0, "second": 1}  # which of a time the clocks showed twice


def local_moment(
    day: str,
    clock: str,
    zone: str,
    *,
    field: str,
    message: str,
    time_field: str | None = None,
    fold: int | None = None,
) -> datetime:
    """A date (and a time, else midnight) typed in a form in ``zone``, as UTC. A date or
    time that does not parse, or leaves the calendar once made UTC, is ``message`` on
    ``field``; a time the clocks skipped or repeated there keeps the domain's own words, on
    ``time_field`` (default ``field``), unless ``fold`` says which of a repeated one."""
    try:
        moment = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock or "00:00"))
    except ValueError:
        raise InvalidInputError(field, message) from None
    try:
        return to_utc(moment, zone, time_field or field, fold=fold)
    except InvalidInputError:
        if moment.year not in (MINYEAR, MAXYEAR):  # only there can UTC leave the calendar
            raise
        raise InvalidInputError(field, message) from None


def form_moment(
    page: Page,
    day: str,
    clock: str,
    zone: str,
    fold: str,
    *,
    message: str,
    field: str = "date",
    time_field: str = "time",
) -> datetime:
    """A form's date and time inputs (``field``, ``time_field``) in ``zone``, as UTC
    (``local_moment``); a time the clocks showed twice there is ``Twice`` (the form asks
    which) unless the form says which (``fold``)."""
    try:
        return local_moment(
            day,
            clock,
            zone,
            field=field,
            time_field=time_field,
            message=message,
            fold=FOLDS.get(fold),
        )
    except InvalidInputError as error:
        if error.template != TWICE:
            raise
        local = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock or "00:00"))
        when = page.language.datetime(local.replace(tzinfo=ZoneInfo(zone)), zone)
        raise Twice(error.values, page, when, time_field) from None


class Twice(InvalidInputError):
    """A local time the clocks showed twice (they moved back): the form asks which, each
    with its UTC offset (``first``, ``second``); ``when`` is that time as the page writes
    its other times."""

    def __init__(
        self, values: Mapping[str, object], page: Page, when: str, field: str = "time"
    ) -> None:
        reason = page._("%(time)s happened twice here: the clocks moved back. Say which below.")
        super().__init__(field, reason % {"time": when})
        self.first, self.second = str(values["first"]), str(values["second"])


def twice_in(error: CeasefireError | None) -> Twice | None:
    """The form's time the clocks showed twice, if that is one of what is wrong (the error,
    or one of a form's several: ``InvalidInputsError``)."""
    found = [error, *getattr(error, "others", [])]
    return next((e for e in found if isinstance(e, Twice)), None)
