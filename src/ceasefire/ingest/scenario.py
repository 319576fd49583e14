"""Scenario files: a task force's parties, actors, places, agreements and regimes in YAML.

The format is described in ``docs/scenario.md`` and, as JSON Schema, in
``docs/scenario.schema.json`` (generated from the models here by ``scenario_json_schema``).
Every error names the key path it comes from, e.g.
``agreements[0].regimes[2].end: '2016-13-01' is not a date``.

Times are local times in the agreement's time zone (a date alone is 00:00) and are stored
as aware UTC; a time written with an offset (``+03:00``, ``Z``) keeps that offset. Nothing
is repaired silently, except that an invalid boundary polygon of a places file goes through
``shapely.make_valid`` (boundary files often carry self-touching rings); regime geometries
written in the scenario or its geometry files must be valid as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shapely
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.actors import Actor, normalize_name
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Agreement, Extension, Party, Place, Regime
from ceasefire.domain.scenarios import Scenario
from ceasefire.domain.times import shown, to_utc

__all__ = ["load_scenario_file", "parse_scenario", "scenario_json_schema"]

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
_AREA_KEYS = ("geometry", "geometry_file", "admin_area", "country")


def _local_time(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    if isinstance(value, str) and re.fullmatch(_TIME_PATTERN, value.strip()):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date", "{value} is not a date", {"value": _shown(value)})


def _area_names(value: object) -> str | tuple[str, ...]:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise PydanticCustomError(
        "names", "{value} is not a place name or a list of them", {"value": _shown(value)}
    )


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone", "{value} is not an IANA time zone", {"value": repr(name)}
        ) from None
    return name


Id = Annotated[str, StringConstraints(pattern=_ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TimeZone = Annotated[str, AfterValidator(_time_zone)]
LocalTime = Annotated[
    datetime,
    PlainValidator(_local_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _TIME_PATTERN,
            "description": "A date (00:00) or date and time, local to the agreement's "
            "time zone unless it carries an offset.",
        }
    ),
]
AdminArea = Annotated[
    str | tuple[str, ...],
    PlainValidator(_area_names),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            ],
            "description": "Name, alias or id of a place of this scenario, or a list of them.",
        }
    ),
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartySpec(_Spec):
    id: Id
    name: Text
    kind: Literal["state", "un_office", "monitoring_mission", "member_state"] = "state"


class ActorSpec(_Spec):
    id: Id
    name: Text
    kind: Text | None = None
    aliases: tuple[Text, ...] = ()
    parent: Id | None = Field(None, description="Id of the actor this one is part of.")


class PlacesSpec(_Spec):
    file: Text = Field(description="GeoJSON FeatureCollection, relative to the scenario file.")
    level: Literal["adm1", "adm2", "settlement"]
    country: Text | None = None
    name_property: Text
    id_property: Text | None = Field(None, description="Property giving the place id.")
    alias_properties: tuple[Text, ...] = ()


class ExtensionSpec(_Spec):
    new_end: LocalTime | None = Field(description="The new end; null = made indefinite.")
    decided: LocalTime | None = None
    note: str = ""


class RegimeSpec(_Spec):
    id: Id
    name: Text
    description: str = ""
    geometry: dict[str, object] | None = Field(
        None, description="GeoJSON geometry, Feature or FeatureCollection (their union)."
    )
    geometry_file: Text | None = Field(None, description="GeoJSON file, relative path.")
    admin_area: AdminArea | None = None
    country: Text | None = Field(None, description="Union of the country's adm1 places.")
    start: LocalTime
    end: LocalTime | None = Field(None, description="null or absent = open-ended.")
    excluded_actors: tuple[Id, ...] = ()
    extensions: tuple[ExtensionSpec, ...] = ()

    @model_validator(mode="after")
    def _one_area(self) -> RegimeSpec:
        given = [key for key in _AREA_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "area",
                "needs exactly one of geometry, geometry_file, admin_area, country "
                "(found: {found})",
                {"found": ", ".join(given) or "none"},
            )
        return self


class AgreementSpec(_Spec):
    id: Id
    name: Text
    time_zone: TimeZone
    signed: LocalTime | None = None
    co_chairs: tuple[Id, ...] = Field(min_length=1)
    members: tuple[Id, ...] = ()
    description: str = ""
    source: str = ""
    regimes: tuple[RegimeSpec, ...] = ()


class ScenarioSpec(_Spec):
    model_config = ConfigDict(title="ceasefire scenario")

    id: Id
    title: Text
    parties: tuple[PartySpec, ...] = Field(min_length=1)
    actors: tuple[ActorSpec, ...] = ()
    places: tuple[PlacesSpec, ...] = ()
    agreements: tuple[AgreementSpec, ...] = ()


def scenario_json_schema() -> dict[str, object]:
    """The JSON Schema of scenario files (draft 2020-12), generated from the models."""
    schema = ScenarioSpec.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _unique_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Hashable, object]:
    loader.flatten_mapping(node)
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        if isinstance(key, Hashable):
            seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_scenario_file(path: Path) -> Scenario:
    """Read and check a scenario YAML file; relative paths in it are relative to it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(str(path), "no such file") from None
    except UnicodeDecodeError:
        raise InvalidInputError(str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInputError(str(path), f"cannot be read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(exc.problem or exc).split())
        raise InvalidInputError(f"{path.name}{where}", f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(path.name, f"invalid YAML: {' '.join(str(exc).split())}") from None
    return parse_scenario(data, path.parent, name=path.name)


def parse_scenario(data: object, base_dir: Path, name: str = "scenario") -> Scenario:
    """Check already-loaded scenario data; ``name`` labels errors about the whole document."""
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc, name) from None
    parties = _parties(spec.parties)
    actors = _actors(spec.actors)
    places = _places(spec.places, base_dir)
    context = _Context(base_dir, {p.id for p in parties}, {a.id for a in actors}, places)
    agreements: list[Agreement] = []
    regimes: list[Regime] = []
    for i, agreement_spec in enumerate(spec.agreements):
        agreement = _agreement(agreement_spec, f"agreements[{i}]", context)
        agreements.append(agreement)
        for j, regime_spec in enumerate(agreement_spec.regimes):
            where = f"agreements[{i}].regimes[{j}]"
            regimes.append(_regime(regime_spec, where, agreement, context))
    _check_unique([(f"agreements[{i}].id", a.id) for i, a in enumerate(agreements)])
    _check_unique(
        [
            (f"agreements[{i}].regimes[{j}].id", r.id)
            for i, a in enumerate(spec.agreements)
            for j, r in enumerate(a.regimes)
        ]
    )
    return Scenario(spec.id, spec.title, parties, actors, places, tuple(agreements), tuple(regimes))


# --- errors -----------------------------------------------------------------------------


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _path(loc: Sequence[int | str], name: str) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or name


def _reason(error: ErrorDetails) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} is not an id (letters, digits and . _ : -, no spaces)"
    if kind == "literal_error":
        return f"{_shown(value)} is not one of {error.get('ctx', {}).get('expected')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "string_type":
        return f"{_shown(value)} is not a string"
    if kind in ("tuple_type", "list_type"):
        return f"{_shown(value)} is not a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{_shown(value)} is not a mapping"
    return error["msg"]


def _invalid(exc: ValidationError, name: str) -> InvalidInputError:
    errors = exc.errors(include_url=False)
    lines = [f"{_path(e['loc'], name)}: {_reason(e)}" for e in errors[:20]]
    first = errors[0]
    rest = "".join(f"\n{line}" for line in lines[1:])
    return InvalidInputError(_path(first["loc"], name), _reason(first) + rest)


def _check_unique(keyed: Sequence[tuple[str, str]]) -> None:
    """Each (path, id) pair must carry an id not seen before."""
    first: dict[str, str] = {}
    for where, key in keyed:
        if key in first:
            raise InvalidInputError(where, f"{key!r} is a duplicate of {first[key]}")
        first[key] = where


# --- parties, actors, places ------------------------------------------------------------


def _parties(specs: Sequence[PartySpec]) -> tuple[Party, ...]:
    _check_unique([(f"parties[{i}].id", s.id) for i, s in enumerate(specs)])
    return tuple(Party(s.id, s.name, s.kind) for s in specs)


def _actors(specs: Sequence[ActorSpec]) -> tuple[Actor, ...]:
    _check_unique([(f"actors[{i}].id", s.id) for i, s in enumerate(specs)])
    ids = {s.id for s in specs}
    holder: dict[str, str] = {}
    for i, s in enumerate(specs):
        if s.parent is not None and s.parent not in ids:
            raise InvalidInputError(
                f"actors[{i}].parent", f"{s.parent!r} is not an actor of this scenario"
            )
        named = [(f"actors[{i}].name", s.name)]
        named += [(f"actors[{i}].aliases[{j}]", a) for j, a in enumerate(s.aliases)]
        for where, text in named:
            key = normalize_name(text)
            if holder.setdefault(key, s.id) != s.id:
                raise InvalidInputError(where, f"{text!r} already names actor {holder[key]!r}")
    return tuple(Actor(s.id, s.name, tuple(s.aliases), s.kind, s.parent) for s in specs)


def _places(specs: Sequence[PlacesSpec], base_dir: Path) -> tuple[Place, ...]:
    places: list[Place] = []
    first: dict[str, str] = {}
    for i, spec in enumerate(specs):
        where = f"places[{i}].file"
        collection = _read_json(base_dir, spec.file, where)
        features = collection.get("features") if isinstance(collection, Mapping) else None
        if not isinstance(features, list):
            raise InvalidInputError(where, f"{spec.file!r} is not a FeatureCollection")
        for j, feature in enumerate(features):
            label = f"feature {j} of {spec.file!r}"
            place = _place(spec, feature, where, label)
            if place.id in first:
                raise InvalidInputError(
                    where, f"{label} has the id {place.id!r} of {first[place.id]}"
                )
            first[place.id] = f"{label} ({place.name!r})"
            places.append(place)
    return tuple(places)


def _place(spec: PlacesSpec, feature: object, where: str, label: str) -> Place:
    properties = feature.get("properties") if isinstance(feature, Mapping) else None
    if not isinstance(properties, Mapping):
        raise InvalidInputError(where, f"{label} is not a GeoJSON Feature with properties")
    name = properties.get(spec.name_property)
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(where, f"{label} has no {spec.name_property!r}")
    name = name.strip()
    geometry = _geojson_geometry(feature, where, f"{label} ({name!r})")
    if not shapely.is_valid(geometry):
        geometry = _polygonal(shapely.make_valid(geometry))  # documented: boundary repair
    if spec.level != "settlement" and geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidInputError(where, f"{label} ({name!r}) is a {geometry.geom_type}, not an area")
    code = properties.get(spec.id_property) if spec.id_property else None
    if spec.id_property and not isinstance(code, str | int):
        raise InvalidInputError(where, f"{label} ({name!r}) has no {spec.id_property!r}")
    aliases: dict[str, str] = {normalize_name(name): name}
    for prop in spec.alias_properties:
        value = properties.get(prop)
        values = [value] if isinstance(value, str) else value if value is not None else []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise InvalidInputError(where, f"{label}: {prop!r} is not a name or list of names")
        for alias in values:
            if alias.strip():
                aliases.setdefault(normalize_name(alias), alias.strip())
    slug = "-".join(normalize_name(f"{spec.country or ''} {spec.level} {name}").split())
    return Place(
        id=str(code) if code is not None else slug,
        name=name,
        level=spec.level,
        geometry=geometry,
        country=spec.country,
        aliases=tuple(aliases.values())[1:],
        code=str(code) if code is not None else None,
    )


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a repaired geometry (make_valid may leave stray lines behind)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", ()) if g.geom_type.endswith("Polygon")]
    return shapely.union_all(parts) if parts else geometry


# --- agreements and regimes -------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    base_dir: Path
    party_ids: set[str]
    actor_ids: set[str]
    places: tuple[Place, ...]
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


def _agreement(spec: AgreementSpec, where: str, context: _Context) -> Agreement:
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
    return Agreement(
        spec.id,
        spec.name,
        spec.time_zone,
        signed,
        tuple(spec.co_chairs),
        tuple(spec.members),
        spec.description,
        spec.source,
    )


def _regime(spec: RegimeSpec, where: str, agreement: Agreement, context: _Context) -> Regime:
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
    extensions = _extensions(spec, where, start, zone)
    geometry, area_name = _area(spec, where, context)
    try:
        return Regime(
            id=spec.id,
            agreement_id=agreement.id,
            name=spec.name,
            geometry=geometry,
            start=start,
            end=end,
            time_zone=agreement.time_zone,
            excluded_actor_ids=frozenset(spec.excluded_actors),
            extensions=extensions,
            area_name=area_name,
            description=spec.description,
        )
    except InvalidInputError as exc:  # a rule of the domain that the checks above missed
        raise InvalidInputError(where, exc.message) from None


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


def _area(spec: RegimeSpec, where: str, context: _Context) -> tuple[BaseGeometry, str | None]:
    """The regime's geometry and, for an admin area or country, the name it came from."""
    if spec.geometry is not None:
        geometry = _geojson_geometry(spec.geometry, f"{where}.geometry")
        return _checked_area(geometry, f"{where}.geometry"), None
    if spec.geometry_file is not None:
        at = f"{where}.geometry_file"
        data = _read_json(context.base_dir, spec.geometry_file, at)
        return _checked_area(_geojson_geometry(data, at, repr(spec.geometry_file)), at), None
    if spec.country is not None:
        return _country_area(spec.country, f"{where}.country", context), spec.country
    assert spec.admin_area is not None  # RegimeSpec checks that one area key is given
    places = _admin_areas(spec.admin_area, f"{where}.admin_area", context)
    union = shapely.union_all([p.geometry for p in places])
    return _checked_area(union, f"{where}.admin_area"), ", ".join(p.name for p in places)


def _country_area(country: str, where: str, context: _Context) -> BaseGeometry:
    adm1 = [p for p in context.places if p.level == "adm1"]
    found = [p for p in adm1 if normalize_name(p.country or "") == normalize_name(country)]
    if not found:
        known = ", ".join(sorted({p.country for p in adm1 if p.country})) or "none"
        raise InvalidInputError(
            where, f"{country!r} is not the country of adm1 places of this scenario ({known})"
        )
    return _checked_area(shapely.union_all([p.geometry for p in found]), where)


def _admin_areas(names: str | tuple[str, ...], where: str, context: _Context) -> list[Place]:
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


# --- geometry and time ------------------------------------------------------------------


def _read_json(base_dir: Path, relative: str, where: str) -> object:
    path = base_dir / relative
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(where, f"{relative!r} not found ({path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(where, f"{relative!r} cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            where, f"{relative!r} is not JSON (line {exc.lineno}: {exc.msg})"
        ) from None


def _geojson_geometry(data: object, where: str, label: str = "") -> BaseGeometry:
    """A geometry, a Feature's geometry, or the union of a FeatureCollection's."""
    prefix = f"{label} " if label else ""
    kind = data.get("type") if isinstance(data, Mapping) else None
    if isinstance(data, Mapping) and kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise InvalidInputError(where, f"{prefix}is a FeatureCollection without features")
        parts = [
            _checked_area(_geojson_geometry(f, where, f"{prefix}feature {j}".strip()), where)
            for j, f in enumerate(features)
        ]
        return shapely.union_all(parts)
    if isinstance(data, Mapping) and kind == "Feature":
        return _geojson_geometry(data.get("geometry"), where, label)
    try:
        geometry: BaseGeometry = shape(data)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InvalidInputError(where, f"{prefix}is not a GeoJSON geometry ({reason})") from None
    minx, miny, maxx, maxy = geometry.bounds if not geometry.is_empty else (0, 0, 0, 0)
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise InvalidInputError(where, f"{prefix}has coordinates outside longitude/latitude")
    return geometry


def _checked_area(geometry: BaseGeometry, where: str) -> BaseGeometry:
    if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidInputError(
            where, f"must be a Polygon or MultiPolygon, not {geometry.geom_type}"
        )
    if not shapely.is_valid(geometry):
        raise InvalidInputError(
            where, f"is not a valid polygon ({shapely.is_valid_reason(geometry)})"
        )
    return geometry
