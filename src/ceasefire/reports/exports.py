"""Incident exports: CSV (with an HXL hashtag row), GeoJSON and XLSX, streamed page by page
so no export is truncated and memory stays constant; every text cell is neutralised so a
spreadsheet never runs it as a formula."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TextIO

from ceasefire.domain.cells import cell
from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.incidents import fatalities_of
from ceasefire.domain.visibility import Audience
from ceasefire.reports.tables import (
    INCIDENT_COLUMNS,
    REPORT_COLUMNS,
    Column,
    IncidentRecord,
    incident_records,
    incident_values,
    report_values,
    utc,
)
from ceasefire.store.database import Database

CSV_COLUMNS = [c.name for c in INCIDENT_COLUMNS]

Progress = Callable[[int], None]
"""Told how many rows were written so far, after each one (a progress bar)."""


def no_progress(_count: int) -> None:
    return None


def write_rows(
    out: TextIO,
    columns: Iterable[Column],
    rows: Iterable[list[object]],
    *,
    hxl: bool = True,
    progress: Progress = no_progress,
) -> int:
    """A CSV file: the header, the HXL hashtag row when ``hxl``, then the rows, each cell
    neutralised."""
    writer = csv.writer(out, lineterminator="\n")
    columns = list(columns)
    writer.writerow(c.name for c in columns)
    if hxl:
        writer.writerow(c.hashtag for c in columns)
    count = 0
    for row in rows:
        writer.writerow(cell(value) for value in row)
        count += 1
        progress(count)
    return count


def table(
    db: Database, f: IncidentFilter, audience: Audience, *, reports: bool = False
) -> tuple[tuple[Column, ...], Iterator[list[object]]]:
    """The columns and rows of an export: a row an incident, or a row a report."""
    records = incident_records(db, f, audience)
    if reports:
        return REPORT_COLUMNS, (row for r in records for row in report_values(r))
    return INCIDENT_COLUMNS, (incident_values(r) for r in records)


def write_csv(
    db: Database,
    f: IncidentFilter,
    out: TextIO,
    audience: Audience,
    *,
    hxl: bool = True,
    reports: bool = False,
    progress: Progress = no_progress,
) -> int:
    columns, rows = table(db, f, audience, reports=reports)
    return write_rows(out, columns, rows, hxl=hxl, progress=progress)


def write_xlsx(
    db: Database,
    f: IncidentFilter,
    out: BinaryIO,
    audience: Audience,
    *,
    hxl: bool = True,
    reports: bool = False,
    progress: Progress = no_progress,
) -> int:
    """An XLSX workbook of one sheet, written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook  # 65 ms to import: only the commands that write one pay it

    columns, rows = table(db, f, audience, reports=reports)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("reports" if reports else "incidents")
    sheet.append([c.name for c in columns])
    if hxl:
        sheet.append([c.hashtag for c in columns])
    count = 0
    for row in rows:
        sheet.append([cell(v) for v in row])
        count += 1
        progress(count)
    book.save(out)
    return count


def write_geojson(
    db: Database,
    f: IncidentFilter,
    out: TextIO,
    audience: Audience,
    *,
    reports: bool = False,
    progress: Progress = no_progress,
) -> int:
    """A FeatureCollection written feature by feature (RFC 7946): an incident a feature,
    or a report a feature (at the report's own point)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for record in incident_records(db, f, audience):
        features = _report_features(record) if reports else [_incident_feature(record)]
        for feature in features:
            out.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False))
            count += 1
            progress(count)
    out.write("\n]}\n")
    return count


def _report_features(record: IncidentRecord) -> list[dict[str, object]]:
    names = [c.name for c in REPORT_COLUMNS]
    found: list[dict[str, object]] = []
    for row in report_values(record):
        properties = dict(zip(names, row, strict=True))
        point = [properties.pop("lon"), properties.pop("lat")]
        found.append(
            {
                "type": "Feature",
                "id": properties.pop("report_id"),
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {k: (None if v == "" else v) for k, v in properties.items()},
            }
        )
    return found


def _incident_feature(record: IncidentRecord) -> dict[str, object]:
    incident = record.incident
    country, admin1, admin2, place = record.places()
    low, best, high = fatalities_of([r.report for r in record.reports])
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
        "properties": {
            "report_source_ids": record.source_ids,
            "time_start_utc": utc(incident.time_start),
            "time_end_utc": utc(incident.time_end),
            "time_precision": incident.time_precision,
            "location_precision": incident.location_precision,
            "event_type": incident.event_type,
            "sub_event_type": incident.sub_event_type,
            "classification": incident.classification.value,
            "regime_ids": list(incident.regime_ids),
            "reasons": list(incident.reasons),
            "agreement_id": incident.agreement_id,
            "country": country,
            "admin1": admin1,
            "admin2": admin2,
            "place": place,
            "actors": record.actors,
            "actor_ids": list(incident.actor_ids),
            "fatalities": {"low": low, "best": best, "high": high},
            "joint_finding": incident.joint,
            "ledger_indexes": record.ledger_indexes,
            "summary": incident.summary,
        },
    }
