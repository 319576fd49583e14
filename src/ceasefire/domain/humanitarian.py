"""Humanitarian access: besieged and hard-to-reach locations, requests for access to them,
the decision on each request, and the convoys that deliver.

In the talks the Geneva humanitarian task force tracked access to blocked districts. Here:

- a **location** is a point (with an optional gazetteer place and agreement) whose
  **status** is kept over time: each change has the day it holds from, a source and a note;
- a **request** asks for access to a location, by someone (a UN agency, a party, as
  named), on a day, for a number of people and trucks; it is a ``convoy`` (aid goes in) or
  a ``corridor`` (people come out, to a destination);
- its **decision** approves it, approves it in part (with the numbers approved) or denies
  it, which needs a reason; a request not yet decided is ``pending``;
- a **delivery** is one convoy or evacuation under an approved request: the day, people
  reached, trucks and items.

The rules (each error names its field; a service writes nothing when one is broken): no
count is negative; a decision is not dated before its request; a delivery is not dated
before its request nor before the decision that approved it, and a request that is denied
or still pending has no deliveries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TypeVar

from ceasefire.domain.errors import InvalidInputError

E = TypeVar("E", bound=StrEnum)


class LocationStatus(StrEnum):
    BESIEGED = "besieged"
    HARD_TO_REACH = "hard_to_reach"
    ACCESSIBLE = "accessible"


class RequestKind(StrEnum):
    CONVOY = "convoy"  # aid goes in
    CORRIDOR = "corridor"  # people come out, to a destination


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    PARTIALLY_APPROVED = "partially_approved"
    DENIED = "denied"

    @property
    def approves(self) -> bool:
        return self in (Decision.APPROVED, Decision.PARTIALLY_APPROVED)


def choice(kind: type[E], value: str, field: str) -> E:
    """``value`` as one of the enumeration's values, or an error naming ``field``."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise InvalidInputError(field, f"{value!r} is not one of {allowed}") from None


