"""Incidents as table rows for exports: one row an incident, with its reports' ids and
ledger indexes, its actors, casualties, places, classification, reasons and joint finding;
each column with its HXL hashtag (the Humanitarian Exchange Language, hxlstandard.org), so
HXL tools read the file as it is.

Rows are produced page by page: memory stays constant however many incidents match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.incidents import fatalities_of
from ceasefire.domain.precision import LOCATION_ORDER
from ceasefire.domain.visibility import Audience
from ceasefire.store import incidents as incident_store
from ceasefire.store import ledger as log_store
from ceasefire.store.actors import actor_names
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.reports import StoredReport, reports_of

PAGE = 5_000


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    hashtag: str  # the HXL hashtag and attributes of the column


INCIDENT_COLUMNS = (
    Column("id", "#event+id"),
    Column("report_source_ids", "#meta+source+id"),
    Column("time_start_utc", "#date+start"),
    Column("time_end_utc", "#date+end"),
    Column("time_precision", "#date+precision"),
    Column("lon", "#geo+lon"),
    Column("lat", "#geo+lat"),
    Column("location_precision", "#geo+precision"),
    Column("event_type", "#event+type"),
    Column("sub_event_type", "#event+type+sub"),
    Column("classification", "#status+classification"),
    Column("regime_ids", "#meta+regime+id"),
    Column("reasons", "#description+reasons"),
    Column("agreement_id", "#meta+agreement+id"),
    Column("country", "#country+name"),
    Column("admin1", "#adm1+name"),
    Column("admin2", "#adm2+name"),
    Column("place", "#loc+name"),
    Column("actors", "#actor+name"),
    Column("actor_ids", "#actor+code"),
    Column("fatalities_low", "#affected+killed+min"),
    Column("fatalities_best", "#affected+killed"),
    Column("fatalities_high", "#affected+killed+max"),
    Column("joint_finding", "#status+finding+joint"),
    Column("ledger_indexes", "#meta+ledger+index"),
    Column("summary", "#description+summary"),
)


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """An incident with what its row needs beyond the incident's own columns."""

    incident: StoredIncident
    reports: list[StoredReport]
    actors: list[str]  # names: the resolved actors' names, then the unresolved as written
    ledger_indexes: list[int | None]  # each report's latest ledger entry, in report order

    @property
    def source_ids(self) -> list[str]:
        return [f"{r.report.source}:{r.report.source_id}" for r in self.reports]

    def places(self) -> tuple[str | None, str | None, str | None, str | None]:
        """Country, admin1, admin2 and place of the report located most precisely."""
        if not self.reports:
            i = self.incident
            return None, i.admin1, None, i.place
        best = min(self.reports, key=lambda r: LOCATION_ORDER.index(r.report.location.precision))
        where = best.report.location
        return where.country, where.admin1, where.admin2, where.place


