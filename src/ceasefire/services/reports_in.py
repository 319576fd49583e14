"""A report as the API, the workspace's form and a draft give it: one body, checked by
pydantic (types and sizes), then turned into the domain's report (``report_in``), which
names the field that is wrong. One conversion for every way a report comes in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Fatalities, Report
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.domain.visibility import Default, ScopeChoice


class Strict(BaseModel):
    """A request body: no field it does not declare, and no text that is not text (a lone
    UTF-16 surrogate, which JSON can carry, cannot be stored or signed)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _whole_characters(cls, value: object) -> object:
        if _has_surrogate(value):
            raise ValueError("holds a lone surrogate (\\ud800-\\udfff), which is not a character")
        return value


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


class ActorIn(Strict):
    name: str = Field(min_length=1)
    role: str = "actor"


MAX_FATALITIES = 10_000_000  # more than any one event: a larger number is a typing error


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
    place: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actors: list[ActorIn] = Field(default_factory=list)
    fatalities: FatalitiesIn = FatalitiesIn()
    narrative: str = ""
    citations: list[str] = Field(default_factory=list)
    agreement: Scope = None


def report_in(body: ReportBody) -> Report:
    """The report a request describes, or an error naming the field that is wrong."""
    event_type, sub_event_type = check_event_type(body.event_type, body.sub_event_type)
    if body.time is not None:
        if body.date_start is not None:
            raise InvalidInputError("time", "give either time or date_start, not both")
        if body.time.tzinfo is None:
            raise InvalidInputError("time", f"{body.time.isoformat()} needs a UTC offset")
        time = EventTime.at(body.time)
    elif body.date_start is not None:
        precision = body.time_precision or TimePrecision.DAY
        if precision is TimePrecision.EXACT:
            raise InvalidInputError("time_precision", "'exact' needs time, not dates")
        time = EventTime.dates(body.date_start, body.date_end or body.date_start, precision)
    else:
        raise InvalidInputError("time", "give time (exact) or date_start (and date_end)")
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


def scope_in(body: BaseModel) -> ScopeChoice:
    """The scope a request asks for: its ``agreement`` (null: open), or, left out, the
    default (the author's party's one agreement)."""
    agreement: str | None = getattr(body, "agreement", None)
    return agreement if "agreement" in body.model_fields_set else Default.AGREEMENT
