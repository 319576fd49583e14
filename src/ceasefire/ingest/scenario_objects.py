"""A scenario's parties, actors, agreements and regimes, made from their specs.

Each is checked against the rest of the scenario: ids are unique, co-chairs and members
are parties of it, excluded actors are actors of it, a regime's area is a place of it
or a geometry, and its times, local to the agreement's time zone, are in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import shapely
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.actors import Actor, Affiliation, normalize_name
from ceasefire.domain.designations import DesignationList
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Agreement, Extension, Party, Place, Regime
from ceasefire.domain.taxonomy import HOSTILITIES, check_hostilities
from ceasefire.domain.times import shown, to_utc
from ceasefire.ingest.scenario_errors import check_unique
from ceasefire.ingest.scenario_geometry import checked_area, geojson_geometry, read_json
from ceasefire.ingest.scenario_specs import (
    ActorSpec,
    AgreementSpec,
    DesignationListSpec,
    PartySpec,
    RegimeSpec,
)


def read_parties(specs: Sequence[PartySpec]) -> tuple[Party, ...]:
    """The parties, each id given once."""
    check_unique([(f"parties[{i}].id", s.id) for i, s in enumerate(specs)])
    return tuple(Party(s.id, s.name, s.kind) for s in specs)


def read_lists(
    specs: Sequence[DesignationListSpec], party_ids: set[str]
) -> tuple[DesignationList, ...]:
    """The designation lists: ids given once, members parties of this scenario."""
    check_unique([(f"designation_lists[{i}].id", s.id) for i, s in enumerate(specs)])
    found = []
    for i, s in enumerate(specs):
        for j, member in enumerate(s.members):
            if member not in party_ids:
                raise InvalidInputError(
                    f"designation_lists[{i}].members[{j}]",
                    f"{member!r} is not a party of this scenario",
                )
        try:
            found.append(DesignationList(s.id, s.name, tuple(s.members), s.description))
        except InvalidInputError as error:
            raise InvalidInputError(f"designation_lists[{i}].{error.field}", error.reason) from None
    return tuple(found)


def read_actors(specs: Sequence[ActorSpec]) -> tuple[Actor, ...]:
    """The actors: ids given once, related actors known, no name or alias naming two
    actors."""
    check_unique([(f"actors[{i}].id", s.id) for i, s in enumerate(specs)])
    ids = {s.id for s in specs}
    holder: dict[str, str] = {}
    actors = []
    for i, s in enumerate(specs):
        if s.parent is not None and s.parent not in ids:
            raise InvalidInputError(
                f"actors[{i}].parent", f"{s.parent!r} is not an actor of this scenario"
            )
        affiliations = []
        if s.parent is not None:
            affiliations.append(Affiliation("part_of", s.parent))
        for j, a in enumerate(s.affiliations):
            where = f"actors[{i}].affiliations[{j}]"
            if a.actor not in ids:
                raise InvalidInputError(
                    f"{where}.actor", f"{a.actor!r} is not an actor of this scenario"
                )
            try:
                affiliations.append(Affiliation(a.relation, a.actor, a.since, a.until))
            except InvalidInputError as error:
                raise InvalidInputError(f"{where}.{error.field}", error.reason) from None
        named = [(f"actors[{i}].name", s.name)]
        named += [(f"actors[{i}].aliases[{j}]", a) for j, a in enumerate(s.aliases)]
        for where, text in named:
            key = normalize_name(text)
            if holder.setdefault(key, s.id) != s.id:
                raise InvalidInputError(where, f"{text!r} already names actor {holder[key]!r}")
        actors.append(
            Actor(
                s.id,
                s.name,
                tuple(s.aliases),
                s.kind,
                un_reference=s.un_reference,
                un_listed_on=s.un_listed_on,
                references=tuple((r.system, r.name) for r in s.references),
                affiliations=tuple(affiliations),
            )
        )
    return tuple(actors)


@dataclass(slots=True)
class ScenarioContext:
    """What agreements and regimes are checked against: the ids and places read before."""

    base_dir: Path
    party_ids: set[str]
    actor_ids: set[str]
    places: tuple[Place, ...]
    list_ids: set[str] = field(default_factory=set)
    _index: dict[str, list[Place]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for place in self.places:
            for text in (place.id, place.name, *place.aliases):
                hits = self._index.setdefault(normalize_name(text), [])
                if all(hit.id != place.id for hit in hits):
                    hits.append(place)

    def find(self, name: str) -> list[Place]:
        return self._index.get(normalize_name(name), [])

    def known(self) -> str:
        names = sorted({p.name for p in self.places})
        return ", ".join(names[:20]) + (f", ... ({len(names)} in all)" if len(names) > 20 else "")


def read_agreement(spec: AgreementSpec, where: str, context: ScenarioContext) -> Agreement:
    """An agreement, its co-chairs and members parties of the scenario, each listed once."""
    for key, ids in (("co_chairs", spec.co_chairs), ("members", spec.members)):
        for j, party_id in enumerate(ids):
            if party_id not in context.party_ids:
                raise InvalidInputError(
                    f"{where}.{key}[{j}]", f"{party_id!r} is not a party of this scenario"
                )
            if party_id in ids[:j] or (key == "members" and party_id in spec.co_chairs):
                raise InvalidInputError(f"{where}.{key}[{j}]", f"{party_id!r} is listed twice")
    zone = ZoneInfo(spec.time_zone)
    signed = to_utc(spec.signed, zone, f"{where}.signed") if spec.signed is not None else None
    hostilities = (
        HOSTILITIES
        if spec.hostilities is None
        else check_hostilities(spec.hostilities, f"{where}.hostilities")
    )
    return Agreement(
        spec.id,
        spec.name,
        spec.time_zone,
        signed,
        tuple(spec.co_chairs),
        tuple(spec.members),
        spec.description,
        spec.source,
        hostilities,
    )


def read_regime(
    spec: RegimeSpec, where: str, agreement: Agreement, context: ScenarioContext
) -> Regime:
    """A regime of ``agreement``: its times in UTC, its area, its exclusions and extensions."""
    zone = ZoneInfo(agreement.time_zone)
    start = to_utc(spec.start, zone, f"{where}.start")
    end = to_utc(spec.end, zone, f"{where}.end") if spec.end is not None else None
    if end is not None and end <= start:
        raise InvalidInputError(
            f"{where}.end", f"{shown(spec.end)} is not after start {shown(spec.start)}"
        )
    for j, actor_id in enumerate(spec.excluded_actors):
        if actor_id not in context.actor_ids:
            raise InvalidInputError(
                f"{where}.excluded_actors[{j}]", f"{actor_id!r} is not an actor of this scenario"
            )
    if spec.exclusion_list is not None and spec.exclusion_list not in context.list_ids:
        raise InvalidInputError(
            f"{where}.exclusion_list",
            f"{spec.exclusion_list!r} is not a designation list of this scenario",
        )
    extensions = _extensions(spec, where, start, zone)
    geometry, area_name = _area(spec, where, context)
    try:
        regime = Regime(
            id=spec.id,
            agreement_id=agreement.id,
            name=spec.name,
            geometry=geometry,
            start=start,
            end=end,
            time_zone=agreement.time_zone,
            excluded_actor_ids=frozenset(spec.excluded_actors),
            area_name=area_name,
            description=spec.description,
            exclusion_list=spec.exclusion_list,
            exclusion_rule=spec.exclusion_rule,
            hostilities=frozenset(agreement.hostilities),
            exclusion_follows=tuple(sorted(set(spec.exclusion_follows))),
        )
    except InvalidInputError as exc:  # a rule of the domain that the checks above missed
        raise InvalidInputError(where, exc.message) from None
    for j, extension in enumerate(extensions):  # each must move the end later
        try:
            regime = regime.extended(extension)
        except InvalidInputError as exc:
            raise InvalidInputError(f"{where}.extensions[{j}].{exc.field}", exc.reason) from None
    return regime


def _extensions(
    spec: RegimeSpec, where: str, start: datetime, zone: ZoneInfo
) -> tuple[Extension, ...]:
    extensions: list[Extension] = []
    for j, ext in enumerate(spec.extensions):
        at = f"{where}.extensions[{j}]"
        new_end = to_utc(ext.new_end, zone, f"{at}.new_end") if ext.new_end is not None else None
        if new_end is not None and new_end <= start:
            raise InvalidInputError(
                f"{at}.new_end",
                f"{shown(ext.new_end)} is not after start {shown(spec.start)}",
            )
        decided = to_utc(ext.decided, zone, f"{at}.decided") if ext.decided is not None else None
        earlier = [e.decided for e in extensions if e.decided is not None]
        if decided is not None and earlier and decided < earlier[-1]:
            raise InvalidInputError(
                f"{at}.decided", "is before the previous extension's (list them in order)"
            )
        extensions.append(Extension(new_end, decided, ext.note))
    return tuple(extensions)


def _area(
    spec: RegimeSpec, where: str, context: ScenarioContext
) -> tuple[BaseGeometry, str | None]:
    """The regime's geometry and, for an admin area or country, the name it came from."""
    if spec.geometry is not None:
        geometry = geojson_geometry(spec.geometry, f"{where}.geometry")
        return checked_area(geometry, f"{where}.geometry"), None
    if spec.geometry_file is not None:
        at = f"{where}.geometry_file"
        data = read_json(context.base_dir, spec.geometry_file, at)
        return checked_area(geojson_geometry(data, at, repr(spec.geometry_file)), at), None
    if spec.country is not None:
        return _country_area(spec.country, f"{where}.country", context), spec.country
    assert spec.admin_area is not None  # RegimeSpec checks that one area key is given
    places = _admin_areas(spec.admin_area, f"{where}.admin_area", context)
    union = shapely.union_all([p.geometry for p in places])
    return checked_area(union, f"{where}.admin_area"), ", ".join(p.name for p in places)


