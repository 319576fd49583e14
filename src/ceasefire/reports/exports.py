"""Incident exports: CSV and GeoJSON, streamed page by page so no export is truncated."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import TextIO

from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.visibility import Audience
from ceasefire.store import incidents as incident_store
from ceasefire.store.database import Database
from ceasefire.store.incidents import StoredIncident
from ceasefire.store.reports import source_ids_of

CSV_COLUMNS = [
    "id",
    "report_source_ids",
    "time_start_utc",
    "time_end_utc",
    "time_precision",
    "lon",
    "lat",
    "location_precision",
    "event_type",
    "sub_event_type",
    "classification",
    "regime_ids",
    "reasons",
]
_PAGE = 5_000


def incidents_with_sources(
    db: Database, f: IncidentFilter, audience: Audience
) -> Iterator[tuple[StoredIncident, list[str]]]:
    """Every incident the audience may read matching the filter, with its reports'
    'source:source_id' ids."""
    page_filter = replace(f, limit=_PAGE)
    while True:
        with db.read() as conn:
            page = incident_store.query_incidents(conn, page_filter, audience, explain=True)
            sources = source_ids_of(conn, [i.id for i in page])
        yield from ((i, sources[i.id]) for i in page)
        if len(page) < _PAGE:
            return
        page_filter = replace(page_filter, after_id=page[-1].id)


def _utc(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A value for a CSV cell that a spreadsheet will not run: text starting like a
    formula (``=HYPERLINK(...)``, ``+cmd``, ``@SUM(1)``, ``-1+1``) gets a leading
    apostrophe, which spreadsheets show as text (OWASP's advice); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(db: Database, f: IncidentFilter, out: TextIO, audience: Audience) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for incident, sources in incidents_with_sources(db, f, audience):
        writer.writerow(
            cell(value)
            for value in [
                incident.id,
                ";".join(sources),
                _utc(incident.time_start),
                _utc(incident.time_end),
                incident.time_precision,
                incident.lon,
                incident.lat,
                incident.location_precision,
                incident.event_type or "",
                incident.sub_event_type or "",
                incident.classification.value,
                ";".join(incident.regime_ids),
                " | ".join(incident.reasons),
            ]
        )
        count += 1
    return count


def write_geojson(db: Database, f: IncidentFilter, out: TextIO, audience: Audience) -> int:
    """A FeatureCollection written feature by feature (RFC 7946)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for incident, sources in incidents_with_sources(db, f, audience):
        feature = {
            "type": "Feature",
            "id": incident.id,
            "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
            "properties": {
                "report_source_ids": sources,
                "time_start_utc": _utc(incident.time_start),
                "time_end_utc": _utc(incident.time_end),
                "time_precision": incident.time_precision,
                "location_precision": incident.location_precision,
                "event_type": incident.event_type,
                "sub_event_type": incident.sub_event_type,
                "classification": incident.classification.value,
                "regime_ids": list(incident.regime_ids),
                "reasons": list(incident.reasons),
            },
        }
        out.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count
