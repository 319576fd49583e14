"""/api/v1/map/incidents, /map/tiles, /map/list and /api/v1/places: what the shared map
draws."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from ceasefire.api.auth import Reader
from ceasefire.api.deps import Db
from ceasefire.api.incidents import Filter
from ceasefire.ledger import format_time
from ceasefire.services.maps import MapView, basemap, listed, map_view, tile_view
from ceasefire.store.maps import Point

router = APIRouter(tags=["map"])
GEOJSON = "application/geo+json"


@router.get("/map/incidents")
def map_incidents(
    db: Db,
    audience: Reader,
    filters: Filter,
    zoom: int = Query(default=6, ge=0, le=22, description="The map's zoom level"),
) -> dict[str, Any]:
    """The incidents in view (``bbox``, time and the incident list's filters): each as a
    point when there are at most 2,000, else counted per grid cell and classification
    (``cells``: centre, count, counts by classification; ``cell_size`` in degrees) with
    the latest 100 as points (``latest``), for a list."""
    return _view_body(map_view(db, filters, zoom, audience))


@router.get("/map/tiles/{z}/{x}/{y}")
def map_tile(
    db: Db,
    audience: Reader,
    filters: Filter,
    z: Annotated[int, Path(ge=0, le=22, description="Zoom of the XYZ tile scheme")],
    x: Annotated[int, Path(ge=0, description="Column, from the west")],
    y: Annotated[int, Path(ge=0, description="Row, from the north")],
) -> dict[str, Any]:
    """The incidents of one map tile that match the incident list's filters (``bbox``
    aside): up to 300 as ``points``, else counted per cell (16 cells across the tile,
    ``cell_size`` degrees) and classification as ``cells``. The workspace draws a tile
    512 pixels wide (it asks for zoom ``z`` when the map is at ``z + 1``) and keeps the
    tiles it has, so that a pan fetches only what it brings into view."""
    view = tile_view(db, filters, z, x, y, audience)
    return _view_body(view)


@router.get("/map/list")
def map_list(db: Db, audience: Reader, filters: Filter) -> dict[str, Any]:
    """How many incidents match (``bbox``, time and the incident list's filters), and the
    latest 100 of them: the list beside the map."""
    total, latest = listed(db, filters, audience)
    return {"total": total, "latest": [_point(p) for p in latest]}


def _view_body(view: MapView) -> dict[str, Any]:
    body: dict[str, Any] = {"total": view.total, "cell_size": view.cell_size}
    if view.points is not None:
        body["points"] = [_point(p) for p in view.points]
    else:
        assert view.cells is not None
        body["cells"] = [
            {"lon": c.lon, "lat": c.lat, "count": c.count, "by": c.by_classification}
            for c in view.cells
        ]
        if view.latest is not None:
            body["latest"] = [_point(p) for p in view.latest]
    return body


def _point(p: Point) -> dict[str, Any]:
    return {
        "id": p.id,
        "lon": p.lon,
        "lat": p.lat,
        "classification": p.classification,
        "joint": p.joint,
        "time_start": format_time(p.time_start),
        "time_precision": p.time_precision,
        "event_type": p.event_type,
        "place": p.place,
        "report_count": p.report_count,
        "summary": p.summary,
    }


@router.get(
    "/places",
    responses={200: {"content": {GEOJSON: {}}, "description": "GeoJSON FeatureCollection"}},
)
def places(db: Db) -> JSONResponse:
    """The scenarios' admin areas (the map's basemap), simplified for drawing."""
    return JSONResponse(basemap(db), media_type=GEOJSON)
