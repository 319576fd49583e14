"""`ceasefire incidents list|export`, and the queue of correlation candidates:
`ceasefire incidents candidates|confirm|reject`."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from ceasefire.cli.common import (
    bar,
    database,
    err,
    handled,
    local_time,
    open_ledger,
    out,
    show_table,
)
from ceasefire.domain.classification import Classification
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.domain.visibility import Audience
from ceasefire.reports.acled_export import write_acled
from ceasefire.reports.exports import (
    Progress,
    no_progress,
    write_csv,
    write_geojson,
    write_xlsx,
)
from ceasefire.services import queries, scopes
from ceasefire.services.candidates import confirm_candidate, list_candidates, reject_candidate
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store.database import Database

incidents_app = typer.Typer(
    help="List and export incidents; confirm or reject correlation candidates.",
    no_args_is_help=True,
)


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
        queries.check_named(database(), regime=(regime, "--regime"))  # an error, not no rows
    return IncidentFilter(
        bbox=BBox.parse(bbox) if bbox else None,
        start=local_time(start, "UTC", "--from") if start else None,
        end=local_time(end, "UTC", "--to") if end else None,
        classification=classification,
        regime_id=regime,
        event_type=check_event_type(event_type, None, "--event-type")[0],
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
    XLSX = "xlsx"
    ACLED = "acled"


class ExportRows(StrEnum):
    INCIDENTS = "incidents"
    REPORTS = "reports"


@incidents_app.command("export")
@handled
def incidents_export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.CSV,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File [default: stdout; xlsx needs one]")
    ] = None,
    bbox: BBoxOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    classification: ClassOpt = None,
    regime: RegimeOpt = None,
    event_type: TypeOpt = None,
    source: Annotated[
        str | None,
        typer.Option(help="Only incidents with a report of this source (acled: only its reports)"),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(help="Only what this party's users may read [default: everything]"),
    ] = None,
    rows: Annotated[
        ExportRows,
        typer.Option(help="A row (or feature) an incident, or a report (acled: reports)"),
    ] = ExportRows.INCIDENTS,
    hxl: Annotated[
        bool, typer.Option(help="A row of HXL hashtags under the header (csv, xlsx; acled: off)")
    ] = True,
) -> None:
    """Export every matching incident with its reports' ids and ledger indexes, places,
    actors, casualties, classification, reasons and joint finding (csv with HXL hashtags,
    geojson, xlsx), or each of their reports (--rows reports); or the reports as ACLED's
    CSV (acled), which `import events --format acled` reads back."""
    f = incident_filter(bbox, start, end, classification, regime, event_type, 100)
    f = replace(f, source=source)
    if format is ExportFormat.XLSX and output is None:
        raise InvalidInputError("--output", "an xlsx workbook is written to a file: pass -o")
    reports = rows is ExportRows.REPORTS or format is ExportFormat.ACLED
    db = database()
    audience = scopes.audience_for(db, party)
    if output is None:
        _export(format, db, f, audience, sys.stdout, hxl=hxl, reports=reports)
        return
    total = None if reports else queries.count_incidents(db, f, audience)
    what = "reports" if reports else "incidents"
    with bar(f"exporting {what}", total) as progress:
        task = progress.task_ids[0]

        def advance(count: int) -> None:
            progress.update(task, completed=count)

        if format is ExportFormat.XLSX:
            with output.open("wb") as binary:
                count = write_xlsx(
                    db, f, binary, audience, hxl=hxl, reports=reports, progress=advance
                )
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = _export(
                    format, db, f, audience, handle, hxl=hxl, reports=reports, progress=advance
                )
    err.print(f"wrote {count} {what} to {output}")


def _export(
    format: ExportFormat,
    db: Database,
    f: IncidentFilter,
    audience: Audience,
    handle: TextIO,
    *,
    hxl: bool,
    reports: bool,
    progress: Progress = no_progress,
) -> int:
    if format is ExportFormat.GEOJSON:
        return write_geojson(db, f, handle, audience, reports=reports, progress=progress)
    if format is ExportFormat.ACLED:
        return write_acled(db, f, handle, audience, progress=progress)
    return write_csv(db, f, handle, audience, hxl=hxl, reports=reports, progress=progress)


IncidentArg = Annotated[int, typer.Argument(min=1, help="An incident of the pair.")]
OtherArg = Annotated[int, typer.Argument(min=1, help="The other incident of the pair.")]
AnalystOpt = Annotated[str, typer.Option(help="The analyst's party (signs the decision).")]


@incidents_app.command("candidates")
@handled
def incidents_candidates(
    party: Annotated[
        str | None,
        typer.Option(help="Only what this party's users may read [default: everything]"),
    ] = None,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="At least this score.")] = 0.0,
    limit: Annotated[int, typer.Option(min=1, max=1_000, help="At most this many.")] = 50,
) -> None:
    """Pairs of incidents correlation proposes as one event, best score first, with the
    reasons (docs/correlation.md); `confirm` or `reject` each."""
    db = database()
    queue = list_candidates(db, scopes.audience_for(db, party), limit=limit, min_score=min_score)
    rows = [
        [str(c.incident_id), str(c.other_id), f"{c.score:.2f}", c.reasons, c.agreement_id or ""]
        for c in queue.candidates
    ]
    show_table(["incident", "other", "score", "reasons", "agreement"], rows)
    if queue.total > len(rows):
        err.print(f"{len(rows)} of {queue.total}; use --limit for more", highlight=False)


@incidents_app.command("confirm")
@handled
def incidents_confirm(incident: IncidentArg, other: OtherArg, party: AnalystOpt) -> None:
    """Confirm a candidate: the two incidents are one event and are merged into the
    smaller id (signed by the party, as every merge)."""
    log = open_ledger()
    merged = confirm_candidate(
        log, incident, other, author=party, audience=scopes.audience_for(log.db, party)
    )
    out.print(
        f"merged incident {', '.join(map(str, merged.merged_ids))} into {merged.incident.id} "
        f"({len(merged.reports)} reports moved)",
        highlight=False,
    )


@incidents_app.command("reject")
@handled
def incidents_reject(incident: IncidentArg, other: OtherArg, party: AnalystOpt) -> None:
    """Reject a candidate: the two incidents are two events; the pair is not proposed
    again (signed by the party)."""
    log = open_ledger()
    rejection = reject_candidate(
        log, incident, other, author=party, audience=scopes.audience_for(log.db, party)
    )
    out.print(
        f"rejected: incidents {min(incident, other)} and {max(incident, other)} are two "
        f"events (candidate_rejection:{rejection})",
        highlight=False,
    )
