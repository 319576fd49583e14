"""Humanitarian access in the database: locations with their status history, requests
and deliveries, read as ``domain.humanitarian`` objects and written from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection, delete, select

from ceasefire.domain.humanitarian import (
    Decision,
    Delivery,
    Location,
    LocationStatus,
    Request,
    RequestKind,
    StatusChange,
)
from ceasefire.store import tables as t

L, S = t.humanitarian_locations, t.humanitarian_location_statuses
R, D = t.humanitarian_requests, t.humanitarian_deliveries


def load_locations(conn: Connection, ids: Sequence[str] | None = None) -> list[Location]:
    """The locations (the given ones, or all) by id, each with its status history."""
    query = select(L).order_by(L.c.id)
    statuses = select(S).order_by(S.c.location_id, S.c.since)
    if ids is not None:
        query = query.where(L.c.id.in_(list(ids)))
        statuses = statuses.where(S.c.location_id.in_(list(ids)))
    history: dict[str, list[StatusChange]] = {}
    for row in conn.execute(statuses):
        history.setdefault(row.location_id, []).append(
            StatusChange(LocationStatus(row.status), row.since, row.source, row.note)
        )
    return [
        Location(
            id=row.id,
            name=row.name,
            lon=row.lon,
            lat=row.lat,
            place_id=row.place_id,
            agreement_id=row.agreement_id,
            statuses=tuple(history.get(row.id, ())),
        )
        for row in conn.execute(query)
    ]


def add_location(conn: Connection, location: Location) -> None:
    values = asdict(location)
    values.pop("statuses")
    conn.execute(L.insert().values(**values))
    set_statuses(conn, location)


def set_statuses(conn: Connection, location: Location) -> None:
    conn.execute(delete(S).where(S.c.location_id == location.id))
    if location.statuses:
        conn.execute(
            S.insert(),
            [
                {
                    "location_id": location.id,
                    "since": s.since,
                    "status": s.status.value,
                    "source": s.source,
                    "note": s.note,
                }
                for s in location.statuses
            ],
        )


def _request(row: Any) -> Request:
    values = {c.name: row._mapping[c.name] for c in R.c if c.name != "recorded_by"}
    values["kind"] = RequestKind(values["kind"])
    values["decision"] = Decision(values["decision"])
    values["id"] = int(values["id"])
    return Request(**values)


def load_requests(
    conn: Connection,
    *,
    location_ids: Sequence[str] | None = None,
    request_ids: Sequence[int] | None = None,
) -> list[Request]:
    query = select(R).order_by(R.c.requested, R.c.id)
    if location_ids is not None:
        query = query.where(R.c.location_id.in_(list(location_ids)))
    if request_ids is not None:
        query = query.where(R.c.id.in_(list(request_ids)))
    return [_request(row) for row in conn.execute(query)]


def imported_ids(conn: Connection, source: str) -> set[str]:
    """The source ids of the requests already imported from ``source``."""
    query = select(R.c.source_id).where(R.c.source == source, R.c.source_id.is_not(None))
    return {str(v) for v in conn.execute(query).scalars()}


def save_request(conn: Connection, request: Request, recorded_by: str, *, new: bool) -> None:
    values = asdict(request)
    values["kind"] = request.kind.value
    values["decision"] = request.decision.value
    if new:
        conn.execute(R.insert().values(**values, recorded_by=recorded_by))
    else:
        values.pop("id")
        conn.execute(R.update().where(R.c.id == request.id).values(**values))


def load_deliveries(conn: Connection, request_ids: Sequence[int] | None = None) -> list[Delivery]:
    query = select(D).order_by(D.c.delivered, D.c.id)
    if request_ids is not None:
        query = query.where(D.c.request_id.in_(list(request_ids)))
    return [
        Delivery(
            id=int(row.id),
            request_id=int(row.request_id),
            delivered=row.delivered,
            people_reached=row.people_reached,
            trucks=row.trucks,
            items=row.items,
            note=row.note,
        )
        for row in conn.execute(query)
    ]


def add_delivery(conn: Connection, delivery: Delivery, recorded_by: str) -> None:
    conn.execute(D.insert().values(**asdict(delivery), recorded_by=recorded_by))
