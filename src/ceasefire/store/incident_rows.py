"""An incident as the store holds it (its row, its verdicts) and as the services write it
(``incident_row``): what is derived from its reports, the regimes and its assessments."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ceasefire.domain.classification import (
    Classification,
    Outcome,
    Space,
    Subject,
    Timing,
    Verdict,
)
from ceasefire.domain.events import EventLocation, EventTime
from ceasefire.domain.incidents import IncidentSummary
from ceasefire.domain.precision import LocationPrecision, TimePrecision


@dataclass(frozen=True, slots=True)
class StoredVerdict:
    regime_id: str
    verdict: Verdict
    space: Space
    timing: Timing


@dataclass(frozen=True, slots=True)
class StoredIncident:
    id: int
    time_start: datetime
    time_end: datetime
    time_precision: str
    lon: float
    lat: float
    location_precision: str
    place: str | None
    admin1: str | None
    event_type: str | None
    sub_event_type: str | None
    actor_ids: tuple[str, ...]
    classification: Classification
    verdicts: tuple[StoredVerdict, ...]
    report_count: int
    reasons: tuple[str, ...] = ()  # rendered from the verdicts when read with explain=True
    agreement_id: str | None = None  # the scope of its reports (None: open)
    # the joint finding (domain.workflow.joint_code), when the reader's party is a party of
    # the agreement it was made under (None: not assessed, or not the reader's to see)
    joint: str | None = None
    summary: str | None = None  # the first report's narrative, cut at SUMMARY characters
    admin2: str | None = None
    country: str | None = None
    # each source's claim of who was involved: (source, actor ids)
    claims: tuple[tuple[str, tuple[str, ...]], ...] = ()
    attribution_disputed: bool = False  # its sources disagree on an exclusion
    clipped_to: str | None = None  # the unit its possible area was clipped to
    attributed_actor: str | None = None  # the co-chairs' joint attribution
    sources: str | None = None  # of its reports (sources_text; None: not derived since 0026)

    @property
    def regime_ids(self) -> tuple[str, ...]:
        """The regimes that cover, may cover or exclude it (not those it falls outside)."""
        return tuple(v.regime_id for v in self.verdicts if v.verdict is not Verdict.OUTSIDE)

    def _named(self) -> tuple[str, ...]:
        """The actors its reasons may name: its reports' and the co-chairs' attribution."""
        attributed = (self.attributed_actor,) if self.attributed_actor else ()
        return tuple(dict.fromkeys((*self.actor_ids, *attributed)))

    def subject(self, actor_names: dict[str, str] | None = None) -> Subject:
        """What classification knows of it (without the admin area's geometry)."""
        names = actor_names or {}
        return Subject(
            time=EventTime(self.time_start, self.time_end, TimePrecision(self.time_precision)),
            location=EventLocation(
                self.lon,
                self.lat,
                LocationPrecision(self.location_precision),
                place=self.place,
                admin1=self.admin1,
                admin2=self.admin2,
                country=self.country,
            ),
            actor_ids=frozenset(self.actor_ids),
            actor_names=tuple((a, names[a]) for a in self._named() if a in names),
            event_type=self.event_type,
            claims=tuple((source, frozenset(ids)) for source, ids in self.claims),
            within=self.clipped_to,
            attributed=self.attributed_actor,
        )


def incident_row(summary: IncidentSummary, outcome: Outcome, report_count: int) -> dict[str, Any]:
    return {
        "time_start": summary.time.start,
        "time_end": summary.time.end,
        "time_precision": summary.time.precision.value,
        "lon": summary.location.lon,
        "lat": summary.location.lat,
        "location_precision": summary.location.precision.value,
        "place": summary.location.place,
        "admin1": summary.location.admin1,
        "admin2": summary.location.admin2,
        "country": summary.location.country,
        "event_type": summary.event_type,
        "sub_event_type": summary.sub_event_type,
        "actor_ids": sorted(summary.actor_ids),
        "claims": [[source, sorted(ids)] for source, ids in summary.claims],
        "classification": outcome.classification.value,
        "attribution_disputed": outcome.attribution_disputed,
        "clipped_to": outcome.clipped_to,
        "attributed_actor": outcome.attributed_to,
        "report_count": report_count,
        "agreement_id": summary.agreement_id,
        "sources": sources_text(summary.sources),
    }


def sources_text(sources: Iterable[str]) -> str:
    """An incident's sources as its row keeps them: a sorted JSON array, one text for one
    set, so that an equality says whether an incident has a report of another source."""
    return json.dumps(sorted(set(sources)), ensure_ascii=False, separators=(",", ":"))
