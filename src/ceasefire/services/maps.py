"""The shared map's data: the incidents in view (as points, or counted per grid cell when
there are too many to draw one by one, so 100,000 incidents stay fluid), and the basemap of
the scenarios' admin areas, which works with no tile server and no internet."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any

import shapely

from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.precision import PLACE_LEVEL_PRECISION, LocationPrecision
from ceasefire.domain.regimes import Agreement, Regime
from ceasefire.domain.visibility import Audience
from ceasefire.ledger import format_time
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store import ledger as log_store
from ceasefire.store import maps as map_store
from ceasefire.store import reports as report_store
from ceasefire.store.database import Database
from ceasefire.store.maps import Cell, Point

MAX_POINTS = 2_000  # more than this in view: counted per cell instead
CELL_PIXELS = 48  # about how wide a cell is on screen
PLACE_KINDS = ("place.created", "place.updated", "place.migrated")


LISTED = 100  # the latest incidents in view, for the list beside the map, when counted


@dataclass(frozen=True)
class MapView:
    total: int
    points: list[Point] | None  # when total <= MAX_POINTS
    cells: list[Cell] | None  # else
    cell_size: float | None  # degrees
    latest: list[Point] | None = None  # with cells: the latest LISTED, for the list


def cell_size(zoom: int) -> float:
    """Cells of about ``CELL_PIXELS`` on 256-pixel tiles at this zoom, in degrees."""
    return 360.0 / float(2**zoom) / 256 * CELL_PIXELS


TILE_POINTS = 300  # a tile with more incidents in it is counted per cell
TILE_CELLS = 16  # cells across a tile (a tile is drawn 512 pixels wide: 32-pixel cells)


def tile_view(
    db: Database, f: IncidentFilter, z: int, x: int, y: int, audience: Audience
) -> MapView:
    """The incidents of map tile ``z/x/y`` that match the filter (its ``bbox`` aside): as
    points, or counted per cell when there are more than ``TILE_POINTS``. The map asks for
    the tiles in view and keeps them, so a pan fetches only the tiles it brings in."""
    box = BBox.of_tile(z, x, y)
    within = replace(f, bbox=box)
    with db.read() as conn:
        if map_store.count(conn, within, audience, cap=TILE_POINTS + 1) <= TILE_POINTS:
            points = map_store.points(conn, within, audience, TILE_POINTS)
            return MapView(len(points), points, None, None)
        size = (box.max_lon - box.min_lon) / TILE_CELLS  # cells aligned with the tile's sides
        cells = map_store.cells(conn, within, audience, size)
        return MapView(sum(c.count for c in cells), None, cells, size)


def listed(db: Database, f: IncidentFilter, audience: Audience) -> tuple[int, list[Point]]:
    """How many incidents match, and the latest ``LISTED`` of them (the list beside the
    map, which asks for it apart from the tiles)."""
    with db.read() as conn:
        total = map_store.count(conn, f, audience, cap=10**9)
        dense = total > MAX_POINTS
        return total, map_store.points(conn, f, audience, LISTED, dense=dense)


def map_view(db: Database, f: IncidentFilter, zoom: int, audience: Audience) -> MapView:
    with db.read() as conn:
        if map_store.count(conn, f, audience, cap=MAX_POINTS + 1) <= MAX_POINTS:
            points = map_store.points(conn, f, audience, MAX_POINTS)
            return MapView(len(points), points, None, None)
        size = cell_size(zoom)
        cells = map_store.cells(conn, f, audience, size)
        latest = map_store.points(conn, f, audience, LISTED, dense=True)
        return MapView(sum(c.count for c in cells), None, cells, size, latest)


_basemap: tuple[int, dict[str, Any]] | None = None
_lock = threading.Lock()


def basemap(db: Database) -> dict[str, Any]:
    """The scenarios' admin areas as GeoJSON, simplified for drawing (about 1 km), made
    again only when a place has changed."""
    global _basemap
    with db.read() as conn:
        version = log_store.latest_of_kinds(conn, PLACE_KINDS)
        cached = _basemap
        if cached is not None and cached[0] == version:
            return cached[1]
        places = actor_store.load_places(conn)
    features = [
        {
            "type": "Feature",
            "id": p.id,
            "properties": {"name": p.name, "level": p.level, "country": p.country},
            "geometry": shapely.geometry.mapping(
                shapely.simplify(p.geometry, 0.01, preserve_topology=True)
            ),
        }
        for p in places
        if p.level != "settlement"
    ]
    made = {"type": "FeatureCollection", "features": features}
    with _lock:
        _basemap = (version, made)
    return made


@dataclass(frozen=True)
class RegimeBounds:
    """Where the regimes are, to frame a map: open reference data, every reader's."""

    bounds: list[list[float]] | None  # [[south, west], [north, east]] of the regimes
    agreement_bounds: dict[str, list[list[float]]]  # the same, of each agreement's regimes


