"""/api/v1/humanitarian: locations and their status, requests for access, decisions,
deliveries, the summary per location, and the map layer (GeoJSON)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from ceasefire.api import humanitarian_schemas as s
from ceasefire.api.auth import Caller
from ceasefire.api.deps import Db, Id, Log
from ceasefire.domain.humanitarian import (
    Decision,
    Delivery,
    Location,
    LocationStatus,
    LocationSummary,
    Request,
    RequestKind,
    StatusChange,
)
from ceasefire.services import humanitarian as service
from ceasefire.services import queries

router = APIRouter(prefix="/humanitarian", tags=["humanitarian access"])
LocationKey = Annotated[str, Path(max_length=64, description="A location's id.")]


def _status(change: StatusChange | None) -> s.StatusOut | None:
    if change is None:
        return None
    return s.StatusOut(
        status=change.status.value, since=change.since, source=change.source, note=change.note
    )


def _index(db: Db, record: str) -> int | None:
    return queries.ledger_indexes(db, [record]).get(record)


def _location(db: Db, found: Location, index: int | None = None) -> s.LocationOut:
    return s.LocationOut(
        id=found.id,
        name=found.name,
        lon=found.lon,
        lat=found.lat,
        place_id=found.place_id,
        agreement_id=found.agreement_id,
        status=_status(found.status_on()),
        statuses=[x for x in map(_status, found.statuses) if x is not None],
        ledger_index=index or _index(db, f"humanitarian_location:{found.id}"),
    )


def _request(db: Db, found: Request) -> s.RequestOut:
    values = asdict(found) | {"kind": found.kind.value, "decision": found.decision.value}
    return s.RequestOut(**values, ledger_index=_index(db, f"humanitarian_request:{found.id}"))


def _delivery(db: Db, found: Delivery) -> s.DeliveryOut:
    return s.DeliveryOut(
        **asdict(found), ledger_index=_index(db, f"humanitarian_delivery:{found.id}")
    )


@router.get("/locations", response_model=list[s.LocationOut])
def list_locations(db: Db) -> list[s.LocationOut]:
    found = service.locations(db)
    indexes = queries.ledger_indexes(db, [f"humanitarian_location:{x.id}" for x in found])
    return [_location(db, x, indexes.get(f"humanitarian_location:{x.id}")) for x in found]


@router.post("/locations", response_model=s.LocationOut, status_code=201)
def add_location(body: s.LocationIn, db: Db, ledger: Log, user: Caller) -> s.LocationOut:
    """A besieged or hard-to-reach location, with any statuses it starts with (signed by
    the caller's party)."""
    location = Location(body.id, body.name, body.lon, body.lat, body.place_id, body.agreement_id)
    for given in body.statuses:
        location = location.with_status(
            StatusChange(LocationStatus(given.status), given.since, given.source, given.note)
        )
    return _location(db, service.add_location(ledger, location, author=user.party_id))


@router.get("/locations/{location_id}", response_model=s.LocationFileOut)
def get_location(location_id: LocationKey, db: Db) -> s.LocationFileOut:
    """A location with its status history, requests and deliveries."""
    found = service.location_file(db, location_id)
    return s.LocationFileOut(
        location=_location(db, found.location),
        requests=[_request(db, r) for r in found.requests],
        deliveries=[_delivery(db, d) for d in found.deliveries],
    )


@router.post("/locations/{location_id}/statuses", response_model=s.LocationOut, status_code=201)
def add_status(
    location_id: LocationKey, body: s.StatusIn, db: Db, ledger: Log, user: Caller
) -> s.LocationOut:
    """The location's status from a day on (one change a day)."""
    change = StatusChange(LocationStatus(body.status), body.since, body.source, body.note)
    return _location(db, service.record_status(ledger, location_id, change, author=user.party_id))


@router.post("/requests", response_model=s.RequestOut, status_code=201)
def add_request(body: s.RequestIn, db: Db, ledger: Log, user: Caller) -> s.RequestOut:
    """A request for access to a location (pending until decided)."""
    request = Request(
        id=0,
        location_id=body.location_id,
        kind=RequestKind(body.kind),
        requested_by=body.requested_by,
        requested=body.requested,
        people=body.people,
        trucks=body.trucks,
        destination=body.destination,
        destination_lon=body.destination_lon,
        destination_lat=body.destination_lat,
        note=body.note,
    )
    return _request(db, service.record_request(ledger, request, author=user.party_id))


@router.post("/requests/{request_id}/decision", response_model=s.RequestOut, status_code=201)
def decide(request_id: Id, body: s.DecisionIn, db: Db, ledger: Log, user: Caller) -> s.RequestOut:
    """Approve a request, approve it in part (say how many people or trucks), or deny it
    (with its reason). A later decision replaces it; the ledger keeps each."""
    decided = service.record_decision(
        ledger,
        request_id,
        Decision(body.decision),
        decided=body.decided,
        decided_by=body.decided_by,
        reason=body.reason,
        approved_people=body.approved_people,
        approved_trucks=body.approved_trucks,
        author=user.party_id,
    )
    return _request(db, decided)


@router.post("/requests/{request_id}/deliveries", response_model=s.DeliveryOut, status_code=201)
def deliver(request_id: Id, body: s.DeliveryIn, db: Db, ledger: Log, user: Caller) -> s.DeliveryOut:
    """A convoy or evacuation under an approved request."""
    delivery = Delivery(
        0, request_id, body.delivered, body.people_reached, body.trucks, body.items, body.note
    )
    return _delivery(db, service.record_delivery(ledger, delivery, author=user.party_id))


def _summary(found: LocationSummary) -> s.SummaryOut:
    return s.SummaryOut(
        location_id=found.location.id,
        name=found.location.name,
        status=_status(found.status),
        requests=found.requests,
        approved=found.approved,
        denied=found.denied,
        pending=found.pending,
        deliveries=found.deliveries,
        people_reached=found.people_reached,
        deliveries_without_count=found.deliveries_without_count,
        last_delivery=found.last_delivery,
    )


@router.get("/summary", response_model=list[s.SummaryOut])
def summary(
    db: Db,
    start: Annotated[date | None, Query(alias="from", description="First day.")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day.")] = None,
) -> list[s.SummaryOut]:
    """Each location over the period: its status at the end, requests approved, denied
    and pending, deliveries and people reached."""
    return [_summary(x) for x in service.summary(db, start=start, end=end)]


@router.get(
    "/map",
    responses={200: {"content": {"application/geo+json": {}}, "description": "GeoJSON"}},
)
def layer(
    db: Db,
    end: Annotated[date | None, Query(alias="to", description="Status as of this day.")] = None,
) -> Any:
    """The map layer: each location as a point with its status and its latest delivery."""
    features = [
        {
            "type": "Feature",
            "id": x.location.id,
            "geometry": {"type": "Point", "coordinates": [x.location.lon, x.location.lat]},
            "properties": _summary(x).model_dump(mode="json"),
        }
        for x in service.summary(db, end=end)
    ]
    body = {"type": "FeatureCollection", "features": features}
    return JSONResponse(body, media_type="application/geo+json")
