"""A report as the API, the workspace's form and a draft give it: one body, checked by
pydantic (types and sizes), then turned into the domain's report (``report_in``), which
names the field that is wrong (an event that starts in the future among them: the
domain's ``check_not_future``, which the event file readers apply too). One conversion
for every way a report comes in.

A draft is a report still being written (``DraftBody``): it may leave out what a monitor
does not know yet — where and when — and what it does give is checked by the same rules
(``draft_in``); filing it needs everything a report needs (``to_file``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ceasefire.domain.errors import InvalidInputError, InvalidInputsError
from ceasefire.domain.events import (
    MAX_FATALITIES,
    ActorMention,
    EventLocation,
    EventTime,
    Fatalities,
    Report,
    check_not_future,
)
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.domain.visibility import Default, ScopeChoice
from ceasefire.domain.words import N_


class Strict(BaseModel):
    """A request body: no field it does not declare, no text that is not text (a lone
    UTF-16 surrogate, which JSON can carry, cannot be stored or signed), and no value
    silently turned into another type: ``true`` is not a number, ``"3"`` is not a count,
    ``12345`` is not a time (pydantic would read it as seconds since 1970)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_coercion(cls, value: object, info: ValidationInfo) -> object:
        field = cls.model_fields.get(info.field_name or "")
        expected = _scalar_types(field.annotation) if field is not None else set()
        if isinstance(value, bool):
            if bool not in expected and expected & {int, float}:
                raise ValueError("is true or false, not a number")
        elif isinstance(value, int | float):
            if expected & {datetime, date} and not expected & {int, float}:
                raise ValueError("is a number, not a date or time (write it as text: 2016-02-27)")
        elif isinstance(value, str) and expected & {int, float} and str not in expected:
            raise ValueError("is text, not a number")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _whole_characters(cls, value: object) -> object:
        if _has_surrogate(value):
            raise ValueError("holds a lone surrogate (\\ud800-\\udfff), which is not a character")
        return value


def _scalar_types(annotation: object) -> set[object]:
    """The plain types an annotation admits (``float | None`` -> {float, NoneType})."""
    if get_origin(annotation) is Annotated:
        return _scalar_types(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        found: set[object] = set()
        for arg in get_args(annotation):
            found |= _scalar_types(arg)
        return found
    return {annotation}


def _has_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list | tuple):
        return any(_has_surrogate(v) for v in value)
    return False


Scope = Annotated[
    str | None,
    Field(
        max_length=64,
        description="The agreement whose parties alone may read it; null: every party. "
        "Left out: your party's agreement, if it is a party of just one.",
    ),
]


# sizes no real report reaches, stated in the OpenAPI (maxLength, maxItems)
MAX_NAME = 300
MAX_NARRATIVE = 20_000
MAX_ACTORS = 50
MAX_CITATIONS = 50
MAX_CITATION = 2_000


class ActorIn(Strict):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    role: str = Field(default="actor", min_length=1, max_length=32)


class FatalitiesIn(Strict):
    low: int | None = Field(default=None, ge=0, le=MAX_FATALITIES)
    best: int | None = Field(default=None, ge=0, le=MAX_FATALITIES)
    high: int | None = Field(default=None, ge=0, le=MAX_FATALITIES)


class ReportBody(Strict):
    source: str = Field(min_length=1, max_length=64)
    source_id: str = Field(min_length=1, max_length=128)
    time: datetime | None = Field(default=None, description="Exact time, with its offset.")
    date_start: date | None = Field(
        default=None, description="First date, when no exact time is known."
    )
    date_end: date | None = Field(default=None, description="Last date (defaults to date_start).")
    time_precision: TimePrecision | None = None
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    location_precision: LocationPrecision = LocationPrecision.EXACT
    place: str | None = Field(default=None, max_length=MAX_NAME)
    admin1: str | None = Field(default=None, max_length=MAX_NAME)
    admin2: str | None = Field(default=None, max_length=MAX_NAME)
    country: str | None = Field(default=None, max_length=MAX_NAME)
    event_type: str | None = Field(default=None, max_length=100)
    sub_event_type: str | None = Field(default=None, max_length=100)
    actors: list[ActorIn] = Field(default_factory=list, max_length=MAX_ACTORS)
    fatalities: FatalitiesIn = FatalitiesIn()
    narrative: str = Field(default="", max_length=MAX_NARRATIVE)
    citations: list[Annotated[str, Field(max_length=MAX_CITATION)]] = Field(
        default_factory=list, max_length=MAX_CITATIONS
    )
    agreement: Scope = None


