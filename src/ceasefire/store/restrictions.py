"""Access restrictions in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ceasefire.domain.filters import BBox
from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import visible


@dataclass(frozen=True)
class Restriction:
    id: int
    reported_by: str
    patrol: str
    time: datetime
    lon: float
    lat: float
    place: str | None
    denied_by: str
    actor_id: str | None
    reason: str
    duration_minutes: int | None
    agreement_id: str | None = None  # whose parties alone read it (None: open)


def add_restriction(conn: Connection, new_id: int, values: dict[str, Any]) -> int:
    conn.execute(t.access_restrictions.insert().values(id=new_id, **values))
    return new_id


def query_restrictions(
    conn: Connection,
    audience: Audience,
    *,
    bbox: BBox | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    restriction_id: int | None = None,
) -> list[Restriction]:
    """The restrictions the audience may read, by time."""
    r = t.access_restrictions
    seen = visible(r.c.agreement_id, audience)
    query = select(r).where(seen).order_by(r.c.time, r.c.id).limit(limit)
    if restriction_id is not None:
        query = query.where(r.c.id == restriction_id)
    if bbox is not None:
        query = query.where(
            r.c.lon >= bbox.min_lon,
            r.c.lon <= bbox.max_lon,
            r.c.lat >= bbox.min_lat,
            r.c.lat <= bbox.max_lat,
        )
    if start is not None:
        query = query.where(r.c.time >= start)
    if end is not None:
        query = query.where(r.c.time <= end)
    return [
        Restriction(
            id=int(row.id),
            reported_by=row.reported_by,
            patrol=row.patrol,
            time=row.time,
            lon=row.lon,
            lat=row.lat,
            place=row.place,
            denied_by=row.denied_by,
            actor_id=row.actor_id,
            reason=row.reason,
            duration_minutes=row.duration_minutes,
            agreement_id=row.agreement_id,
        )
        for row in conn.execute(query)
    ]
