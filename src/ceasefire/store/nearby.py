"""What correlation reads of the stored incidents near a batch of reports."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime
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
    or_,
    select,
    text,
)

from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.windows import Window
from ceasefire.store import tables as t
from ceasefire.store.incident_rows import StoredIncident, sources_text
from ceasefire.store.incidents import (
    ends_after,
    geom_meets,
    hydrate,
    rtree_box,
    rtree_day,
    span_meets,
    where_clauses,
)


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
    conn: Connection,
    windows: Sequence[Window],
    *,
    reported_by_other_than: set[str] | None = None,
) -> list[Nearby]:
    """What correlation needs of every incident in any of these windows of space and time
    (no verdicts, no reasons: a fraction of ``incidents_near``'s cost), each once, by id;
    with ``reported_by_other_than``, only those with a report of another source (the others
    a batch of these sources cannot join). One statement for them all, built once for each
    number of windows with its parameters (building and keying it again took ~70% of the
    call's time)."""
    if not windows:
        return []
    params: dict[str, object] = {}
    sqlite = conn.dialect.name != "postgresql"
    for i, w in enumerate(windows):
        box = w.bbox
        params.update(
            {
                f"min_lon_{i}": box.min_lon,
                f"min_lat_{i}": box.min_lat,
                f"max_lon_{i}": box.max_lon,
                f"max_lat_{i}": box.max_lat,
                f"start_{i}": w.start,
                f"end_{i}": w.end,
            }
        )
        if sqlite:
            params[f"rt_start_{i}"] = rtree_day(w.start) - 1
            params[f"rt_end_{i}"] = rtree_day(w.end) + 1
    others_than = reported_by_other_than
    if others_than is not None and len(others_than) == 1:
        params["only"] = sources_text(others_than)
    elif others_than is not None:
        params["sources"] = sorted(others_than)
    query = _windows_query(conn.dialect.name, _mode(others_than), len(windows))
    return [Nearby._make(row) for row in conn.execute(query, params)]


_COLUMNS = [t.incidents.c[name] for name in Nearby._fields]


def _other_sources(sources: Iterable[str] | BindParameter[Any]) -> Select[tuple[int]]:
    r, c = t.reports.c, t.incidents.c
    return select(r.id).where(r.incident_id == c.id, r.source.notin_(sources))


def _not_only(only: str | BindParameter[Any]) -> ColumnElement[bool]:
    """Whether an incident's sources are other than ``only`` (one source's sources_text);
    an incident not derived since 0026 has none, and its reports are asked later."""
    c = t.incidents.c
    return or_(c.sources.is_(None), c.sources != only)


def _mode(others_than: set[str] | None) -> str:
    return "any" if others_than is None else "one" if len(others_than) == 1 else "several"


@functools.lru_cache(maxsize=128)
def _windows_query(dialect: str, other_sources: str, count: int) -> Select[Any]:
    """The incidents in any of ``count`` windows, parameters suffixed by the window's place
    (``min_lon_0``, ...): each window read through the index, and the exact bounds checked
    too (tests/store/test_nearby.py holds it to the general filter's answers)."""
    c = t.incidents.c
    exact, coarse = [], []
    for i in range(count):
        p: dict[str, BindParameter[float]] = {
            name: bindparam(f"{name}_{i}", type_=Float)
            for name in ("min_lon", "min_lat", "max_lon", "max_lat")
        }
        start = bindparam(f"start_{i}", type_=c.time_start.type)
        end = bindparam(f"end_{i}", type_=c.time_start.type)
        # the indexes keep 32-bit bounds, rounded outward: check the exact coordinates too
        inside = [
            c.lon.between(p["min_lon"], p["max_lon"]),
            c.lat.between(p["min_lat"], p["max_lat"]),
            c.time_start < end,
            ends_after(start),
        ]
        if dialect == "postgresql":
            moments = (cast(start, DateTime(timezone=True)), cast(end, DateTime(timezone=True)))
            box = (p["min_lon"], p["min_lat"], p["max_lon"], p["max_lat"])
            inside = [geom_meets(*box), span_meets(*moments), *inside]
        else:
            coarse.append(
                f"SELECT id FROM incidents_rtree WHERE {rtree_box(f'_{i}')} "
                f"AND min_t <= :rt_end_{i} AND max_t >= :rt_start_{i}"
            )
        exact.append(and_(*inside))
    clauses = [or_(*exact)]
    if coarse:
        rtree = text(" UNION ALL ".join(coarse)).columns(id=c.id.type)
        clauses.insert(0, c.id.in_(rtree))
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


def incident_ids_near(conn: Connection, f: IncidentFilter) -> list[int]:
    """The ids of ``incidents_near``'s incidents, none built."""
    i = t.incidents.c
    query = select(i.id).where(and_(True, *where_clauses(conn, f))).order_by(i.id)
    return list(conn.execute(query).scalars())


def incidents_naming(conn: Connection, actor_ids: Iterable[str]) -> list[StoredIncident]:
    """Every incident whose reports name one of these actors, or that the co-chairs
    attributed to one (no reasons), for reclassification; by one pass over the incidents
    in the database's own code."""
    ids = sorted(set(actor_ids))
    if not ids:
        return []
    query = select(t.incidents).where(_naming(conn, ids)).order_by(t.incidents.c.id)
    return hydrate(conn, conn.execute(query).all(), explain=False, summarize=False)


def incident_ids_naming(conn: Connection, actor_ids: Iterable[str]) -> list[int]:
    """The ids of ``incidents_naming``'s incidents, none built."""
    ids = sorted(set(actor_ids))
    if not ids:
        return []
    i = t.incidents.c
    return list(conn.execute(select(i.id).where(_naming(conn, ids)).order_by(i.id)).scalars())


def _naming(conn: Connection, ids: list[str]) -> ColumnElement[bool]:
    i = t.incidents
    if conn.dialect.name == "postgresql":
        each = func.json_array_elements_text(i.c.actor_ids).table_valued("value").alias("named")
    else:
        each = func.json_each(i.c.actor_ids).table_valued("value").alias("named")
    named = exists(select(1).select_from(each).where(each.c.value.in_(ids)))
    return or_(i.c.attributed_actor.in_(ids), named)
