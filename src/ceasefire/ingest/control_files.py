"""Areas of control as a GeoJSON FeatureCollection: each feature a Polygon or MultiPolygon
with the properties ``actor`` (an actor's id or name), ``valid_from`` and optionally
``valid_to`` (YYYY-MM-DD), ``source`` and ``note``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.jsonfiles import read_json_file

MAX_BYTES = 64 * 1024 * 1024
MAX_FEATURES = 10_000
MAX_TEXT = 2_000


@dataclass(frozen=True, slots=True)
class AreaRow:
    number: int  # from 0, as features[n]
    actor: str
    geometry: BaseGeometry
    valid_from: date
    valid_to: date | None
    source: str
    note: str


def _date(value: object, where: str, required: bool) -> date | None:
    if value is None or value == "":
        if required:
            raise InvalidInputError(where, "is missing (YYYY-MM-DD)")
        return None
    if not isinstance(value, str):
        raise InvalidInputError(where, f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(where, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _text(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise InvalidInputError(where, f"is not text of at most {MAX_TEXT} characters")
    return value.strip()


def area_rows(document: Any) -> list[AreaRow]:
    """The areas of a FeatureCollection (already parsed), every problem naming its feature."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InvalidInputError("type", "is not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInputError("features", "holds no feature")
    if len(features) > MAX_FEATURES:
        raise InvalidInputError("features", f"more than {MAX_FEATURES}")
    rows = []
    for number, feature in enumerate(features):
        where = f"features[{number}]"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise InvalidInputError(where, "is not a Feature with properties")
        props = feature["properties"]
        actor = props.get("actor")
        if not isinstance(actor, str) or not actor.strip() or len(actor) > 300:
            raise InvalidInputError(f"{where}.properties.actor", "is missing (an id or a name)")
        try:
            geometry = shapely.from_geojson(json.dumps(feature.get("geometry")))
        except (shapely.errors.GEOSException, ValueError, TypeError) as error:
            raise InvalidInputError(f"{where}.geometry", f"is not GeoJSON ({error})") from None
        valid_from = _date(props.get("valid_from"), f"{where}.properties.valid_from", True)
        assert valid_from is not None
        rows.append(
            AreaRow(
                number=number,
                actor=actor.strip(),
                geometry=geometry,
                valid_from=valid_from,
                valid_to=_date(props.get("valid_to"), f"{where}.properties.valid_to", False),
                source=_text(props.get("source"), f"{where}.properties.source"),
                note=_text(props.get("note"), f"{where}.properties.note"),
            )
        )
    return rows


def read_control_file(path: Path) -> list[AreaRow]:
    return area_rows(read_json_file(path, MAX_BYTES))