MAX_COUNT = 100_000_000  # people or trucks: more is a typing error, and overflows a column
LOCATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def check_count(field: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise InvalidInputError(field, f"{value} is negative")
    if value is not None and value > MAX_COUNT:
        raise InvalidInputError(field, f"{value} is more than {MAX_COUNT}")


def check_point(lon: float, lat: float, prefix: str = "") -> None:
    if not -180.0 <= lon <= 180.0:
        raise InvalidInputError(f"{prefix}lon", f"{lon} is outside -180..180")
    if not -90.0 <= lat <= 90.0:
        raise InvalidInputError(f"{prefix}lat", f"{lat} is outside -90..90")


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: LocationStatus
    since: date
    source: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    lon: float
    lat: float
    place_id: str | None = None
    agreement_id: str | None = None
    statuses: tuple[StatusChange, ...] = ()  # by ``since``

    def __post_init__(self) -> None:
        if not LOCATION_ID.fullmatch(self.id):
            raise InvalidInputError(
                "id", f"{self.id!r} is not an id (letters, digits, _ . : -; at most 64)"
            )
        if not self.name.strip():
            raise InvalidInputError("name", "a location needs a name")
        check_point(self.lon, self.lat)

    def status_on(self, day: date | None = None) -> StatusChange | None:
        """The status that holds on ``day`` (the latest, without one); None before any."""
        held = [s for s in self.statuses if day is None or s.since <= day]
        return max(held, key=lambda s: s.since) if held else None

    def with_status(self, change: StatusChange) -> Location:
        """The location with a new status from a day; one change a day."""
        if any(s.since == change.since for s in self.statuses):
            raise InvalidInputError(
                "since", f"{self.id} already has a status since {change.since.isoformat()}"
            )
        ordered = tuple(sorted((*self.statuses, change), key=lambda s: s.since))
        return replace(self, statuses=ordered)


@dataclass(frozen=True, slots=True)
class Request:
    id: int
    location_id: str
    kind: RequestKind
    requested_by: str
    requested: date
    people: int | None = None
    trucks: int | None = None
    destination: str | None = None
    destination_lon: float | None = None
    destination_lat: float | None = None
    decision: Decision = Decision.PENDING
    decided: date | None = None
    decided_by: str | None = None
    reason: str = ""
    approved_people: int | None = None
    approved_trucks: int | None = None
    source: str = ""
    source_id: str | None = None
    source_status: str | None = None  # the outcome as an imported source words it
    note: str = ""

    def __post_init__(self) -> None:
        if not self.requested_by.strip():
            raise InvalidInputError("requested_by", "say who requests access")
        check_count("people", self.people)
        check_count("trucks", self.trucks)
        if (self.destination_lon is None) != (self.destination_lat is None):
            raise InvalidInputError("destination_lat", "give both coordinates or neither")
        if self.destination_lon is not None and self.destination_lat is not None:
            check_point(self.destination_lon, self.destination_lat, "destination_")


def decide(
    request: Request,
    decision: Decision,
    *,
    decided: date,
    decided_by: str,
    reason: str = "",
    approved_people: int | None = None,
    approved_trucks: int | None = None,
) -> Request:
    """The request with its decision; the numbers approved default to those requested
    when it is approved in full, and are none when it is denied."""
    if decision is Decision.PENDING:
        raise InvalidInputError("decision", "a decision approves, approves in part or denies")
    if not decided_by.strip():
        raise InvalidInputError("decided_by", "say who decided")
    if decided < request.requested:
        raise InvalidInputError(
            "decided",
            f"{decided.isoformat()} is before request {request.id} "
            f"({request.requested.isoformat()})",
        )
    if request.decided is not None and decided < request.decided:
        raise InvalidInputError(
            "decided",
            f"{decided.isoformat()} is before the decision it replaces "
            f"({request.decided.isoformat()})",
        )
    check_count("approved_people", approved_people)
    check_count("approved_trucks", approved_trucks)
    if decision is Decision.DENIED:
        if not reason.strip():
            raise InvalidInputError("reason", "a denial needs its reason")
        approved_people = approved_trucks = None
    elif decision is Decision.APPROVED:
        approved_people = request.people if approved_people is None else approved_people
        approved_trucks = request.trucks if approved_trucks is None else approved_trucks
    elif approved_people is None and approved_trucks is None:
        raise InvalidInputError(
            "approved_people", "a partial approval says how many people or trucks it approves"
        )
    for field, approved, asked in (
        ("approved_people", approved_people, request.people),
        ("approved_trucks", approved_trucks, request.trucks),
    ):
        if approved is not None and asked is not None and approved > asked:
            raise InvalidInputError(field, f"{approved} is more than requested ({asked})")
    return replace(
        request,
        decision=decision,
        decided=decided,
        decided_by=decided_by,
        reason=reason,
        approved_people=approved_people,
        approved_trucks=approved_trucks,
    )


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    request_id: int
    delivered: date
    people_reached: int | None = None  # None: not known
    trucks: int | None = None
    items: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        check_count("people_reached", self.people_reached)
        check_count("trucks", self.trucks)


def check_delivery(request: Request, delivery: Delivery) -> None:
    """A delivery needs its request approved (in full or in part), on or before its day."""
    if request.decision is Decision.DENIED:
        raise InvalidInputError(
            "request_id",
            f"request {request.id} was denied ({request.reason}): nothing is delivered",
        )
    if request.decision is Decision.PENDING:
        raise InvalidInputError("request_id", f"request {request.id} is not approved yet")
    if delivery.delivered < request.requested:
        raise InvalidInputError(
            "delivered",
            f"{delivery.delivered.isoformat()} is before request {request.id} "
            f"({request.requested.isoformat()})",
        )
    if request.decided is not None and delivery.delivered < request.decided:
        raise InvalidInputError(
            "delivered",
            f"{delivery.delivered.isoformat()} is before request {request.id} was approved "
            f"({request.decided.isoformat()})",
        )


@dataclass(frozen=True, slots=True)
class LocationSummary:
    """One location over a period: its status at the period's end, its requests made and
    deliveries done in the period, and its latest delivery up to the end."""

    location: Location
    status: StatusChange | None
    requests: int
    approved: int  # in full or in part
    denied: int
    pending: int
    deliveries: int
    people_reached: int  # the sum of the deliveries that say
    deliveries_without_count: int  # deliveries that do not say how many people
    last_delivery: date | None


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def summarise(
    locations: Iterable[Location],
    requests: Sequence[Request],
    deliveries: Sequence[Delivery],
    *,
    start: date | None = None,
    end: date | None = None,
) -> list[LocationSummary]:
    """Each location over ``start``..``end`` (both days included; None: unbounded)."""
    if start is not None and end is not None and end < start:
        raise InvalidInputError("to", f"{end.isoformat()} is before {start.isoformat()}")
    found = []
    for location in locations:
        mine = [r for r in requests if r.location_id == location.id]
        made = [r for r in mine if _within(r.requested, start, end)]
        ids = {r.id for r in mine}
        done = [d for d in deliveries if d.request_id in ids]
        during = [d for d in done if _within(d.delivered, start, end)]
        before_end = [d.delivered for d in done if end is None or d.delivered <= end]
        found.append(
            LocationSummary(
                location=location,
                status=location.status_on(end),
                requests=len(made),
                approved=sum(r.decision.approves for r in made),
                denied=sum(r.decision is Decision.DENIED for r in made),
                pending=sum(r.decision is Decision.PENDING for r in made),
                deliveries=len(during),
                people_reached=sum(d.people_reached or 0 for d in during),
                deliveries_without_count=sum(d.people_reached is None for d in during),
                last_delivery=max(before_end) if before_end else None,
            )
        )
    return found
