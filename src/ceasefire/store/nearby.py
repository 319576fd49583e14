"""What correlation reads of the stored incidents near a batch of reports."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    DateTime,
    Float,
    Select,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)

from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.store import tables as t
from ceasefire.store.incident_rows import StoredIncident, sources_text
from ceasefire.store.incidents import hydrate, where_clauses

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
    sources: str | None  # incident_rows.sources_text (None: not derived since 0026)


def footprints_near(
    conn: Connection, f: IncidentFilter, *, reported_by_other_than: set[str] | None = None
) -> list[Nearby]:
    """What correlation needs of every incident in a bbox and time window (no verdicts,
    no reasons: a fraction of ``incidents_near``'s cost); with ``reported_by_other_than``,
    only those with a report of another source (the others a batch of these sources
    cannot join)."""
    if (
        f.bbox is not None
        and f.start is not None
        and f.end is not None
        and f == IncidentFilter(bbox=f.bbox, start=f.start, end=f.end, limit=f.limit)
    ):
        return _near_window(conn, f.bbox, f.start, f.end, reported_by_other_than)
    c = t.incidents.c
    clauses = where_clauses(conn, f)
    if reported_by_other_than is not None:
        clauses.append(_reported_by_other_than(reported_by_other_than))
    query = select(*_COLUMNS).where(and_(True, *clauses)).order_by(c.id)
    return [Nearby._make(row) for row in conn.execute(query)]


_COLUMNS = [t.incidents.c[name] for name in Nearby._fields]


def _other_sources(sources: Iterable[str] | BindParameter[Any]) -> Select[tuple[int]]:
    r, c = t.reports.c, t.incidents.c
    return select(r.id).where(r.incident_id == c.id, r.source.notin_(sources))


def _reported_by_other_than(sources: set[str]) -> ColumnElement[bool]:
    """Whether an incident has a report of a source not in ``sources``: of one source, by
    its row's sources (an incident has at least one report, so they differ from that one
    source's exactly when it has another's), else by its reports."""
    if len(sources) == 1:
        return _not_only(sources_text(sources))
    return exists(_other_sources(sources))


def _not_only(only: str | BindParameter[Any]) -> ColumnElement[bool]:
    """Whether an incident's sources are other than ``only`` (one source's sources_text);
    an incident not derived since 0026 has none, and its reports are asked later."""
    c = t.incidents.c
    return or_(c.sources.is_(None), c.sources != only)


def _near_window(
    conn: Connection, box: BBox, start: datetime, end: datetime, others_than: set[str] | None
) -> list[Nearby]:
    """``footprints_near`` of a bbox and time window alone, as every filed report and
    import chunk asks: one statement per dialect, built once with its parameters (building
    and keying it again took ~70% of the call's time)."""
    params: dict[str, object] = {
        "min_lon": box.min_lon,
        "min_lat": box.min_lat,
        "max_lon": box.max_lon,
        "max_lat": box.max_lat,
        "start": start,
        "end": end,
    }
    if conn.dialect.name != "postgresql":
        params["rt_start"] = (start - _EPOCH).total_seconds() / 86400 - 1
        params["rt_end"] = (end - _EPOCH).total_seconds() / 86400 + 1
    if others_than is not None and len(others_than) == 1:
        params["only"] = sources_text(others_than)
    elif others_than is not None:
        params["sources"] = sorted(others_than)
    query = _window_query(conn.dialect.name, _mode(others_than))
    return [Nearby._make(row) for row in conn.execute(query, params)]


def _mode(others_than: set[str] | None) -> str:
    return "any" if others_than is None else "one" if len(others_than) == 1 else "several"


@functools.lru_cache(maxsize=8)
def _window_query(dialect: str, other_sources: str) -> Select[Any]:
    """``where_clauses`` of a filter with a bbox, a start and an end, with named parameters
    (tests/store/test_nearby.py holds the two to the same answers)."""
    c = t.incidents.c
    p: dict[str, BindParameter[float]] = {
        name: bindparam(name, type_=Float) for name in ("min_lon", "min_lat", "max_lon", "max_lat")
    }
    start = bindparam("start", type_=c.time_start.type)
    end = bindparam("end", type_=c.time_start.type)
    if dialect == "postgresql":
        envelope = func.ST_MakeEnvelope(
            p["min_lon"], p["min_lat"], p["max_lon"], p["max_lat"], 4326
        )
        moments = (cast(start, DateTime(timezone=True)), cast(end, DateTime(timezone=True)))
        during = func.tstzrange(c.time_start, c.time_end, literal("[]")).op("&&")(
            func.tstzrange(*moments, literal("[]"))
        )
        coarse = and_(literal_column("incidents.geom").op("&&")(envelope), during)
    else:
        rtree = text(
            "SELECT id FROM incidents_rtree WHERE min_x <= :max_lon AND max_x >= :min_lon "
            "AND min_y <= :max_lat AND max_y >= :min_lat AND min_t <= :rt_end "
            "AND max_t >= :rt_start"
        )
        coarse = c.id.in_(rtree.columns(id=c.id.type))
    clauses = [
        coarse,
        # the indexes keep 32-bit bounds, rounded outward: check the exact coordinates too
        c.lon.between(p["min_lon"], p["max_lon"]),
        c.lat.between(p["min_lat"], p["max_lat"]),
        c.time_start < end,
        or_(c.time_end > start, c.time_start >= start),
    ]
    if other_sources == "one":
        clauses.append(_not_only(bindparam("only")))
    elif other_sources == "several":
        clauses.append(exists(_other_sources(bindparam("sources", expanding=True))))
    return select(*_COLUMNS).where(*clauses).order_by(c.id)


def incidents_near(conn: Connection, f: IncidentFilter) -> list[StoredIncident]:
    """Every incident in a bbox and time window (no paging, no reasons), for correlation
    and reclassification."""
    query = (
        select(t.incidents).where(and_(True, *where_clauses(conn, f))).order_by(t.incidents.c.id)
    )
    return hydrate(conn, conn.execute(query).all(), explain=False, summarize=False)
