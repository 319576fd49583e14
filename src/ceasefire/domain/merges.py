"""Which incidents an analyst may merge into one.

**One scope.** Incidents are merged only when their reports share one scope
(``visibility``: the agreement whose parties alone read them, or open): a merge never mixes
what some parties may read with what they may not, nor moves one agreement's findings
under another. No confirmation lifts this.

**Near, unless confirmed.** Correlation compares two accounts only within its tolerances
(``correlation.CorrelationSettings``: ``max_distance_m``, widened by both places'
precisions as ``comparisons.distance_tolerance`` widens it, and ``max_gap``). Analysts
merge by hand what it misses: a report placed at the district town, a date a day or two
out, an account known only to the month. Those lie a few tolerances apart, not an order of
magnitude. Two incidents are **far apart** when more than ``FAR_DISTANCE_FACTOR`` (10)
times the pair's place tolerance lies between their places (100 km for two exact places at
the default 10 km; at most 350 km for two places known only to their province), or more
than ``FAR_GAP_FACTOR`` (7) times ``max_gap`` between their times (a week at the default
day, the widest window correlation still compares: an account known to the week). Such a
pair is more likely an id mistyped than one event, so it is merged only when the analyst
confirms it (``confirmed``), having seen both incidents, their places and dates, and how
far apart they are.

A merge of several incidents is judged incident by incident against the one they merge
into (the smallest id): every pair of them then lies within twice the bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ceasefire.domain.comparisons import distance_m, distance_tolerance
from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import UNCERTAINTY_RADIUS_M, LocationPrecision, TimePrecision
from ceasefire.domain.words import N_, Term

FAR_DISTANCE_FACTOR = 10.0  # times the place tolerance correlation gives the pair
FAR_GAP_FACTOR = 7  # times correlation's max_gap (a week at its default day)
CONFIRM_FAR = "confirm_far"  # the API's field that confirms a far merge
FIELD = "incident_ids"
OPEN = N_("open")  # the scope of an open incident, as a refusal names it


@dataclass(frozen=True, slots=True)
class Side:
    """What the rules read of an incident to merge."""

    id: int
    agreement_id: str | None  # its scope (None: open)
    lon: float
    lat: float
    location_precision: LocationPrecision
    start: datetime
    end: datetime  # exclusive
    time_precision: TimePrecision
    place: str | None = None  # its place's name, if known

    @property
    def radius_m(self) -> float:
        return UNCERTAINTY_RADIUS_M[self.location_precision]

    @property
    def where(self) -> str:
        """Its place's name, else its coordinates (latitude, longitude)."""
        return self.place or f"{self.lat:.4f}, {self.lon:.4f}"

    @property
    def dates(self) -> str:
        """Its date (ISO 8601), or its first and last dates when it spans several days."""
        first, last = self.start.date(), (self.end - timedelta(microseconds=1)).date()
        return first.isoformat() if last <= first else f"{first.isoformat()}/{last.isoformat()}"


@dataclass(frozen=True, slots=True)
class Apart:
    """How far an incident (``other``) lies from the one it would merge into (``into``),
    and from how far on the two count as far apart."""

    into: Side
    other: Side
    distance_m: float
    gap: timedelta  # between their time windows (0: they overlap or touch)
    far_m: float
    far_gap: timedelta

    @property
    def far(self) -> bool:
        return self.distance_m > self.far_m or self.gap > self.far_gap

    @property
    def km(self) -> int:
        return round(self.distance_m / 1000)

    @property
    def days(self) -> int:
        """Whole days between their times (16 and 29 February: the 12 days from the 17th
        to the 28th)."""
        return self.gap // timedelta(days=1)


class FarApartError(InvalidInputError):
    """A merge of incidents far apart that the analyst did not confirm; ``apart`` is the
    first such pair, for a page to ask about."""

    def __init__(self, apart: Apart) -> None:
        template = N_(
            "incidents %(first)s (%(first_place)s, %(first_date)s) and %(second)s "
            "(%(second_place)s, %(second_date)s) are far apart (%(distance)s km; days "
            "between them: %(days)s): confirm the merge if they are one event"
        )
        a, b = apart.into, apart.other
        values = {
            "first": a.id,
            "first_place": a.where,
            "first_date": a.dates,
            "second": b.id,
            "second_place": b.where,
            "second_date": b.dates,
            "distance": apart.km,
            "days": apart.days,
        }
        super().__init__(CONFIRM_FAR, template % values, template=template, values=values)
        self.apart = apart


def apart(into: Side, other: Side, settings: CorrelationSettings) -> Apart:
    """How far ``other`` lies from ``into``, and what counts as far for these two."""
    gap = max(other.start - into.end, into.start - other.end, timedelta(0))
    tolerance = distance_tolerance(settings.max_distance_m, into.radius_m, other.radius_m)
    return Apart(
        into,
        other,
        distance_m(into.lon, into.lat, other.lon, other.lat),
        gap,
        FAR_DISTANCE_FACTOR * tolerance,
        FAR_GAP_FACTOR * settings.max_gap,
    )


def check_merge(
    sides: Sequence[Side], settings: CorrelationSettings, *, confirmed: bool = False
) -> list[Apart]:
    """Refuse a merge of incidents of different scopes (naming two of them and their
    scopes), and one of incidents far apart unless ``confirmed`` (``FarApartError``,
    naming the first far pair); the far pairs, each incident against the one they merge
    into (the smallest id)."""
    if not sides:
        return []
    into, *others = sorted(sides, key=lambda s: s.id)
    stranger = next((s for s in others if s.agreement_id != into.agreement_id), None)
    if stranger is not None:
        raise InvalidInputError.because(
            FIELD,
            N_(
                "incidents %(first)s (%(first_scope)s) and %(second)s (%(second_scope)s) "
                "are of different scopes: incidents under different agreements, or under "
                "one and open, are never merged"
            ),
            first=into.id,
            first_scope=into.agreement_id or Term(OPEN),
            second=stranger.id,
            second_scope=stranger.agreement_id or Term(OPEN),
        )
    far = [found for s in others if (found := apart(into, s, settings)).far]
    if far and not confirmed:
        raise FarApartError(far[0])
    return far
