"""`ceasefire import events`: stream an event file into the database."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, cast, get_args

import typer

from ceasefire.cli.common import bar, handled, open_ledger, out, settings, yield_cpu
from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.events import EventFormat, open_events
from ceasefire.ingest.quarantine import QuarantineWriter
from ceasefire.ingest.rows import RowError
from ceasefire.services.imports import ImportSummary, import_events
from ceasefire.services.ledger import Ledger

import_app = typer.Typer(help="Import event data.", no_args_is_help=True)


class FileFormat(StrEnum):
    UCDP = "ucdp"
    ACLED = "acled"
    GEOJSON = "geojson"


def run_import(
    log: Ledger,
    path: Path,
    fmt: str,
    source: str | None,
    quarantine: Path | None,
    encoding: str | None,
    agreement: str | None = None,
) -> ImportSummary:
    if fmt not in get_args(EventFormat):
        raise InvalidInputError(
            "--format", f"{fmt!r} is not one of {', '.join(get_args(EventFormat))}"
        )
    target = quarantine or Path.cwd() / f"{path.stem}.quarantine.csv"
    with open_events(path, cast(EventFormat, fmt), source=source, encoding=encoding) as events:
        writer: QuarantineWriter | None = None

        def on_error(error: RowError) -> None:
            nonlocal writer
            if writer is None:
                writer = QuarantineWriter(target, events.columns).__enter__()
            writer.write(error)

        with bar(f"importing {path.name}", events.bytes_total, in_bytes=True) as progress:
            task = progress.task_ids[0]
            summary = import_events(
                log,
                events.rows(),
                on_error=on_error,
                settings=settings().correlation(),
                on_batch=lambda _s: progress.update(task, completed=events.bytes_read),
                agreement_id=agreement,
            )
        if writer is not None:
            writer.__exit__(None, None, None)
        elif quarantine is not None:
            with QuarantineWriter(quarantine, events.columns):
                pass
    out.print(f"{path.name}: {summary.line()}")
    if summary.quarantined:
        out.print(f"  bad rows and their reasons: {target}")
    return summary


@import_app.command("events")
@handled
def import_events_command(
    file: Annotated[Path, typer.Argument(help="The event file.")],
    format: Annotated[FileFormat, typer.Option("--format", "-f", help="The file's format.")],
    source: Annotated[str | None, typer.Option(help="Source name [default: per format]")] = None,
    quarantine: Annotated[
        Path | None,
        typer.Option(help="CSV for bad rows [default: ./<file>.quarantine.csv when any]"),
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding [default: detected]")] = None,
    agreement: Annotated[
        str | None,
        typer.Option(
            help="Only this agreement's parties may read the reports [default: every party]"
        ),
    ] = None,
) -> None:
    """Import UCDP GED or ACLED CSV, or GeoJSON reports. Re-importing adds nothing."""
    yield_cpu(settings().import_niceness)  # this process ends with the import
    run_import(
        open_ledger(create=True), file, format.value, source, quarantine, encoding, agreement
    )