def utc(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def incident_records(
    db: Database, f: IncidentFilter, audience: Audience
) -> Iterator[IncidentRecord]:
    """Every incident the audience may read that matches the filter, in id order, read a
    page at a time."""
    page_filter = replace(f, limit=PAGE)
    while True:
        with db.read() as conn:
            page = incident_store.query_incidents(conn, page_filter, audience, explain=True)
            ids = [i.id for i in page]
            reports = reports_of(conn, ids)
            names = actor_names(conn, {a for i in page for a in i.actor_ids})
            records = [f"report:{r.id}" for rs in reports.values() for r in rs]
            indexes = log_store.latest_sequences(conn, records)
        for incident in page:
            own = [r for r in reports.get(incident.id, []) if audience.sees(r.report.agreement_id)]
            yield IncidentRecord(
                incident,
                own,
                _actors(incident, own, names),
                [indexes.get(f"report:{r.id}") for r in own],
            )
        if len(page) < PAGE:
            return
        page_filter = replace(page_filter, after_id=page[-1].id)


def _actors(
    incident: StoredIncident, reports: list[StoredReport], names: dict[str, str]
) -> list[str]:
    found = [names.get(a, a) for a in incident.actor_ids]
    for stored in reports:
        for mention in stored.report.actors:
            if mention.actor_id is None and mention.name not in found:
                found.append(mention.name)
    return found


def incident_values(record: IncidentRecord) -> list[object]:
    """The row of ``INCIDENT_COLUMNS`` (lists joined by ';', reasons by ' | ')."""
    i = record.incident
    country, admin1, admin2, place = record.places()
    low, best, high = fatalities_of([r.report for r in record.reports])
    return [
        i.id,
        ";".join(record.source_ids),
        utc(i.time_start),
        utc(i.time_end),
        i.time_precision,
        i.lon,
        i.lat,
        i.location_precision,
        i.event_type or "",
        i.sub_event_type or "",
        i.classification.value,
        ";".join(i.regime_ids),
        " | ".join(i.reasons),
        i.agreement_id or "",
        country or "",
        admin1 or "",
        admin2 or "",
        place or "",
        ";".join(record.actors),
        ";".join(i.actor_ids),
        "" if low is None else low,
        "" if best is None else best,
        "" if high is None else high,
        i.joint or "",
        ";".join("" if n is None else str(n) for n in record.ledger_indexes),
        i.summary or "",
    ]


REPORT_COLUMNS = (
    Column("report_id", "#meta+id+report"),
    Column("incident_id", "#event+id"),
    Column("source", "#meta+source"),
    Column("source_id", "#meta+source+id"),
    Column("time_start_utc", "#date+start"),
    Column("time_end_utc", "#date+end"),
    Column("time_precision", "#date+precision"),
    Column("lon", "#geo+lon"),
    Column("lat", "#geo+lat"),
    Column("location_precision", "#geo+precision"),
    Column("country", "#country+name"),
    Column("admin1", "#adm1+name"),
    Column("admin2", "#adm2+name"),
    Column("place", "#loc+name"),
    Column("event_type", "#event+type"),
    Column("sub_event_type", "#event+type+sub"),
    Column("actors", "#actor+name"),
    Column("actor_ids", "#actor+code"),
    Column("fatalities_low", "#affected+killed+min"),
    Column("fatalities_best", "#affected+killed"),
    Column("fatalities_high", "#affected+killed+max"),
    Column("narrative", "#description"),
    Column("citations", "#meta+citation"),
    Column("agreement_id", "#meta+agreement+id"),
    Column("classification", "#status+classification"),
    Column("joint_finding", "#status+finding+joint"),
    Column("ledger_index", "#meta+ledger+index"),
)


def report_values(record: IncidentRecord) -> list[list[object]]:
    """The rows of ``REPORT_COLUMNS`` of the incident's reports: each report's own claims,
    with its incident's classification and joint finding."""
    rows: list[list[object]] = []
    i = record.incident
    for stored, index in zip(record.reports, record.ledger_indexes, strict=True):
        r = stored.report
        where, deaths = r.location, r.fatalities
        rows.append(
            [
                stored.id,
                i.id,
                r.source,
                r.source_id,
                utc(r.time.start),
                utc(r.time.end),
                r.time.precision.value,
                where.lon,
                where.lat,
                where.precision.value,
                where.country or "",
                where.admin1 or "",
                where.admin2 or "",
                where.place or "",
                r.event_type or "",
                r.sub_event_type or "",
                ";".join(a.name for a in r.actors),
                ";".join(a.actor_id or "" for a in r.actors),
                "" if deaths.low is None else deaths.low,
                "" if deaths.best is None else deaths.best,
                "" if deaths.high is None else deaths.high,
                r.narrative,
                ";".join(r.citations),
                r.agreement_id or "",
                i.classification.value,
                i.joint or "",
                "" if index is None else index,
            ]
        )
    return rows
