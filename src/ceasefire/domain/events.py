"""Reports: one source's account of an event, with how well its time and place are known."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.times import shown
from ceasefire.domain.words import N_

# the years an event may fall in: wide enough for any record of armed conflict, narrow
# enough that every window and margin computed from a time stays a time
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


# How far after now an event may start. A report is an account of what happened, so an
# event that starts later is a mistyped date (2031 for 2021), refused wherever a report
# comes in; but "now" is the receiving server's clock in UTC, while an event's time is
# the source's. An exact time carries its UTC offset and differs from now only by the
# clocks (minutes); a date-precise time keeps the source's calendar date as UTC midnight,
# and a date where the source is runs ahead of UTC's by up to 14 hours (UTC+14) just
# after its midnight. A day covers both, with hours to spare for a device's clock set
# wrong, and still refuses a wrong day, month or year. The start alone is compared: a
# week, month or year that has begun ends in the future.
AHEAD = timedelta(days=1)
_FUTURE = N_(
    "%(start)s is in the future: an event may start at most one day after now (%(now)s UTC)"
)


def _outside_the_years(first: date, last: date) -> InvalidInputError:
    return InvalidInputError(
        "time",
        f"{first} to {last} is outside the years {EARLIEST.year}-{LATEST.year - 1} "
        "that events are recorded in",
    )


@dataclass(frozen=True, slots=True)
class EventTime:
    """When an event happened, in UTC, as a half-open window ``[start, end)``.

    An exact time has ``start == end``. A date-precise time keeps the source's calendar
    dates as UTC midnights: 2016-02-27 to the day is ``[2016-02-27T00Z, 2016-02-28T00Z)``.
    Such dates are compared with the calendar date of a truce boundary, never as instants,
    because sources rarely say which time zone their dates are in.
    """

    start: datetime
    end: datetime
    precision: TimePrecision
    source_code: str | None = None  # the source's own precision code, e.g. "ucdp:date_prec=1"

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InvalidInputError("time", "start and end must be timezone-aware")
        if self.start < EARLIEST or self.end > LATEST:
            raise _outside_the_years(self.start.date(), self.end.date())
        if self.end < self.start:
            raise InvalidInputError(
                "time", f"end {self.end.isoformat()} is before start {self.start.isoformat()}"
            )
        if self.precision is TimePrecision.EXACT and self.start != self.end:
            raise InvalidInputError("time", "an exact time has no span: start must equal end")
        if self.precision is not TimePrecision.EXACT and self.start == self.end:
            raise InvalidInputError("time", f"a {self.precision} time needs a span of days")

    @classmethod
    def at(cls, instant: datetime, source_code: str | None = None) -> EventTime:
        """An event known to the minute."""
        if instant.tzinfo is None:
            raise InvalidInputError("time", f"{instant.isoformat()} has no time zone")
        try:
            utc = instant.astimezone(UTC)
        except OverflowError:
            raise InvalidInputError("time", f"{instant.isoformat()} is out of range") from None
        return cls(utc, utc, TimePrecision.EXACT, source_code)

    @classmethod
    def dates(
        cls,
        first: date,
        last: date,
        precision: TimePrecision = TimePrecision.DAY,
        source_code: str | None = None,
    ) -> EventTime:
        """An event known only to a calendar date or a range of dates (both inclusive)."""
        if last < first:
            raise InvalidInputError("time", f"end date {last} is before start date {first}")
        if precision is TimePrecision.EXACT:
            raise InvalidInputError("time", "dates cannot have exact precision")
        if last >= LATEST.date():  # the day after it would be past the calendar's end
            raise _outside_the_years(first, last)
        start = datetime.combine(first, time(0), UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), UTC)
        return cls(start, end, precision, source_code)

    @property
    def is_exact(self) -> bool:
        return self.start == self.end  # only an exact time has no span (checked above)

    @property
    def first_date(self) -> date:
        return self.start.date()

    @property
    def last_date(self) -> date:
        """The last calendar date of a date-precise window (inclusive)."""
        if self.is_exact:
            return self.start.date()
        return (self.end - timedelta(microseconds=1)).date()


def check_not_future(time: EventTime, now: datetime, field: str = "time") -> None:
    """Refuse an event that starts more than ``AHEAD`` after ``now`` (aware, the time of
    the check: read once per file by an import), naming ``field``. Applied where reports
    come in (``services.reports_in``, the event file readers), never to stored ones."""
    if time.start > now + AHEAD:
        start = shown(time.start) if time.is_exact else time.first_date.isoformat()
        moment = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        raise InvalidInputError.because(field, _FUTURE, start=start, now=moment)


@dataclass(frozen=True, slots=True)
class EventLocation:
    """Where an event happened: WGS84 coordinates and how far to trust them."""

    lon: float
    lat: float
    precision: LocationPrecision
    source_code: str | None = None  # e.g. "ucdp:where_prec=4", "acled:geo_precision=1"
    place: str | None = None  # the place as the source names it
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None

    def __post_init__(self) -> None:
        if not -180.0 <= self.lon <= 180.0:
            raise InvalidInputError("longitude", f"{self.lon} is outside -180..180")
        if not -90.0 <= self.lat <= 90.0:
            raise InvalidInputError("latitude", f"{self.lat} is outside -90..90")


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor as a report names it; ``actor_id`` once it is resolved to a known actor,
    with the resolution's ``score`` (0 to 1; None: not resolved, or before scores were
    kept)."""

    name: str
    role: str = "actor"  # "side_a", "side_b", "actor1", "assoc_actor_1", ...
    actor_id: str | None = None
    score: float | None = None


