"""`ceasefire incidents list|export`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import database, err, handled, local_time, show_table
from ceasefire.domain.classification import Classification
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.reports.exports import write_csv, write_geojson
from ceasefire.services import queries, scopes
from ceasefire.services.scopes import EVERYTHING

incidents_app = typer.Typer(help="List and export incidents.", no_args_is_help=True)


def incident_filter(
    bbox: str | None,
    start: str | None,
    end: str | None,
    classification: Classification | None,
    regime: str | None,
    event_type: str | None,
    limit: int,
) -> IncidentFilter:
    if regime is not None:
        queries.get_regime(database(), regime)  # an unknown regime is an error, not no rows
    return IncidentFilter(
        bbox=BBox.parse(bbox) if bbox else None,
        start=local_time(start, "UTC", "--from") if start else None,
        end=local_time(end, "UTC", "--to") if end else None,
        classification=classification,
        regime_id=regime,
        event_type=event_type,
        limit=limit,
    )


BBoxOpt = Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat")]
FromOpt = Annotated[str | None, typer.Option("--from", help="ISO 8601 (UTC if no offset)")]
ToOpt = Annotated[str | None, typer.Option("--to", help="ISO 8601 (UTC if no offset)")]
ClassOpt = Annotated[Classification | None, typer.Option(help="Only this classification.")]
RegimeOpt = Annotated[str | None, typer.Option(help="Only incidents a regime bears on.")]
TypeOpt = Annotated[str | None, typer.Option("--event-type", help="Only this ACLED event type.")]


@incidents_app.command("list")
@handled
def incidents_list(
    bbox: BBoxOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    classification: ClassOpt = None,
    regime: RegimeOpt = None,
    event_type: TypeOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
) -> None:
    """Show incidents with their classification."""
    f = incident_filter(bbox, start, end, classification, regime, event_type, limit)
    db = database()
    found = queries.list_incidents(db, f, EVERYTHING)
    rows = [
        [
            str(i.id),
            f"{i.time_start:%Y-%m-%d %H:%M}",
            f"{i.time_precision}/{i.location_precision}",
            f"{i.lon:.4f}",
            f"{i.lat:.4f}",
            i.event_type or "",
            i.classification.value,
            ", ".join(i.regime_ids),
        ]
        for i in found
    ]
    columns = ["id", "time (UTC)", "precision", "lon", "lat", "event type", "classification"]
    show_table([*columns, "regimes"], rows)
    if len(found) == limit:
        total = queries.count_incidents(db, f, EVERYTHING)
        if total > limit:
            err.print(f"{limit} of {total}; use --limit for more", highlight=False)


class ExportFormat(StrEnum):
    CSV = "csv"
    GEOJSON = "geojson"


@incidents_app.command("export")
@handled
def incidents_export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.CSV,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File [default: stdout]")
    ] = None,
    bbox: BBoxOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    classification: ClassOpt = None,
    regime: RegimeOpt = None,
    event_type: TypeOpt = None,
    party: Annotated[
        str | None,
        typer.Option(help="Only what this party's users may read [default: everything]"),
    ] = None,
) -> None:
    """Export every matching incident with its reports' ids, classification and reasons."""
    f = incident_filter(bbox, start, end, classification, regime, event_type, 100)
    write = write_csv if format is ExportFormat.CSV else write_geojson
    db = database()
    audience = scopes.audience_for(db, party)
    if output is None:
        write(db, f, sys.stdout, audience)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        count = write(db, f, handle, audience)
    err.print(f"wrote {count} incidents to {output}")
