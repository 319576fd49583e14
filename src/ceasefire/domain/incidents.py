"""Incidents: reports judged to describe the same event, summarised for the map."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import EventLocation, EventTime, Report
from ceasefire.domain.precision import LOCATION_ORDER, TIME_ORDER

# The version of the rules that derive an incident (its summary, classification, claims and
# verdicts) from its reports; raised with a migration whenever they derive otherwise
# (services.derivations). 1: up to migration 0023; 2 (0024): the day rule, event types an
# agreement does not prohibit, claims per source, possible areas clipped to the units their
# sources name; 3 (0026): each incident's sources; 4 (0029): groups connected with an
# excluded one found nearest first (the order of affiliation rows could leave one out)
RULES_VERSION = 4


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    """What an incident says as a whole; each report keeps its own claims."""

    time: EventTime
    location: EventLocation
    event_type: str | None
    sub_event_type: str | None
    actor_ids: frozenset[str]
    sources: frozenset[str]
    agreement_id: str | None = None  # the scope its reports share (None: open)
    # each source's claim: the resolved actors its reports name, by source (sorted)
    claims: tuple[tuple[str, frozenset[str]], ...] = ()


def summarize(reports: Sequence[Report]) -> IncidentSummary:
    """The incident's time and place come from its most precise reports; its type is the
    one most reports give; its actors are all the resolved actors any report names, and
    each source's claim (the actors its reports name) is kept apart."""
    if not reports:
        raise InvalidInputError("reports", "an incident needs at least one report")
    best_time = min(reports, key=lambda r: (TIME_ORDER.index(r.time.precision), r.time.start))
    best_place = min(reports, key=lambda r: LOCATION_ORDER.index(r.location.precision))
    types = Counter(
        (r.event_type, r.sub_event_type) for r in reports if r.event_type is not None
    ).most_common(1)
    event_type, sub_event_type = types[0][0] if types else (None, None)
    actor_ids = frozenset(a.actor_id for r in reports for a in r.actors if a.actor_id)
    claimed: dict[str, set[str]] = {}
    for r in reports:
        claimed.setdefault(r.source, set()).update(a.actor_id for a in r.actors if a.actor_id)
    scopes = {r.agreement_id for r in reports}
    if len(scopes) > 1:
        names = ", ".join(sorted(s or "open" for s in scopes))
        raise InvalidInputError(
            "reports", f"an incident's reports must share one scope, not several ({names})"
        )
    return IncidentSummary(
        time=best_time.time,
        location=best_place.location,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor_ids=actor_ids,
        sources=frozenset(r.source for r in reports),
        agreement_id=scopes.pop(),
        claims=tuple((source, frozenset(ids)) for source, ids in sorted(claimed.items()) if ids),
    )


def fatalities_of(reports: Sequence[Report]) -> tuple[int | None, int | None, int | None]:
    """Deaths in the incident as one low / best / high range from its reports' claims: low
    the smallest figure any report gives, high the largest, best the median of the reports'
    best figures (the lower middle one of an even count), each None when no report gives a
    figure. Every report keeps its own claim; this range is what a table of incidents shows."""
    figures = [n for r in reports for n in (r.fatalities.low, r.fatalities.best, r.fatalities.high)]
    given = sorted(n for n in figures if n is not None)
    bests = sorted(r.fatalities.best for r in reports if r.fatalities.best is not None)
    best = bests[(len(bests) - 1) // 2] if bests else None
    return (given[0], best, given[-1]) if given else (None, None, None)
