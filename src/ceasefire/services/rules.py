"""What classifying and resolving need from the store, loaded once per transaction:
the regimes (as an index), the actors (by every alias) and the admin areas (by name)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from ceasefire.domain.actors import ActorIndex, normalize_name
from ceasefire.domain.classification import Assessment, RegimeIndex, Subject
from ceasefire.domain.events import ActorMention, EventLocation, Report
from ceasefire.domain.incidents import IncidentSummary
from ceasefire.domain.precision import PLACE_LEVEL_PRECISION, LocationPrecision
from ceasefire.domain.regimes import Place
from ceasefire.store.actors import load_actors, load_mappings, load_places
from ceasefire.store.agreements import load_regimes
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.ledger import latest_of_kinds

# an event known only to an admin area: the level of the area to resolve its name at
_AREA_LEVEL = {p: level for level, p in PLACE_LEVEL_PRECISION.items() if level != "settlement"}
_SLACK_DEGREES = 0.01
# imports name the same few admin units on every row: normalise each name once
_key = lru_cache(maxsize=4096)(normalize_name)
# a point needs no clipping; an event over water is not on the land a unit outlines
_UNCLIPPED = (LocationPrecision.EXACT, LocationPrecision.WATER)


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
        place = self._named(level, name, shapely.Point(location.lon, location.lat))
        return None if place is None else place.geometry

    def _named(self, level: str, name: str, point: shapely.Point) -> Place | None:
        candidates = self.by_name.get((level, _key(name)), [])
        for place in candidates:
            if place.geometry.intersects(point):
                return place
        return candidates[0] if len(candidates) == 1 else None

    def bounds(self, location: EventLocation) -> Place | None:
        """The finest unit the source also names (admin2, admin1, country) that holds the
        point, to clip the area its precision allows to; None where none is known."""
        point = shapely.Point(location.lon, location.lat)
        for level, name in (
            ("adm2", location.admin2),
            ("adm1", location.admin1),
            ("country", location.country),
        ):
            if not name:
                continue
            place = self._named(level, name, point)
            # coordinates on a coast may fall just off a simplified outline: ~1 km of slack
            if place is not None and place.geometry.dwithin(point, _SLACK_DEGREES):
                return place
        return None


# the entries that change what classification and actor resolution read
RULE_KINDS = tuple(
    f"{record}.{change}"
    for record in (
        "agreement",
        "regime",
        "actor",
        "place",
        "designation_list",
        "designation",
        "accession",
        "name_mapping",
        "control_area",
    )
    for change in ("created", "updated", "extended", "ended", "migrated", "recorded")
)


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
            actors=actor_index(conn),
            gazetteer=Gazetteer.of(load_places(conn)),
        )

    def resolve_actors(self, report: Report) -> Report:
        """The report with each actor it names resolved to a known actor where one matches,
        with the match's score."""
        mentions = self.resolve_mentions(report.actors)
        return report if mentions is report.actors else replace(report, actors=mentions)

    def resolve_mentions(self, actors: tuple[ActorMention, ...]) -> tuple[ActorMention, ...]:
        """These mentions, each resolved to a known actor where one matches, with the
        match's score (the same tuple where none is named, and none resolves or was)."""
        found = [self.resolved(a.name) for a in actors]
        if all(f is None for f in found) and all(a.actor_id is None for a in actors):
            return actors  # no known actor, or none named
        return tuple(
            ActorMention(a.name, a.role, f[0] if f else None, f[1] if f else None)
            for a, f in zip(actors, found, strict=True)
        )

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

    def subject(self, known: Subject) -> Subject:
        """What classification needs of an incident: what it knows, with the actors'
        names, its admin area, and the unit its possible area is clipped to."""
        named = known.actor_ids | ({known.attributed} if known.attributed else set())
        names = tuple(
            (a, actor.name) for a in sorted(named) if (actor := self.actors.get(a)) is not None
        )
        area = self.gazetteer.area(known.location)
        bounds = (
            None
            if area is not None or known.location.precision in _UNCLIPPED
            else self.gazetteer.bounds(known.location)
        )
        return replace(
            known,
            area=area,
            actor_names=names,
            bounds=None if bounds is None else bounds.geometry,
            within=None if bounds is None else bounds.name,
        )

    def assess_summaries(
        self,
        summaries: Sequence[IncidentSummary],
        attributed: Sequence[str | None] | None = None,
    ) -> Assessment:
        """Classify incidents from their summaries (with the actor the co-chairs' joint
        finding attributes each to, where it does)."""
        subjects = [
            self.subject(
                Subject(
                    s.time,
                    s.location,
                    s.actor_ids,
                    event_type=s.event_type,
                    claims=s.claims,
                    attributed=a,
                )
            )
            for s, a in zip(summaries, attributed or [None] * len(summaries), strict=True)
        ]
        return self.regimes.assess(subjects)

    def assess_stored(self, incidents: Sequence[StoredIncident]) -> Assessment:
        return self.regimes.assess([self.subject(i.subject()) for i in incidents])


def actor_index(conn: Connection) -> ActorIndex:
    """Every actor by every name it goes by, with the names analysts mapped to one."""
    index = ActorIndex.of(load_actors(conn))
    index.map_names(load_mappings(conn))
    return index


class CurrentRules:
    """The rules as a transaction reads them, loaded again only when an entry has changed
    them since the last load (in this process or another): for the ledger's writes, and
    for bulk work in turns, between which other writes may change them."""

    def __init__(self) -> None:
        self._cached: tuple[int, Rules] | None = None

    def __call__(self, conn: Connection, version: int | None = None) -> Rules:
        """``version``: the latest rule-changing entry's sequence, when the caller knows it."""
        if version is None:
            version = latest_of_kinds(conn, RULE_KINDS)
        if self._cached is None or self._cached[0] != version:
            self._cached = (version, Rules.load(conn))
        return self._cached[1]

    @property
    def last(self) -> Rules | None:
        """The rules as last loaded, without asking whether they changed since."""
        return None if self._cached is None else self._cached[1]
