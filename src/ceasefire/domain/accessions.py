"""Accession: an armed group or a settlement joining a regime (or leaving it) on a date,
through a channel, with evidence.

"More than 90 settlements have declared that they joined the truce regime" through the
Russian reconciliation centre at Hmeymim: each such declaration is an accession. A subject
(an actor, or a settlement of the gazetteer) has a history per regime: joins and leaves in
date order, never a leave before its join, nor two joins or two leaves in a row. Who had
joined on a day, and how many over time, follow from the histories.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.times import zone

NEAR_SETTLEMENT_M = 5_000.0  # an incident this close to a settlement is "in" it
_EARTH_RADIUS_M = 6_371_008.8


class Change(StrEnum):
    JOINED = "joined"
    LEFT = "left"


def change_of(value: str, field: str = "change") -> Change:
    try:
        return Change(value.strip().casefold())
    except ValueError:
        raise InvalidInputError(field, f"{value!r} is not 'joined' or 'left'") from None


@dataclass(frozen=True, slots=True)
class Accession:
    regime_id: str
    change: Change
    day: date
    channel: str
    evidence: str = ""
    actor_id: str | None = None
    place_id: str | None = None

    def __post_init__(self) -> None:
        if (self.actor_id is None) == (self.place_id is None):
            raise InvalidInputError(
                "subject", "an accession is of one actor or one settlement, not both or neither"
            )
        if not self.channel.strip():
            raise InvalidInputError("channel", "is empty: say through whom it was declared")

    @property
    def subject(self) -> str:
        return f"actor {self.actor_id}" if self.actor_id else f"settlement {self.place_id}"


@dataclass(frozen=True, slots=True)
class AccessionRow:
    """One accession as given (a CSV row, an API body): its subject by name."""

    number: int
    regime_id: str
    change: Change
    day: date
    channel: str
    evidence: str = ""
    actor: str | None = None  # an actor's id or name
    settlement: str | None = None  # a settlement's place id or name
    lon: float | None = None  # with lat: where the settlement is, when it is new
    lat: float | None = None

    def __post_init__(self) -> None:
        if (self.actor is None) == (self.settlement is None):
            raise InvalidInputError(
                "actor", "name an actor or a settlement (one of them, not both)"
            )
        if (self.lon is None) != (self.lat is None):
            raise InvalidInputError("lat", "give both lon and lat, or neither")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise InvalidInputError("lon", f"{self.lon} is outside -180..180")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise InvalidInputError("lat", f"{self.lat} is outside -90..90")
        if self.actor is not None and self.lon is not None:
            raise InvalidInputError("lon", "an actor's accession has no place")


def check_history(accessions: Sequence[Accession], regime_start: date | None = None) -> None:
    """One subject's accessions to one regime, in the order recorded: dates in order, a
    join before any leave, no two joins or leaves in a row, nothing before the regime."""
    previous: Accession | None = None
    for accession in sorted(accessions, key=lambda a: a.day):
        if regime_start is not None and accession.day < regime_start:
            raise InvalidInputError(
                "date",
                f"{accession.subject} {accession.change.value} on {accession.day}, before "
                f"regime {accession.regime_id} started ({regime_start})",
            )
        if previous is None and accession.change is Change.LEFT:
            raise InvalidInputError(
                "change",
                f"{accession.subject} left regime {accession.regime_id} on {accession.day} "
                "without having joined it",
            )
        if previous is not None and previous.change is accession.change:
            raise InvalidInputError(
                "change",
                f"{accession.subject} {accession.change.value} regime {accession.regime_id} "
                f"on {accession.day}, but had already {previous.change.value} it on "
                f"{previous.day}",
            )
        previous = accession


def joined_on(accessions: Iterable[Accession], day: date) -> dict[str, Accession]:
    """The subjects in the regime on ``day``, each with the accession that brought it in."""
    latest: dict[str, Accession] = {}
    for accession in sorted(accessions, key=lambda a: a.day):
        if accession.day <= day:
            latest[accession.subject] = accession
    return {s: a for s, a in latest.items() if a.change is Change.JOINED}


def dated_after(accessions: Iterable[Accession], end: datetime | None, time_zone: str) -> int:
    """How many accessions are dated after a regime stopped holding at ``end`` (None: it
    has not): a day counts once it begins, in the regime's zone, at or after the end."""
    if end is None:
        return 0
    local = zone(time_zone)
    return sum(datetime.combine(a.day, time(0), local) >= end for a in accessions)


CALENDAR_DAYS = (date.max - date.min).days


def counts_over_time(
    accessions: Sequence[Accession], start: date, end: date, step_days: int = 7
) -> list[tuple[date, int, int]]:
    """(day, settlements in, actors in) every ``step_days`` from start to end."""
    if step_days < 1:
        raise InvalidInputError("step", "must be at least one day")
    if step_days > CALENDAR_DAYS:
        raise InvalidInputError("step", f"{step_days} days is longer than the calendar")
    found = []
    day = start
    while day <= end:
        joined = joined_on(accessions, day).values()
        found.append(
            (
                day,
                sum(a.place_id is not None for a in joined),
                sum(a.actor_id is not None for a in joined),
            )
        )
        if (date.max - day).days < step_days:  # the calendar ends before the next step
            break
        day += timedelta(days=step_days)
    return found


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(h))


@dataclass(frozen=True, slots=True)
class Settlement:
    place_id: str
    name: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class Accessions:
    """A regime's accessions, as classification's reasons need them."""

    items: tuple[Accession, ...] = ()
    settlements: tuple[Settlement, ...] = ()
    actor_names: tuple[tuple[str, str], ...] = ()

    def joined(
        self, actor_ids: Iterable[str], lon: float, lat: float, day: date
    ) -> list[tuple[str, Accession]]:
        """The incident's actors that had joined on its day, and the settlements it lies
        in (within ``NEAR_SETTLEMENT_M``) that had: (name, accession)."""
        if not self.items:
            return []
        inside = joined_on(self.items, day)
        names = dict(self.actor_names)
        found = []
        for actor_id in sorted(actor_ids):
            accession = inside.get(f"actor {actor_id}")
            if accession is not None:
                found.append((names.get(actor_id, actor_id), accession))
        for settlement in self.settlements:
            accession = inside.get(f"settlement {settlement.place_id}")
            if accession is not None and (
                distance_m(lon, lat, settlement.lon, settlement.lat) <= NEAR_SETTLEMENT_M
            ):
                found.append((settlement.name, accession))
        return found
