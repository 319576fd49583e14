"""/api/v1/control-areas: who holds which ground, when."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ceasefire.api.auth import Caller
from ceasefire.api.deps import Db, Log
from ceasefire.ingest.control_files import area_rows
from ceasefire.services import control as service

router = APIRouter(tags=["areas of control"])


class RecordedAreasOut(BaseModel):
    ids: list[int]
    reclassified: list[int]


class HolderOut(BaseModel):
    area_id: int | None
    actor_id: str
    actor: str
    valid_from: date
    valid_to: date | None
    source: str


@router.post("/control-areas", response_model=RecordedAreasOut, status_code=201)
def record_areas(
    ledger: Log,
    user: Caller,
    body: Annotated[
        dict[str, Any],
        Body(
            description="A GeoJSON FeatureCollection: each feature a Polygon or MultiPolygon "
            "with the properties actor, valid_from, valid_to, source, note."
        ),
    ],
) -> RecordedAreasOut:
    """Record areas of control, signed by the caller's party: all, or none when one names
    an unknown actor, is not a valid polygon, or overlaps another on a day both hold."""
    recorded = service.record_areas(ledger, area_rows(body), author=user.party_id)
    return RecordedAreasOut(
        ids=recorded.ids, reclassified=[c.incident_id for c in recorded.reclassified]
    )


@router.get(
    "/control-areas",
    responses={200: {"content": {"application/geo+json": {}}}},
    response_class=JSONResponse,
)
def list_areas(
    db: Db, at: Annotated[date | None, Query(description="Only areas held that day.")] = None
) -> Any:
    return JSONResponse(service.geojson(db, at), media_type="application/geo+json")


@router.get("/control-areas/holder", response_model=HolderOut | None)
def holder(
    db: Db,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
    at: Annotated[date, Query(description="The day.")],
) -> HolderOut | None:
    """Who held a place on a day (null: no area of control holds it)."""
    found = service.holder(db, lon, lat, at)
    if found is None:
        return None
    area, name = found
    return HolderOut(
        area_id=area.id,
        actor_id=area.actor_id,
        actor=name,
        valid_from=area.valid_from,
        valid_to=area.valid_to,
        source=area.source,
    )
