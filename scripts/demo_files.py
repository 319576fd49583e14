"""Where the demo build reads and writes, and how it writes GeoJSON.

Boundaries are simplified as a coverage (neighbours keep their shared edges) and every
coordinate is rounded to 5 decimals, so the files are small and the same on every run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
OUT = ROOT / "src" / "ceasefire" / "scenarios"
DATA = OUT / "data"
SCHEMA = ROOT / "docs" / "scenario.schema.json"
Feature = dict[str, Any]  # GeoJSON, as json.loads gives it
TOLERANCE = 0.003  # degrees: shapely.coverage_simplify, about 200 m


def simplified(geometries: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Simplify a polygon coverage keeping shared edges shared, on a 1e-5 degree grid."""
    if not shapely.coverage_is_valid(list(geometries)):
        sys.exit("build_demo: boundaries are not a clean coverage; cannot simplify them")
    result = [
        shapely.set_precision(g, 1e-5) for g in shapely.coverage_simplify(geometries, TOLERANCE)
    ]
    if not all(shapely.is_valid(g) for g in result) or not shapely.coverage_is_valid(result):
        sys.exit("build_demo: simplified boundaries are not valid")
    return result


def rounded(geometry: BaseGeometry) -> dict[str, object]:
    def walk(value: object) -> object:
        if isinstance(value, float):
            return round(value, 5)
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return {key: walk(value) for key, value in mapping(geometry).items()}


def write_features(path: Path, features: list[Feature], source: str) -> None:
    """A FeatureCollection, one feature per line, with a ``source`` foreign member."""
    dump = json.dumps
    lines = [dump(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    head = f'{{"type":"FeatureCollection","source":{dump(source, ensure_ascii=False)},'
    path.write_text(head + '"features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
