"""What correlation reads of the stored incidents near a batch of reports."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, and_, exists, select

from ceasefire.domain.filters import IncidentFilter
from ceasefire.store import tables as t
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.incidents import hydrate, where_clauses


class Nearby(NamedTuple):
    """What correlation needs of a stored incident."""

    id: int
    lon: float
    lat: float
    time_start: datetime
    time_end: datetime
    time_precision: str
    location_precision: str
    event_type: str | None
    sub_event_type: str | None
    actor_ids: list[str]
    agreement_id: str | None


def footprints_near(
    conn: Connection, f: IncidentFilter, *, reported_by_other_than: set[str] | None = None
) -> list[Nearby]:
    """What correlation needs of every incident in a bbox and time window (no verdicts,
    no reasons: a fraction of ``incidents_near``'s cost); with ``reported_by_other_than``,
    only those with a report of another source (the others a batch of these sources
    cannot join)."""
    c = t.incidents.c
    columns = [c[name] for name in Nearby._fields]
    clauses = where_clauses(conn, f)
    if reported_by_other_than is not None:
        r = t.reports.c
        others = select(r.id).where(r.incident_id == c.id, r.source.notin_(reported_by_other_than))
        clauses.append(exists(others))
    query = select(*columns).where(and_(True, *clauses)).order_by(c.id)
    return [Nearby._make(row) for row in conn.execute(query)]


def incidents_near(conn: Connection, f: IncidentFilter) -> list[StoredIncident]:
    """Every incident in a bbox and time window (no paging, no reasons), for correlation
    and reclassification."""
    query = (
        select(t.incidents).where(and_(True, *where_clauses(conn, f))).order_by(t.incidents.c.id)
    )
    return hydrate(conn, conn.execute(query).all(), explain=False, summarize=False)
