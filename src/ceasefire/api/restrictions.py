"""/api/v1/restrictions: monitors denied access, as JSON or as GeoJSON for the map."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller, Reader
from ceasefire.api.convert import scope_in, with_ledger_index
from ceasefire.api.deps import Db, Log
from ceasefire.domain.filters import BBox
from ceasefire.services import restrictions as service
from ceasefire.store.database import Database
from ceasefire.store.restrictions import Restriction

router = APIRouter(tags=["access restrictions"])


def restriction_out(db: Database, found: list[Restriction]) -> list[s.RestrictionOut]:
    items = [
        s.RestrictionOut(
            id=r.id,
            reported_by=r.reported_by,
            patrol=r.patrol,
            time=r.time,
            lon=r.lon,
            lat=r.lat,
            place=r.place,
            denied_by=r.denied_by,
            actor_id=r.actor_id,
            reason=r.reason,
            duration_minutes=r.duration_minutes,
            agreement=r.agreement_id,
        )
        for r in found
    ]
    return with_ledger_index(db, "restriction", items)


@router.post("/restrictions", response_model=s.RestrictionOut, status_code=201)
def record(body: s.RestrictionIn, ledger: Log, user: Caller) -> s.RestrictionOut:
    """Record that a patrol was denied access (signed by your party)."""
    found = service.record_restriction(
        ledger,
        user,
        patrol=body.patrol,
        time=body.time,
        lon=body.lon,
        lat=body.lat,
        place=body.place,
        denied_by=body.denied_by,
        reason=body.reason,
        duration_minutes=body.duration_minutes,
        scope=scope_in(body),
    )
    return restriction_out(ledger.db, [found])[0]


@router.get(
    "/restrictions",
    response_model=list[s.RestrictionOut],
    responses={200: {"content": {"application/geo+json": {}}, "description": "or GeoJSON"}},
)
def list_restrictions(
    db: Db,
    audience: Reader,
    bbox: str | None = Query(default=None, description="min_lon,min_lat,max_lon,max_lat"),
    start: datetime | None = Query(default=None, alias="from"),
    end: datetime | None = Query(default=None, alias="to"),
    limit: int = Query(default=1000, ge=1, le=10_000),
    f: str | None = Query(default=None, pattern="^(json|geojson)$"),
) -> Any:
    found = restriction_out(
        db,
        service.restrictions(
            db, audience, bbox=BBox.parse(bbox) if bbox else None, start=start, end=end, limit=limit
        ),
    )
    if f != "geojson":
        return found
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": r.model_dump(mode="json", exclude={"lon", "lat"}),
        }
        for r in found
    ]
    body = {"type": "FeatureCollection", "features": features}
    return JSONResponse(body, media_type="application/geo+json")
