"""The report form as posted, and its reading into the API's report body: the place by
the map, by coordinates or by a named place; the date, and the time if known, in the
agreement's time zone. A report to file needs the place and the date; a draft may leave
either out (``draft=True``), and what it gives is read as a report's is."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ceasefire.domain.errors import InvalidInputError, InvalidInputsError
from ceasefire.domain.events import EventTime, Fatalities, check_not_future
from ceasefire.services.reports_in import MAX_NARRATIVE, ReportBody
from ceasefire.web.context import Page, as_typed
from ceasefire.web.moments import form_moment
from ceasefire.web.problems import line_error

T = TypeVar("T")
Body = TypeVar("Body", bound=ReportBody)

# an error of the report (named as the API names it) is shown beside this input of the form
LINES = frozenset({"actors", "citations"})  # typed one a line
INPUT_OF = {
    "fatalities.low": "fatalities_low",
    "fatalities.best": "fatalities_best",
    "fatalities.high": "fatalities_high",
    "fatalities": "fatalities_best",
    "date_start": "date",
    "date_end": "date",
    "time_precision": "time",
}


class PlacedForm(BaseModel):
    """The inputs every form that puts something on the map posts — where and when, under
    which agreement — each a string, sized; the form's own inputs come on top."""

    model_config = ConfigDict(populate_by_name=True)

    csrf: str = Field("", max_length=128)
    agreement: str = Field("", max_length=64)
    day: str = Field("", alias="date", max_length=10)
    clock: str = Field("", alias="time", max_length=8)
    lat: str = Field("", max_length=64)
    lon: str = Field("", max_length=64)
    place: str = Field("", max_length=200)
    fold: str = Field("", max_length=8)  # which of a time the clocks showed twice (moments)

    @field_validator("*", mode="before")
    @classmethod
    def _one_character_a_line_break(cls, value: object) -> object:
        """A browser sends each line break of a text area as CR LF, where its ``maxlength``
        counted one character: a narrative of 20,000 characters with its lines was refused
        as longer, and everything typed lost."""
        return as_typed(value) if isinstance(value, str) else value

    def values(self) -> dict[str, str]:
        """The inputs by their names in the page (to show them again)."""
        return self.model_dump(by_alias=True, exclude={"csrf", "action"})


class ReportForm(PlacedForm):
    """The report form as posted: every input a string, sized (checked after, as the
    API's report body). The texts' bounds are twice what the report takes, so that a text
    too long for it (typed past the page's ``maxlength``) is said beside its field, with
    the form as typed, rather than on a page of its own."""

    source: str = Field("", max_length=128)
    source_id: str = Field("", max_length=128)
    location_precision: str = Field("", max_length=16)
    event_type: str = Field("", max_length=64)
    actors: str = Field("", max_length=10_000)
    fatalities_low: str = Field("", max_length=64)
    fatalities_best: str = Field("", max_length=64)
    fatalities_high: str = Field("", max_length=64)
    narrative: str = Field("", max_length=2 * MAX_NARRATIVE)
    citations: str = Field("", max_length=40_000)
    action: str = Field("file", max_length=8)
    version: str = Field("", max_length=64)  # of the draft the form holds, as it opened


BLANK = ReportForm().values()


