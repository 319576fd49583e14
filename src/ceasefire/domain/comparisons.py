"""How alike two accounts of an event are: a score from 0 to 1 and the reasons for it.

Correlation compares a report with an incident (``domain.correlation``) on four things,
each scored from 0 (they disagree) to 1 (they agree):

- **place**: the great-circle distance against a tolerance that grows with how precisely
  each is located: ``max_distance_m`` plus half of each one's uncertainty radius
  (``precision.UNCERTAINTY_RADIUS_M``, counted up to 25 km each), so two reports "near"
  a village may lie further apart than two with exact coordinates. The score falls with
  the square of the share of the tolerance used: ``1 - (d / tolerance)**2``. A report
  located no better than its district or oblast counts half: its point is a centroid;
- **time**: the gap between their time windows (0 when they overlap: two reports of the
  same day) against ``max_gap``, likewise ``1 - (gap / max_gap)**2``; a window of more
  than a day (known to the week) counts 0.8;
- **kind**: ACLED's event and sub-event types (``domain.taxonomy``): the same pair 1.0,
  the same type with one sub-event type missing 0.9, the same type with another sub-event
  type 0.7, and so do the two types of armed groups fighting ("Battles" and
  "Explosions/Remote violence": a clash told as shelling), two other types of hostilities
  (either of them and "Violence against civilians") 0.4, anything else 0;
- **actors**: the actors resolved by the actor register (``domain.resolution``), never the
  names as written: the share of the smaller set found in the other (1.0 when one names a
  subset of the other's actors, 0 when they name none in common).

The score is the weighted mean (place 0.35, time 0.25, kind 0.2, actors 0.2) of the parts
both sides know: a missing event type or an account naming no resolved actor neither
counts for nor against. A part that flatly contradicts (unrelated event types, no actor
in common: "us-centre: Syrian Arab Army; ru-centre: Jabhat al-Nusra") multiplies the score
by 0.7 each, so such a pair is at most proposed, never joined unseen. Beyond either
tolerance there is no score at all.

What a score means is set by two thresholds (``Thresholds``), calibrated on re-reported
UCDP GED events by ``benchmarks/correlation.py`` (docs/correlation.md): at ``join_at`` or
above, a report joins the incident automatically; from ``propose_at`` up to it, the pair
is proposed to analysts as a candidate, with its reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from ceasefire.domain.errors import InvalidInputError

EARTH_RADIUS_M = 6_371_008.8
RADIUS_CAP_M = 25_000.0  # the most any one report's location precision widens the tolerance
COARSE_RADIUS_M = 25_000.0  # a report located more coarsely than this counts half in place
_WEEK_S = 86_400.0  # a window longer than a day is known only to the week

WEIGHTS = {"place": 0.35, "time": 0.25, "kind": 0.2, "actors": 0.2}
CONTRADICTION = 0.7  # what a part that flatly disagrees multiplies the score by

HOSTILITIES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# armed groups fighting each other: one exchange of fire is an armed clash to one source and
# shelling to another (UCDP GED codes both as state-based conflict), so these two types
# score as two sub-event types of one type do
FIGHTING = frozenset({"Battles", "Explosions/Remote violence"})

# calibrated by benchmarks/correlation.py (docs/correlation.md)
JOIN_AT = 0.69
PROPOSE_AT = 0.45


@dataclass(frozen=True, slots=True)
class Thresholds:
    """At ``join_at`` or above a report joins an incident; from ``propose_at`` below it the
    pair is a candidate for analysts."""

    join_at: float = JOIN_AT
    propose_at: float = PROPOSE_AT

    def __post_init__(self) -> None:
        if not 0.0 < self.propose_at <= self.join_at <= 1.0:
            raise InvalidInputError(
                "thresholds",
                f"propose_at {self.propose_at} and join_at {self.join_at} must satisfy "
                "0 < propose_at <= join_at <= 1",
            )


class Account(Protocol):
    """What a comparison reads of a report or an incident (``correlation.Footprint``)."""

    @property
    def lon(self) -> float: ...
    @property
    def lat(self) -> float: ...
    @property
    def radius_m(self) -> float: ...  # the location's uncertainty radius
    @property
    def start(self) -> float: ...  # the time window, epoch seconds
    @property
    def end(self) -> float: ...
    @property
    def event_type(self) -> str | None: ...
    @property
    def sub_event_type(self) -> str | None: ...
    @property
    def actor_ids(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class Comparison:
    """The score of a pair and its parts (None: a part neither side can speak to)."""

    score: float
    distance_m: float
    gap_s: float
    place: float
    time: float
    kind: float | None
    actors: float | None


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def distance_tolerance(max_distance_m: float, radius_a: float, radius_b: float) -> float:
    return max_distance_m + 0.5 * (min(radius_a, RADIUS_CAP_M) + min(radius_b, RADIUS_CAP_M))


def kind_similarity(
    type_a: str | None, sub_a: str | None, type_b: str | None, sub_b: str | None
) -> float | None:
    """How alike two ACLED type pairs are (None: either has no event type)."""
    if type_a is None or type_b is None:
        return None
    if type_a == type_b:
        if sub_a is None or sub_b is None:
            return 1.0 if sub_a == sub_b else 0.9
        return 1.0 if sub_a == sub_b else 0.7
    if type_a in FIGHTING and type_b in FIGHTING:
        return 0.7  # a clash told as shelling
    return 0.4 if type_a in HOSTILITIES and type_b in HOSTILITIES else 0.0


def actor_agreement(a: frozenset[str], b: frozenset[str]) -> float | None:
    """The share of the smaller set of resolved actors named by the other (None: either
    names no resolved actor)."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


