"""What the map draws: the incidents in view as points, or, when there are too many to
draw one by one, as counts per grid cell and classification (computed by the database,
with the same filters and the same reader's scope as the incident list)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Integer, and_, cast, func, select

from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import visible
from ceasefire.store.incidents import matching_clauses
from ceasefire.store.summaries import summaries


@dataclass(frozen=True, slots=True)
class Point:
    id: int
    lon: float
    lat: float
    classification: str
    joint: str | None
    time_start: datetime
    time_precision: str
    event_type: str | None
    place: str | None
    report_count: int
    summary: str | None = None


@dataclass(slots=True)
class Cell:
    """A grid cell's incidents: how many of each classification, and their centre."""

    lon: float
    lat: float
    count: int = 0
    by_classification: dict[str, int] = field(default_factory=dict)


_POINT = (
    "id",
    "lon",
    "lat",
    "classification",
    "joint",
    "joint_agreement",
    "time_start",
    "time_precision",
    "event_type",
    "place",
    "report_count",
)


def count(conn: Connection, f: IncidentFilter, audience: Audience, cap: int) -> int:
    """How many incidents the audience may read match the filter, counting no further
    than ``cap`` (enough to know there are more than the map draws one by one)."""
    where = and_(*matching_clauses(conn, f, audience))
    found = select(t.incidents.c.id).where(where).limit(cap).subquery()
    return int(conn.execute(select(func.count()).select_from(found)).scalar_one())


def points(
    conn: Connection, f: IncidentFilter, audience: Audience, limit: int, *, dense: bool = False
) -> list[Point]:
    """The incidents in view, at most ``limit``, latest first; a joint finding only where
    the reader may know it. ``dense``: the view holds many more than ``limit``, so they
    are found walking back in time (the time index) rather than through the spatial one,
    which would find them all and sort them."""
    c = t.incidents.c
    clauses = matching_clauses(conn, f, audience)
    if dense and f.bbox is not None:
        b = f.bbox
        clauses = matching_clauses(conn, replace(f, bbox=None), audience)
        clauses += [c.lon.between(b.min_lon, b.max_lon), c.lat.between(b.min_lat, b.max_lat)]
    query = (
        select(*(c[name] for name in _POINT))
        .where(and_(*clauses))
        .order_by(c.time_start.desc(), c.id.desc())
        .limit(limit)
    )
    found = []
    rows = conn.execute(query).all()
    summary = summaries(conn, [int(r.id) for r in rows])
    for r in rows:
        joint = r.joint if audience.sees(r.joint_agreement) else None
        found.append(
            Point(
                int(r.id),
                r.lon,
                r.lat,
                r.classification,
                joint,
                r.time_start,
                r.time_precision,
                r.event_type,
                r.place,
                int(r.report_count),
                summary.get(int(r.id)),
            )
        )
    return found


def cells(conn: Connection, f: IncidentFilter, audience: Audience, size: float) -> list[Cell]:
    """The incidents in view counted per cell of ``size`` degrees and classification."""
    c = t.incidents.c
    # floor on both databases (a cast to integer truncates on SQLite, rounds on PostgreSQL)
    gx = cast(func.floor((c.lon + 180.0) / size), Integer).label("gx")
    gy = cast(func.floor((c.lat + 90.0) / size), Integer).label("gy")
    query = (
        select(gx, gy, c.classification, func.count(), func.avg(c.lon), func.avg(c.lat))
        .where(and_(*matching_clauses(conn, f, audience)))
        .group_by(gx, gy, c.classification)
    )
    found: dict[tuple[int, int], Cell] = {}
    sums: dict[tuple[int, int], list[float]] = {}
    for x, y, classification, n, lon, lat in conn.execute(query):
        key = (int(x), int(y))
        cell = found.setdefault(key, Cell(0.0, 0.0))
        cell.count += int(n)
        cell.by_classification[classification] = int(n)
        total = sums.setdefault(key, [0.0, 0.0])
        total[0] += float(lon) * int(n)
        total[1] += float(lat) * int(n)
    for key, cell in found.items():
        cell.lon, cell.lat = sums[key][0] / cell.count, sums[key][1] / cell.count
    return list(found.values())


def time_span(conn: Connection, audience: Audience) -> tuple[datetime | None, datetime | None]:
    """The earliest start and latest end of the incidents the audience may read (the
    map's time bar and its default range): a record it may not read moves neither."""
    c = t.incidents.c
    query = select(func.min(c.time_start), func.max(c.time_end))
    first, last = conn.execute(query.where(visible(c.agreement_id, audience))).one()
    return _aware(first), _aware(last)


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's min/max give the stored text
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