def number_in(page: Page, form: dict[str, str], name: str) -> float | None:
    """The form's number ``name`` (a decimal comma is read as a point); None if empty."""
    text = form.get(name, "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInputError(name, page._("Give a number.")) from None
    if not math.isfinite(value):
        raise InvalidInputError(name, page._("Give a number."))
    return value


def _count(form: dict[str, str], part: str, page: Page) -> int | None:
    text = form.get(f"fatalities_{part}", "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise InvalidInputError(f"fatalities.{part}", page._("Give a whole number, or nothing."))
    return int(text)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def body_of(
    page: Page, form: dict[str, str], zones: dict[str, str], *, draft: bool = False
) -> tuple[dict[str, Any], list[InvalidInputError]]:
    """The API's report body the form describes, and what is wrong with the form's own
    inputs (each such input left out of the body); a local date and time are read in the
    chosen agreement's time zone (UTC for an open report). A ``draft`` may leave out the
    place (both coordinates) and the date (with no time): they are then not in the body."""
    problems: list[InvalidInputError] = []

    def read(reader: Callable[[], T]) -> T | None:
        try:
            return reader()
        except InvalidInputError as problem:
            problems.append(problem)
            return None

    lat = read(lambda: number_in(page, form, "lat"))
    lon = read(lambda: number_in(page, form, "lon"))
    unplaced = draft and not _given(form, "lat") and not _given(form, "lon")
    for field, value in (("lat", lat), ("lon", lon)):  # each missing one, beside it
        if value is None and not _given(form, field) and not unplaced:
            problems.append(
                InvalidInputError(field, page._("Click the map, or give both coordinates."))
            )
    undated = draft and not _given(form, "date") and not _given(form, "time")
    day = None if undated else read(lambda: _day(page, form))
    agreement = form.get("agreement", "")
    fatalities = {part: read(partial(_count, form, part, page)) for part in PARTS}
    moment = read(lambda: moment_of(page, form, day, zones.get(agreement, "UTC")))
    # the domain's rules on what was read, so that they are named with the rest at once
    # (report_in applies them again to the whole report)
    if not any(p.field.startswith("fatalities") for p in problems):
        read(lambda: Fatalities(**fatalities))
    if day is not None and not any(p.field in ("date", "time") for p in problems):
        when = EventTime.at(datetime.fromisoformat(moment)) if moment else EventTime.dates(day, day)
        read(lambda: check_not_future(when, datetime.now(UTC), "time" if moment else "date"))
    body = _body(form, fatalities)
    if not unplaced:
        body.update(lat=lat, lon=lon)
    if moment is not None:
        body["time"] = moment
    elif day is not None:
        body["date_start"] = day.isoformat()
    return body, problems


def _given(form: Mapping[str, str], name: str) -> bool:
    return bool(form.get(name, "").strip())


def _body(form: Mapping[str, str], fatalities: dict[str, int | None]) -> dict[str, Any]:
    """The body's fields that the form gives as they are typed."""
    return {
        "source": form.get("source", "").strip(),
        "source_id": form.get("source_id", "").strip(),
        "location_precision": form.get("location_precision") or "exact",
        "place": form.get("place") or None,
        "event_type": form.get("event_type") or None,
        "actors": [{"name": name} for name in _lines(form.get("actors", ""))],
        "fatalities": fatalities,
        "narrative": form.get("narrative", ""),
        "citations": _lines(form.get("citations", "")),
        "agreement": form.get("agreement") or None,
    }


PARTS = ("low", "best", "high")


def _day(page: Page, form: dict[str, str]) -> date:
    try:
        return date.fromisoformat(form.get("date", ""))
    except ValueError:
        raise InvalidInputError("date", page._("Give the date.")) from None


def moment_of(page: Page, form: dict[str, str], day: date | None, zone: str) -> str | None:
    """The form's time on its day in ``zone``, as UTC (ISO 8601); None if no time is given
    (or no day to put it on: the day's own error says why)."""
    if not form.get("time"):
        return None
    try:
        clock = time.fromisoformat(form["time"])
    except ValueError:
        raise InvalidInputError("time", page._("Give the time as hours and minutes.")) from None
    if day is None:
        return None
    message = page._("That date is out of range.")
    fold = form.get("fold", "")
    moment = form_moment(page, day.isoformat(), clock.isoformat(), zone, fold, message=message)
    return moment.isoformat()


def checked(
    page: Page,
    body: dict[str, Any],
    problems: Sequence[InvalidInputError] = (),
    *,
    model: type[Body],
) -> Body:
    """The body through the API's own checks (``model``: a report's, or a draft's); every
    wrong field is named, the form's own ``problems`` first (each field once, as the form's
    input: ``InvalidInputsError``), and why in the reader's language."""
    found: dict[str, InvalidInputError] = {}  # by the form's input: the first of each
    for problem in problems:
        found.setdefault(INPUT_OF.get(problem.field, problem.field), problem)
    try:
        valid = model.model_validate(body)
    except ValidationError as error:
        for one in error.errors():
            problem = line_error(page, one, LINES)
            found.setdefault(INPUT_OF.get(problem.field, problem.field), problem)
    if found:
        errors = list(found.values())
        raise errors[0] if len(errors) == 1 else InvalidInputsError(errors)
    return valid
