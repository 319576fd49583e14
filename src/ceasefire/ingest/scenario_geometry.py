"""The geometries of a scenario: its places files, and the GeoJSON its regimes are drawn in.

Relative file names are relative to the scenario file. An invalid boundary polygon of a
places file goes through ``shapely.make_valid`` (boundary files often carry
self-touching rings); a regime's geometry must be a valid polygon as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.actors import normalize_name
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Place
from ceasefire.ingest.jsonfiles import parse_json

if TYPE_CHECKING:  # the scenario's models take a moment to build: only `load` needs them
    from ceasefire.ingest.scenario_specs import PlacesSpec


def read_places(specs: Sequence[PlacesSpec], base_dir: Path) -> tuple[Place, ...]:
    """The places of every places file, in order; a place id may be given only once."""
    places: list[Place] = []
    first: dict[str, str] = {}
    for i, spec in enumerate(specs):
        where = f"places[{i}].file"
        collection = read_json(base_dir, spec.file, where)
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
    geometry = geojson_geometry(feature, where, f"{label} ({name!r})")
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


def read_json(base_dir: Path, relative: str, where: str) -> object:
    """The JSON of a file named relative to the scenario file."""
    path = base_dir / relative
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(where, f"{relative!r} not found ({path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(where, f"{relative!r} cannot be read ({exc})") from None
    return parse_json(text, f"{where}: {relative!r}")


def geojson_geometry(data: object, where: str, label: str = "") -> BaseGeometry:
    """A geometry, a Feature's geometry, or the union of a FeatureCollection's."""
    prefix = f"{label} " if label else ""
    kind = data.get("type") if isinstance(data, Mapping) else None
    if isinstance(data, Mapping) and kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise InvalidInputError(where, f"{prefix}is a FeatureCollection without features")
        parts = [
            checked_area(geojson_geometry(f, where, f"{prefix}feature {j}".strip()), where)
            for j, f in enumerate(features)
        ]
        return shapely.union_all(parts)
    if isinstance(data, Mapping) and kind == "Feature":
        return geojson_geometry(data.get("geometry"), where, label)
    try:
        geometry: BaseGeometry = shape(data)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InvalidInputError(where, f"{prefix}is not a GeoJSON geometry ({reason})") from None
    minx, miny, maxx, maxy = geometry.bounds if not geometry.is_empty else (0, 0, 0, 0)
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise InvalidInputError(where, f"{prefix}has coordinates outside longitude/latitude")
    return geometry


def checked_area(geometry: BaseGeometry, where: str) -> BaseGeometry:
    """``geometry`` itself, if it is a non-empty, valid Polygon or MultiPolygon."""
    if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidInputError(
            where, f"must be a Polygon or MultiPolygon, not {geometry.geom_type}"
        )
    if not shapely.is_valid(geometry):
        raise InvalidInputError(
            where, f"is not a valid polygon ({shapely.is_valid_reason(geometry)})"
        )
    return geometry
