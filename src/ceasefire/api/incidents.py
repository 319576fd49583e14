"""/api/v1/incidents: the filtered list (JSON or GeoJSON), one incident, merge, split."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller, Reader
from ceasefire.api.convert import (
    decode_cursor,
    encode_cursor,
    incident_feature,
    incident_out,
    merge_out,
    report_out,
    with_ledger_index,
)
from ceasefire.api.deps import Config, Db, Id, Log
from ceasefire.domain.classification import Classification
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.services import queries
from ceasefire.services.merges import merge_incidents, split_incident

router = APIRouter(tags=["incidents"])
GEOJSON = "application/geo+json"


def incident_filter(
    db: Db,
    bbox: str | None = Query(default=None, description="min_lon,min_lat,max_lon,max_lat"),
    from_: datetime | None = Query(default=None, alias="from", description="ISO 8601 with offset"),
    to: datetime | None = Query(default=None, description="ISO 8601 with offset"),
    classification: Classification | None = None,
    regime: str | None = Query(default=None, description="A regime id"),
    event_type: str | None = Query(default=None, description="An ACLED event type"),
    agreement: str | None = Query(
        default=None, max_length=64, description="Filed under it, or a regime of it bears on them"
    ),
    source: str | None = Query(default=None, max_length=64, description="With a report of it"),
    joint: str | None = Query(
        default=None,
        max_length=32,
        description="The joint finding: pending, disputed, violation, no_violation, "
        "insufficient_information, or none (not assessed)",
    ),
    cursor: str | None = Query(default=None, description="next_cursor of the previous page"),
    limit: int = Query(default=100, ge=1, le=10_000),
) -> IncidentFilter:
    for name, value in (("from", from_), ("to", to)):
        if value is not None and value.tzinfo is None:
            raise InvalidInputError(name, f"{value.isoformat()} needs a UTC offset (e.g. Z)")
    # a regime or agreement that does not exist is an error naming it, not a page of nothing
    queries.check_named(db, regime=(regime, "regime"), agreement=(agreement, "agreement"))
    return IncidentFilter(
        bbox=BBox.parse(bbox) if bbox else None,
        start=from_,
        end=to,
        classification=classification,
        regime_id=regime,
        event_type=check_event_type(event_type, None)[0],
        agreement_id=agreement,
        source=source,
        joint=joint,
        after_id=decode_cursor(cursor),
        limit=limit,
    )


Filter = Annotated[IncidentFilter, Depends(incident_filter)]


def _wants_geojson(f: str | None, accept: str | None) -> bool:
    return f == "geojson" or (f is None and accept is not None and GEOJSON in accept)


@router.get(
    "/incidents",
    response_model=s.IncidentPage,
    responses={200: {"content": {GEOJSON: {}}, "description": "JSON, or GeoJSON with ?f=geojson"}},
)
def list_incidents(
    db: Db,
    audience: Reader,
    filters: Filter,
    f: str | None = Query(default=None, pattern="^(json|geojson)$"),
    reasons: bool = Query(default=False, description="Write out each incident's reasons."),
    accept: str | None = Header(default=None),
) -> Any:
    page = queries.list_incidents(db, filters, audience, reasons=reasons)
    cursor = encode_cursor(page[-1].id) if len(page) == filters.limit else None
    if _wants_geojson(f, accept):
        body = {
            "type": "FeatureCollection",
            "features": [incident_feature(i) for i in page],
            "next_cursor": cursor,
        }
        return JSONResponse(body, media_type=GEOJSON)
    return s.IncidentPage(items=[incident_out(i) for i in page], next_cursor=cursor)


@router.get("/incidents/{incident_id}", response_model=s.IncidentDetail)
def get_incident(incident_id: Id, db: Db, audience: Reader) -> s.IncidentDetail:
    incident, reports = queries.get_incident(db, incident_id, audience)
    return s.IncidentDetail(
        **incident_out(incident).model_dump(),
        reports=with_ledger_index(db, "report", [report_out(r) for r in reports]),
    )


@router.post("/incidents/merge", response_model=s.MergeOut)
def merge(
    body: s.MergeIn, ledger: Log, settings: Config, user: Caller, audience: Reader
) -> s.MergeOut:
    """Merge incidents judged to be one event into the one with the smallest id. Their
    reports, assessments and response measures move to it; the others' ids answer 410,
    pointing to it, from now on. Incidents of different scopes are never merged; incidents
    far apart only with `confirm_far`."""
    merged = merge_incidents(
        ledger,
        body.incident_ids,
        author=user.party_id,
        audience=audience,
        settings=settings.correlation(),
        confirm_far=body.confirm_far,
    )
    return merge_out(merged)


@router.post("/incidents/{incident_id}/split", response_model=s.SplitOut, status_code=201)
def split(
    incident_id: Id, body: s.SplitIn, ledger: Log, user: Caller, audience: Reader
) -> s.SplitOut:
    kept, new = split_incident(
        ledger, incident_id, body.report_ids, author=user.party_id, audience=audience
    )
    return s.SplitOut(kept=incident_out(kept), new=incident_out(new))
