"""Reports as an ACLED-shaped CSV: the columns of ACLED's own export, one row a report, so
ACLED users' tools (and ``ceasefire import events --format acled``) read it back.

A report coded by ACLED comes back as it went in. A report of another source is coded to
ACLED's scales, coarsening where ACLED has no finer code: an exact time or a year is given
as ACLED's day (1) or month (3), an exact place as a town (1), a district as near a place
(2), a region or country as a region (3); its first actor is ``actor1``, its second
``actor2`` and the others ``assoc_actor_1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TextIO

from ceasefire.domain.events import Report
from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.visibility import Audience
from ceasefire.reports.exports import Progress, no_progress, write_rows
from ceasefire.reports.tables import Column, incident_records
from ceasefire.store.database import Database

ACLED_COLUMNS = (
    Column("event_id_cnty", "#event+id"),
    Column("event_date", "#date+occurred"),
    Column("year", "#date+year"),
    Column("time_precision", "#date+precision"),
    Column("disorder_type", "#event+type+disorder"),
    Column("event_type", "#event+type"),
    Column("sub_event_type", "#event+type+sub"),
    Column("actor1", "#actor+name+first"),
    Column("assoc_actor_1", "#actor+name+first+assoc"),
    Column("inter1", "#actor+code+first"),
    Column("actor2", "#actor+name+second"),
    Column("assoc_actor_2", "#actor+name+second+assoc"),
    Column("inter2", "#actor+code+second"),
    Column("interaction", "#actor+code+interaction"),
    Column("civilian_targeting", "#event+civilian_targeting"),
    Column("iso", "#country+code"),
    Column("region", "#region+name"),
    Column("country", "#country+name"),
    Column("admin1", "#adm1+name"),
    Column("admin2", "#adm2+name"),
    Column("admin3", "#adm3+name"),
    Column("location", "#loc+name"),
    Column("latitude", "#geo+lat"),
    Column("longitude", "#geo+lon"),
    Column("geo_precision", "#geo+precision"),
    Column("source", "#meta+source"),
    Column("source_scale", "#meta+source+scale"),
    Column("notes", "#description"),
    Column("fatalities", "#affected+killed"),
    Column("tags", "#meta+tags"),
    Column("timestamp", "#date+updated"),
)
_FROM_ATTRIBUTES = (
    "disorder_type",
    "inter1",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "admin3",
    "source_scale",
    "tags",
    "timestamp",
)
_TIME_CODE = {
    TimePrecision.EXACT: 1,
    TimePrecision.DAY: 1,
    TimePrecision.WEEK: 2,
    TimePrecision.MONTH: 3,
    TimePrecision.YEAR: 3,
}
_GEO_CODE = {
    LocationPrecision.EXACT: 1,
    LocationPrecision.SETTLEMENT: 1,
    LocationPrecision.NEAR: 2,
    LocationPrecision.ADM2: 2,
    LocationPrecision.ADM1: 3,
    LocationPrecision.REGION: 3,
    LocationPrecision.COUNTRY: 3,
    LocationPrecision.WATER: 3,
}
_ROLES = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


def event_date(report: Report) -> date:
    """The day ACLED codes the report's time at: a week's middle day, else its first."""
    first = report.time.start.date()
    if report.time.precision is TimePrecision.WEEK:
        return first + timedelta(days=3)
    return first


def _actors(report: Report) -> dict[str, str]:
    given: dict[str, list[str]] = {role: [] for role in _ROLES}
    others = [a.name for a in report.actors if a.role not in _ROLES]
    for mention in report.actors:
        if mention.role in _ROLES:
            given[mention.role].append(mention.name)
    for name in others:  # another source's actors: the first two sides, then associates
        if not given["actor1"]:
            given["actor1"].append(name)
        elif not given["actor2"]:
            given["actor2"].append(name)
        else:
            given["assoc_actor_1"].append(name)
    return {role: "; ".join(names) for role, names in given.items()}


def acled_values(report: Report) -> list[object]:
    """The report's row of ``ACLED_COLUMNS``."""
    day = event_date(report)
    where = report.location
    actors = _actors(report)
    deaths = report.fatalities
    fatalities = next((n for n in (deaths.best, deaths.low, deaths.high) if n is not None), 0)
    values: dict[str, object] = {a: report.attributes.get(a, "") for a in _FROM_ATTRIBUTES}
    values.update(actors)
    values.update(
        event_id_cnty=report.source_id,
        event_date=day.isoformat(),
        year=day.year,
        time_precision=_TIME_CODE[report.time.precision],
        event_type=report.event_type or "",
        sub_event_type=report.sub_event_type or "",
        country=where.country or "",
        admin1=where.admin1 or "",
        admin2=where.admin2 or "",
        location=where.place or "",
        latitude=repr(where.lat),
        longitude=repr(where.lon),
        geo_precision=_GEO_CODE[where.precision],
        source="; ".join(report.citations),
        notes=report.narrative,
        fatalities=fatalities,
    )
    return [values[c.name] for c in ACLED_COLUMNS]


def readable_reports(
    db: Database, f: IncidentFilter, audience: Audience, source: str | None = None
) -> Iterator[Report]:
    """The reports of the incidents matching the filter that the audience may read (only
    those of ``source`` when given), incident by incident."""
    for record in incident_records(db, f, audience):
        for stored in record.reports:
            if source is None or stored.report.source == source:
                yield stored.report


def write_acled(
    db: Database,
    f: IncidentFilter,
    out: TextIO,
    audience: Audience,
    *,
    hxl: bool = False,
    progress: Progress = no_progress,
) -> int:
    """The reports as ACLED's CSV (no HXL row unless asked: ACLED's files have none)."""
    rows = (acled_values(r) for r in readable_reports(db, f, audience, f.source))
    return write_rows(out, ACLED_COLUMNS, rows, hxl=hxl, progress=progress)