@dataclass(frozen=True)
class MapOptions(RegimeBounds):
    """What the map's filters and time bar offer one reader: computed over what its
    audience may read alone, so that a record it may not read shows in none of them."""

    agreements: list[tuple[str, str]]  # (id, name)
    regimes: list[tuple[str, str, str]]  # (id, name, agreement)
    sources: list[str]  # of the reports the reader may read
    first: str | None  # the earliest and latest times of the incidents it may read,
    last: str | None  # RFC 3339: the time bar's range, and its default window


def map_options(db: Database, audience: Audience) -> MapOptions:
    with db.read() as conn:
        agreements = agreement_store.load_agreements(conn)
        regimes = agreement_store.load_regimes(conn)
        sources = sorted(report_store.stored_sources(conn, audience))
        first, last = map_store.time_span(conn, audience)
    framed = _framing(agreements, regimes)
    return MapOptions(
        framed.bounds,
        framed.agreement_bounds,
        [(a.id, a.name) for a in agreements],
        [(r.id, r.name, r.agreement_id) for r in regimes],
        sources,
        None if first is None else format_time(first),
        None if last is None else format_time(last),
    )


def regime_bounds(db: Database) -> RegimeBounds:
    """The regimes' bounds, all and by agreement (the forms that place something on the
    map frame it so; they read no incident)."""
    with db.read() as conn:
        return _framing(agreement_store.load_agreements(conn), agreement_store.load_regimes(conn))


def _framing(agreements: list[Agreement], regimes: list[Regime]) -> RegimeBounds:
    by_agreement: dict[str, list[list[float]]] = {}
    for a in agreements:
        found = _bounds([r.geometry for r in regimes if r.agreement_id == a.id])
        if found is not None:
            by_agreement[a.id] = found
    return RegimeBounds(_bounds([r.geometry for r in regimes]), by_agreement)


def _bounds(shapes: list[shapely.Geometry]) -> list[list[float]] | None:
    if not shapes:
        return None
    west, south, east, north = shapely.union_all(shapes).bounds
    return [[south, west], [north, east]]


@dataclass(frozen=True)
class PlaceChoice:
    """A named place a report can be put at: its representative point and how precisely
    that places the event (a governorate's centre says only 'somewhere in it')."""

    id: str
    name: str
    lon: float
    lat: float
    precision: str  # a LocationPrecision value
    country: str = ""  # the country it is in, as the scenario names it (the form groups by it)


def place_choices(db: Database) -> list[tuple[str, list[PlaceChoice]]]:
    """Every named place, by country ("": in none), each country's by name; a place the
    gazetteer gives no country (a settlement) is in the country whose outline holds its
    point, where the scenarios hold one, and those in none come last."""
    with db.read() as conn:
        places = actor_store.load_places(conn)
    countries = [p for p in places if p.level == "country"]
    chosen = []
    for p in places:
        point = p.geometry.representative_point()
        precision = PLACE_LEVEL_PRECISION.get(p.level, LocationPrecision.NEAR).value
        country = p.country or (p.name if p.level == "country" else "")
        if not country:
            country = next((c.name for c in countries if c.geometry.covers(point)), "")
        chosen.append(PlaceChoice(p.id, p.name, point.x, point.y, precision, country))
    chosen.sort(key=lambda c: (not c.country, c.country.casefold(), c.name.casefold()))
    return [(country, list(group)) for country, group in groupby(chosen, lambda c: c.country)]