def _country_area(country: str, where: str, context: ScenarioContext) -> BaseGeometry:
    """The country's own outline where the scenario has one, else its adm1 places'."""
    key = normalize_name(country)
    outline = [p for p in context.places if p.level == "country" and normalize_name(p.name) == key]
    if len(outline) == 1:
        return checked_area(outline[0].geometry, where)
    adm1 = [p for p in context.places if p.level == "adm1"]
    found = [p for p in adm1 if normalize_name(p.country or "") == normalize_name(country)]
    if not found:
        known = ", ".join(sorted({p.country for p in adm1 if p.country})) or "none"
        raise InvalidInputError(
            where, f"{country!r} is not the country of adm1 places of this scenario ({known})"
        )
    return checked_area(shapely.union_all([p.geometry for p in found]), where)


def _admin_areas(names: str | tuple[str, ...], where: str, context: ScenarioContext) -> list[Place]:
    chosen: list[Place] = []
    for j, area in enumerate((names,) if isinstance(names, str) else names):
        at = where if isinstance(names, str) else f"{where}[{j}]"
        hits = context.find(area)
        if not hits:
            raise InvalidInputError(
                at, f"{area!r} is not a place of this scenario (known: {context.known()})"
            )
        if len(hits) > 1:
            ids = ", ".join(p.id for p in hits)
            raise InvalidInputError(at, f"{area!r} names several places ({ids}); use an id")
        chosen.append(hits[0])
    return chosen