def report_in(body: ReportBody, now: datetime | None = None) -> Report:
    """The report a request describes, or an error naming the field that is wrong; its
    event may start at most a day after ``now`` (default: the clock's time)."""
    event_type, sub_event_type = check_event_type(body.event_type, body.sub_event_type)
    time = _time_in(body)
    check_not_future(time, now or datetime.now(UTC), "time" if time.is_exact else "date_start")
    return Report(
        source=body.source,
        source_id=body.source_id,
        time=time,
        location=EventLocation(
            lon=body.lon,
            lat=body.lat,
            precision=body.location_precision,
            place=body.place,
            admin1=body.admin1,
            admin2=body.admin2,
            country=body.country,
        ),
        event_type=event_type,
        sub_event_type=sub_event_type,
        actors=tuple(ActorMention(a.name, a.role) for a in body.actors),
        fatalities=Fatalities(body.fatalities.low, body.fatalities.best, body.fatalities.high),
        narrative=body.narrative,
        citations=tuple(body.citations),
    )


def _time_in(body: ReportBody) -> EventTime:
    """When the body says the event happened: at ``time`` (exact), or on ``date_start``
    (to ``date_end``)."""
    if body.time is not None:
        if body.date_start is not None:
            raise InvalidInputError("time", "give either time or date_start, not both")
        if body.time.tzinfo is None:
            raise InvalidInputError("time", f"{body.time.isoformat()} needs a UTC offset")
        return EventTime.at(body.time)
    if body.date_start is not None:
        precision = body.time_precision or TimePrecision.DAY
        if precision is TimePrecision.EXACT:
            raise InvalidInputError("time_precision", "'exact' needs time, not dates")
        return EventTime.dates(body.date_start, body.date_end or body.date_start, precision)
    raise InvalidInputError("time", "give time (exact) or date_start (and date_end)")


def scope_in(body: BaseModel) -> ScopeChoice:
    """The scope a request asks for: its ``agreement`` (null: open), or, left out, the
    default (the author's party's one agreement)."""
    agreement: str | None = getattr(body, "agreement", None)
    return agreement if "agreement" in body.model_fields_set else Default.AGREEMENT


class DraftBody(ReportBody):
    """A report still being written, as a monitor keeps it before knowing everything: the
    place (``lon`` and ``lat``: both, or neither) and the time (``time``, or ``date_start``
    and ``date_end``) may be left out, as ``event_type``, the actors, the fatalities and
    the narrative may in any report. What identifies it — ``source`` and ``source_id`` —
    it gives, as a report does."""

    lon: float | None = Field(default=None, ge=-180, le=180)  # type: ignore[assignment]
    lat: float | None = Field(default=None, ge=-90, le=90)  # type: ignore[assignment]


_HALF_PLACE = N_("Give it with %(given)s, or leave out both.")
_NO_START = N_("A last date needs a first date (date_start).")


def draft_in(body: DraftBody, now: datetime | None = None) -> None:
    """Check what a draft gives as ``report_in`` checks a report — the event type, a place
    given whole, a time with its offset and not in the future, fatalities in order —
    raising an error that names the field; what it leaves out is named when it is filed."""
    check_event_type(body.event_type, body.sub_event_type)
    if (body.lon is None) != (body.lat is None):
        absent, given = ("lat", "lon") if body.lat is None else ("lon", "lat")
        raise InvalidInputError.because(absent, _HALF_PLACE, given=given)
    if body.time is not None or body.date_start is not None:
        time = _time_in(body)
        check_not_future(time, now or datetime.now(UTC), "time" if time.is_exact else "date_start")
    elif body.date_end is not None:
        raise InvalidInputError.because("date_start", _NO_START)
    Fatalities(body.fatalities.low, body.fatalities.best, body.fatalities.high)


def draft_json(body: DraftBody) -> dict[str, Any]:
    """The draft as it is kept: the body as JSON, with what it leaves out of the place left
    out (so that what it gives is a report's body, less what is missing), and an agreement
    it leaves out left out (the default applies when it is filed)."""
    unsaid = {"signed", *(() if "agreement" in body.model_fields_set else ("agreement",))}
    unsaid |= {name for name in ("lon", "lat") if getattr(body, name) is None}
    return body.model_dump(mode="json", exclude=unsaid)


_NEEDED = N_("A report needs it to be filed, and the draft leaves it out.")
_NO_TIME = N_("A report needs its time or its date to be filed, and the draft gives neither.")


def still_needed(body: Mapping[str, Any]) -> list[str]:
    """What a kept draft leaves out that filing it needs: ``lon``, ``lat``, ``time`` (the
    time or the date), in that order; none, for a draft that is ready."""
    missing = [name for name in ("lon", "lat") if body.get(name) is None]
    if body.get("time") is None and body.get("date_start") is None:
        missing.append("time")
    return missing


def to_file(body: Mapping[str, Any]) -> ReportBody:
    """A kept draft as the report to file, or one error naming each field it still leaves
    out (then the report's own checks, as for any report)."""
    missing = still_needed(body)
    if missing:
        raise InvalidInputsError(
            [
                InvalidInputError.because(name, _NO_TIME if name == "time" else _NEEDED)
                for name in missing
            ]
        )
    return ReportBody.model_validate(body)