MAX_FATALITIES = 10_000_000  # more than any one event: a larger number is a typing error
# a figure below the one before it, by the name of the one before it
_BELOW = {
    "low": N_("%(value)s is below low %(below)s: the range must be low <= best <= high"),
    "best": N_("%(value)s is below best %(below)s: the range must be low <= best <= high"),
}


@dataclass(frozen=True, slots=True)
class Fatalities:
    """Deaths as a low / best / high range (UCDP style; ACLED gives one figure), always
    ordered: low <= best <= high, of the figures given.

    Some sources code a range out of order (UCDP GED 22.1 has 31 Ukrainian events whose
    ``high`` is below ``best``). They are real events and must not be lost, so importers
    keep them with ``holding``, the smallest ordered range that holds every figure given,
    and note the figures as given in the report's attributes (``AS_GIVEN``); a report
    filed by hand with its range out of order is refused, naming the field."""

    low: int | None = None
    best: int | None = None
    high: int | None = None

    def __post_init__(self) -> None:
        figures = [(n, getattr(self, n)) for n in ("low", "best", "high")]
        for name, value in figures:
            if value is not None and value < 0:
                raise InvalidInputError(f"fatalities.{name}", f"{value} is negative")
            if value is not None and value > MAX_FATALITIES:
                raise InvalidInputError(
                    f"fatalities.{name}", f"{value} is more than {MAX_FATALITIES:,}"
                )
        known = [(n, v) for n, v in figures if v is not None]
        for (lower, below), (name, value) in pairwise(known):
            if value < below:
                raise InvalidInputError.because(
                    f"fatalities.{name}", _BELOW[lower], value=value, below=below
                )

    @classmethod
    def holding(cls, low: int | None, best: int | None, high: int | None) -> Fatalities:
        """The smallest ordered range that holds every figure given (the same range when
        they are in order): best as given, low and high widened to hold it."""
        known = [v for v in (low, best, high) if v is not None]
        return cls(
            None if low is None else min(known),
            best,
            None if high is None else max(known),
        )

    def same(self, low: int | None, best: int | None, high: int | None) -> bool:
        return (self.low, self.best, self.high) == (low, best, high)


AS_GIVEN = "fatalities_as_given"  # a report attribute: the source's range, when out of order


def as_given(low: int | None, best: int | None, high: int | None) -> str:
    """The figures as a source gave them, for ``AS_GIVEN``: "low 2, best 5, high 4"."""
    figures = (("low", low), ("best", best), ("high", high))
    return ", ".join(f"{name} {value}" for name, value in figures if value is not None)


@dataclass(frozen=True, slots=True)
class Report:
    """One source's account of an event. ``(source, source_id)`` identifies it for good."""

    source: str
    source_id: str
    time: EventTime
    location: EventLocation
    event_type: str | None = None
    sub_event_type: str | None = None
    actors: tuple[ActorMention, ...] = ()
    fatalities: Fatalities = field(default_factory=Fatalities)
    narrative: str = ""
    citations: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)  # source fields kept as given
    # the agreement whose parties alone may read it (docs/workflow.md, "Who sees what");
    # None: open to every party, as public event data is
    agreement_id: str | None = None

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise InvalidInputError("source", "must not be empty")
        if not self.source_id.strip():
            raise InvalidInputError("source_id", "must not be empty")
