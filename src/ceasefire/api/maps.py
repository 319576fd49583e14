"""/api/v1/map/incidents and /api/v1/places: what the shared map draws."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from ceasefire.api.auth import Reader
from ceasefire.api.deps import Db
from ceasefire.api.incidents import Filter
from ceasefire.ledger import format_time
from ceasefire.services.maps import basemap, map_view
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
    view = map_view(db, filters, zoom, audience)
    body: dict[str, Any] = {"total": view.total, "cell_size": view.cell_size}
    if view.points is not None:
        body["points"] = [_point(p) for p in view.points]
    else:
        assert view.cells is not None and view.latest is not None
        body["cells"] = [
            {"lon": c.lon, "lat": c.lat, "count": c.count, "by": c.by_classification}
            for c in view.cells
        ]
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