def compare(a: Account, b: Account, max_distance_m: float, max_gap_s: float) -> Comparison | None:
    """The comparison of two accounts, or None when they are beyond either tolerance."""
    gap = max(a.start - b.end, b.start - a.end, 0.0)
    if gap >= max_gap_s:
        return None
    tolerance = distance_tolerance(max_distance_m, a.radius_m, b.radius_m)
    d = distance_m(a.lon, a.lat, b.lon, b.lat)
    if d > tolerance:
        return None
    place = 1.0 - (d / tolerance) ** 2
    if max(a.radius_m, b.radius_m) > COARSE_RADIUS_M:
        place *= 0.5
    time = 1.0 - (gap / max_gap_s) ** 2
    if max(a.end - a.start, b.end - b.start) > _WEEK_S:
        time *= 0.8
    kind = kind_similarity(a.event_type, a.sub_event_type, b.event_type, b.sub_event_type)
    actors = actor_agreement(a.actor_ids, b.actor_ids)
    total = WEIGHTS["place"] * place + WEIGHTS["time"] * time
    weight = WEIGHTS["place"] + WEIGHTS["time"]
    if kind is not None:
        total += WEIGHTS["kind"] * kind
        weight += WEIGHTS["kind"]
    if actors is not None:
        total += WEIGHTS["actors"] * actors
        weight += WEIGHTS["actors"]
    score = total / weight
    if kind == 0.0:
        score *= CONTRADICTION
    if actors == 0.0:
        score *= CONTRADICTION
    return Comparison(score, d, gap, place, time, kind, actors)


def _distance_words(d: float) -> str:
    return f"{d:.0f} m apart" if d < 1_000 else f"{d / 1000:.1f} km apart"


def _time_words(a: Account, b: Account, gap: float) -> str:
    if gap == 0.0:
        day = 86_400.0
        same_day = math.floor(a.start / day) == math.floor(b.start / day)
        return "same day" if same_day else "overlapping times"
    hours = gap / 3600
    return f"{hours:.0f} h apart" if hours < 48 else f"{hours / 24:.0f} days apart"


def _type_words(a: Account, b: Account) -> str | None:
    if a.event_type is None or b.event_type is None:
        return "event type unknown on one side"
    if (a.event_type, a.sub_event_type) == (b.event_type, b.sub_event_type):
        return f"both '{a.sub_event_type or a.event_type}'"
    return f"'{a.sub_event_type or a.event_type}' vs '{b.sub_event_type or b.event_type}'"


def _actor_words(a: Account, b: Account) -> str:
    if not a.actor_ids or not b.actor_ids:
        return "actors unresolved on one side"
    common = sorted(a.actor_ids & b.actor_ids)
    if not common:
        return f"no actor in common ({', '.join(sorted(a.actor_ids))} vs " + (
            f"{', '.join(sorted(b.actor_ids))})"
        )
    if a.actor_ids == b.actor_ids:
        return f"same actors ({', '.join(common)})"
    return f"actors in common: {', '.join(common)}"


def reasons(a: Account, b: Account, comparison: Comparison) -> str:
    """What an analyst reads of a pair: "3.2 km apart, same day, 'Armed clash' vs
    'Shelling/artillery/missile attack', same actors (dpr, ua-gov)"."""
    parts = [
        _distance_words(comparison.distance_m),
        _time_words(a, b, comparison.gap_s),
        _type_words(a, b),
        _actor_words(a, b),
    ]
    return ", ".join(p for p in parts if p)
