"""Reports as rows: each keeps its own claims, linked to the incident it belongs to."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, Connection, Row, Select, bindparam, func, select, union_all

from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Fatalities, Report
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import visible
from ceasefire.store.bulk import insert_many

# Stay below SQLite's limit on bound parameters in one statement.
CHUNK = 900


@dataclass(frozen=True, slots=True)
class StoredReport:
    id: int
    incident_id: int
    report: Report
    ledger_index: int | None = None  # its entry's sequence, where the write that filed it knows it


def report_row(report: Report, incident_id: int) -> dict[str, Any]:
    time, place, deaths = report.time, report.location, report.fatalities
    return {
        "source": report.source,
        "source_id": report.source_id,
        "incident_id": incident_id,
        "time_start": time.start,
        "time_end": time.end,
        "time_precision": time.precision.value,
        "time_precision_code": time.source_code,
        "lon": place.lon,
        "lat": place.lat,
        "location_precision": place.precision.value,
        "location_precision_code": place.source_code,
        "place": place.place,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "country": place.country,
        "event_type": report.event_type,
        "sub_event_type": report.sub_event_type,
        "fatalities_low": deaths.low,
        "fatalities_best": deaths.best,
        "fatalities_high": deaths.high,
        "narrative": report.narrative,
        "citations": list(report.citations),
        "attributes": report.attributes,
        "actors": [mention_json(a) for a in report.actors],
        "agreement_id": report.agreement_id,
    }


def report_from_row(row: Row[Any]) -> StoredReport:
    report = Report(
        source=row.source,
        source_id=row.source_id,
        time=EventTime(
            row.time_start, row.time_end, TimePrecision(row.time_precision), row.time_precision_code
        ),
        location=EventLocation(
            lon=row.lon,
            lat=row.lat,
            precision=LocationPrecision(row.location_precision),
            source_code=row.location_precision_code,
            place=row.place,
            admin1=row.admin1,
            admin2=row.admin2,
            country=row.country,
        ),
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        actors=tuple(mention_from_json(a) for a in row.actors),
        fatalities=Fatalities(row.fatalities_low, row.fatalities_best, row.fatalities_high),
        narrative=row.narrative,
        citations=tuple(row.citations),
        attributes=dict(row.attributes),
        agreement_id=row.agreement_id,
    )
    return StoredReport(id=row.id, incident_id=row.incident_id, report=report)


def insert_reports(
    conn: Connection, rows: Sequence[dict[str, Any]], ids: Sequence[int]
) -> Sequence[int]:
    """Insert the rows (without ids) with these ids, in order."""
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    insert_many(conn, t.reports, rows)
    return ids


def existing_source_ids(conn: Connection, source: str, source_ids: Sequence[str]) -> set[str]:
    """Which of these source ids of ``source`` are stored already. A few (reports filed
    together) are looked up one by one in one statement: PostgreSQL, with statistics
    taken before a source's first thousands of reports, reads every report of the source
    for ``source_id IN (...)`` (3 ms under the log's lock at 20,000), but never for an
    equality on both columns of the unique index."""
    if not source_ids:
        return set()
    if len(source_ids) <= _FEW:
        params = {f"id_{i}": source_id for i, source_id in enumerate(source_ids)}
        query = _each_source_id(len(source_ids))
        return {str(v) for v in conn.execute(query, {"source": source, **params}).scalars()}
    found: set[str] = set()
    for i in range(0, len(source_ids), CHUNK):
        chunk = list(source_ids[i : i + CHUNK])
        found.update(conn.execute(_SOURCE_IDS, {"source": source, "ids": chunk}).scalars())
    return found


_FEW = 32  # as many as a write group files together
_SOURCE_IDS = select(t.reports.c.source_id).where(
    t.reports.c.source == bindparam("source"),
    t.reports.c.source_id.in_(bindparam("ids", expanding=True)),
)


@functools.lru_cache(maxsize=_FEW)
def _each_source_id(count: int) -> CompoundSelect[Any] | Select[Any]:
    """One equality lookup a source id, ``count`` of them in one statement (built once:
    every filed report asks)."""
    r = t.reports.c
    lookups = [
        select(r.source_id).where(
            r.source == bindparam("source"), r.source_id == bindparam(f"id_{i}")
        )
        for i in range(count)
    ]
    return lookups[0] if count == 1 else union_all(*lookups)


def reports_of(conn: Connection, incident_ids: Iterable[int]) -> dict[int, list[StoredReport]]:
    ids = sorted(set(incident_ids))
    found: dict[int, list[StoredReport]] = defaultdict(list)
    for i in range(0, len(ids), CHUNK):
        query = (
            select(t.reports)
            .where(t.reports.c.incident_id.in_(ids[i : i + CHUNK]))
            .order_by(t.reports.c.id)
        )
        for row in conn.execute(query):
            stored = report_from_row(row)
            found[stored.incident_id].append(stored)
    return found


def get_reports(
    conn: Connection, report_ids: Sequence[int], audience: Audience
) -> list[StoredReport]:
    """These reports; one the audience may not read is as missing as one never stored."""
    seen = visible(t.reports.c.agreement_id, audience)
    rows = conn.execute(
        select(t.reports).where(t.reports.c.id.in_(report_ids), seen).order_by(t.reports.c.id)
    ).all()
    missing = sorted(set(report_ids) - {r.id for r in rows})
    if missing:
        raise NotFoundError(f"report {missing[0]} does not exist")
    return [report_from_row(r) for r in rows]


def list_reports(
    conn: Connection, audience: Audience, *, source: str | None, after_id: int | None, limit: int
) -> list[StoredReport]:
    """A page of the reports the audience may read, in id order."""
    seen = visible(t.reports.c.agreement_id, audience)
    query = select(t.reports).where(seen).order_by(t.reports.c.id).limit(limit)
    if source is not None:
        query = query.where(t.reports.c.source == source)
    if after_id is not None:
        query = query.where(t.reports.c.id > after_id)
    return [report_from_row(r) for r in conn.execute(query)]


def set_actors(conn: Connection, actors: Mapping[int, Sequence[ActorMention]]) -> None:
    """Replace the actors stored reports name (by report id; after they were resolved
    anew): one statement, run for every report."""
    if not actors:
        return
    r = t.reports
    statement = r.update().where(r.c.id == bindparam("_id")).values(actors=bindparam("_actors"))
    conn.execute(
        statement,
        [{"_id": i, "_actors": [mention_json(a) for a in found]} for i, found in actors.items()],
    )


def move_reports(conn: Connection, report_ids: Sequence[int], incident_id: int) -> None:
    conn.execute(
        t.reports.update().where(t.reports.c.id.in_(report_ids)).values(incident_id=incident_id)
    )


def stored_sources(conn: Connection, audience: Audience) -> set[str]:
    """The distinct sources of the stored reports the audience may read, found by seeking
    the (source, source_id) index once per source rather than scanning the table (but
    through every report of a source whose reports the audience may read none of)."""
    found: set[str] = set()
    col = t.reports.c
    query = select(func.min(col.source))
    if not audience.everything:
        query = query.where(visible(col.agreement_id, audience))
    last = conn.execute(query).scalar()
    while last is not None:
        found.add(last)
        last = conn.execute(query.where(col.source > last)).scalar()
    return found


def sources_of(conn: Connection, incident_ids: Sequence[int]) -> dict[int, set[str]]:
    """The sources whose reports make each of these incidents."""
    found: dict[int, set[str]] = defaultdict(set)
    col = t.reports.c
    for start in range(0, len(incident_ids), CHUNK):
        chunk = incident_ids[start : start + CHUNK]
        query = select(col.incident_id, col.source).where(col.incident_id.in_(chunk)).distinct()
        for incident_id, source in conn.execute(query):
            found[int(incident_id)].add(str(source))
    return found


def report_id(conn: Connection, source: str, source_id: str) -> int:
    col = t.reports.c
    query = select(col.id).where(col.source == source, col.source_id == source_id)
    found = conn.execute(query).scalar()
    if found is None:
        raise NotFoundError(f"report {source}/{source_id} does not exist")
    return int(found)


def source_ids_of(conn: Connection, incident_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each incident's reports as 'source:source_id', in report order."""
    found: dict[int, list[str]] = {i: [] for i in incident_ids}
    col = t.reports.c
    for start in range(0, len(incident_ids), CHUNK):
        query = (
            select(col.incident_id, col.source, col.source_id)
            .where(col.incident_id.in_(incident_ids[start : start + CHUNK]))
            .order_by(col.id)
        )
        for incident_id, source, source_id in conn.execute(query):
            found[incident_id].append(f"{source}:{source_id}")
    return found


def mention_json(mention: ActorMention) -> dict[str, Any]:
    """A mention as stored (and as the report's state holds it): the score only where one
    was kept, so states written before scores were kept read the same."""
    found: dict[str, Any] = {
        "name": mention.name,
        "role": mention.role,
        "actor_id": mention.actor_id,
    }
    if mention.score is not None:
        found["score"] = mention.score
    return found


def mention_from_json(stored: dict[str, Any]) -> ActorMention:
    """A mention as ``mention_json`` stored it."""
    return ActorMention(stored["name"], stored["role"], stored["actor_id"], stored.get("score"))
