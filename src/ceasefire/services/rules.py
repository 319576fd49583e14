"""What classifying and resolving need from the store, loaded once per transaction:
the regimes (as an index), the actors (by every alias) and the admin areas (by name)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from ceasefire.domain.actors import ActorIndex, normalize_name
from ceasefire.domain.classification import Assessment, RegimeIndex, Subject
from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Report
from ceasefire.domain.incidents import IncidentSummary
from ceasefire.domain.precision import PLACE_LEVEL_PRECISION
from ceasefire.domain.regimes import Place
from ceasefire.store.actors import load_actors, load_mappings, load_places
from ceasefire.store.agreements import load_regimes
from ceasefire.store.incidents import StoredIncident

# an event known only to an admin area: the level of the area to resolve its name at
_AREA_LEVEL = {p: level for level, p in PLACE_LEVEL_PRECISION.items() if level != "settlement"}


@dataclass(slots=True)
class Gazetteer:
    """Admin areas by normalised name and level; a name shared by two areas is settled by
    which of them holds the point."""

    by_name: dict[tuple[str, str], list[Place]]

    @classmethod
    def of(cls, places: Sequence[Place]) -> Gazetteer:
        by_name: dict[tuple[str, str], list[Place]] = {}
        for place in places:
            shapely.prepare(place.geometry)
            for name in (place.name, *place.aliases):
                by_name.setdefault((place.level, normalize_name(name)), []).append(place)
        return cls(by_name)

    def area(self, location: EventLocation) -> BaseGeometry | None:
        level = _AREA_LEVEL.get(location.precision)
        name = location.admin1 if level == "adm1" else location.admin2
        if level is None or not name:
            return None
        candidates = self.by_name.get((level, normalize_name(name)), [])
        point = shapely.Point(location.lon, location.lat)
        for place in candidates:
            if place.geometry.intersects(point):
                return place.geometry
        return candidates[0].geometry if len(candidates) == 1 else None


@dataclass(slots=True)
class Rules:
    regimes: RegimeIndex
    actors: ActorIndex
    gazetteer: Gazetteer
    _resolved: dict[str, tuple[str, float] | None] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection) -> Rules:
        return cls(
            regimes=RegimeIndex(load_regimes(conn)),
            actors=_actors(conn),
            gazetteer=Gazetteer.of(load_places(conn)),
        )

    def resolve_actors(self, report: Report) -> Report:
        """The report with each actor it names resolved to a known actor where one matches,
        with the match's score."""
        found = [self.resolved(a.name) for a in report.actors]
        if all(f is None for f in found) and all(a.actor_id is None for a in report.actors):
            return report  # no known actor, or none named
        mentions = tuple(
            ActorMention(a.name, a.role, f[0] if f else None, f[1] if f else None)
            for a, f in zip(report.actors, found, strict=True)
        )
        return replace(report, actors=mentions)

    def resolved(self, name: str) -> tuple[str, float] | None:
        """The actor a name refers to and the score (remembered: imports repeat the same
        few names)."""
        if name not in self._resolved:
            match = self.actors.resolution(name).match
            self._resolved[name] = None if match is None else (match.actor_id, match.score)
        return self._resolved[name]

    def resolve(self, name: str) -> str | None:
        """The actor a name refers to."""
        found = self.resolved(name)
        return None if found is None else found[0]

    def subject(
        self, time: EventTime, location: EventLocation, actor_ids: frozenset[str]
    ) -> Subject:
        names = tuple(
            (a, actor.name) for a in sorted(actor_ids) if (actor := self.actors.get(a)) is not None
        )
        return Subject(
            time=time,
            location=location,
            actor_ids=actor_ids,
            area=self.gazetteer.area(location),
            actor_names=names,
        )

    def assess_summaries(self, summaries: Sequence[IncidentSummary]) -> Assessment:
        subjects = [self.subject(s.time, s.location, s.actor_ids) for s in summaries]
        return self.regimes.assess(subjects)

    def assess_stored(self, incidents: Sequence[StoredIncident]) -> Assessment:
        subjects = []
        for incident in incidents:
            known = incident.subject()
            subjects.append(self.subject(known.time, known.location, known.actor_ids))
        return self.regimes.assess(subjects)


def _actors(conn: Connection) -> ActorIndex:
    index = ActorIndex.of(load_actors(conn))
    index.map_names(load_mappings(conn))
    return index
