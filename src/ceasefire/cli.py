"""The `ceasefire` command. Known errors print one line and exit 2; no tracebacks."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, ParamSpec, TypeVar, cast, get_args

import shapely
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ceasefire.config import Settings
from ceasefire.domain.classification import Classification
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.regimes import Extension, Regime, zone
from ceasefire.ingest.events import EventFormat, open_events
from ceasefire.ingest.quarantine import QuarantineWriter
from ceasefire.ingest.rows import RowError
from ceasefire.ingest.scenario import load_scenario_file
from ceasefire.reports.exports import write_csv, write_geojson
from ceasefire.services import queries
from ceasefire.services.imports import ImportSummary, import_events
from ceasefire.services.incidents import reclassify
from ceasefire.services.regimes import add_regime, extend_regime
from ceasefire.services.scenarios import load_scenario
from ceasefire.store.database import Database

app = typer.Typer(
    help="ceasefire: a shared record and map for monitoring ceasefires.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)
regimes_app = typer.Typer(help="List, add and extend regimes.", no_args_is_help=True)
incidents_app = typer.Typer(help="List and export incidents.", no_args_is_help=True)
import_app = typer.Typer(help="Import event data.", no_args_is_help=True)
app.add_typer(regimes_app, name="regimes")
app.add_typer(incidents_app, name="incidents")
app.add_typer(import_app, name="import")

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)
P = ParamSpec("P")
R = TypeVar("R")


def handled(function: Callable[P, R]) -> Callable[P, R]:
    """Turn ceasefire's own errors into one line on stderr and exit status 2."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except CeasefireError as error:
            err.print(f"error: {error.message}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
        finally:
            while State.opened:
                State.opened.pop().dispose()

    return wrapper


class State:
    db_url: ClassVar[str | None] = None
    opened: ClassVar[list[Database]] = []  # disposed when the command ends


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL or SQLite file "
            "[default: $CEASEFIRE_DATABASE_URL or ./ceasefire.sqlite]"
        ),
    ] = None,
) -> None:
    State.db_url = db


def settings() -> Settings:
    config = Settings()
    if State.db_url:
        config = config.model_copy(update={"database_url": State.db_url})
    return config


def database() -> Database:
    db = Database(settings().database_url)
    State.opened.append(db)
    db.migrate()
    return db


@contextmanager
def bar(label: str, total: int | None, *, in_bytes: bool = False) -> Iterator[Progress]:
    columns: list[Any] = [TextColumn("{task.description}"), BarColumn()]
    columns.append(DownloadColumn() if in_bytes else TextColumn("{task.completed}/{task.total}"))
    columns.append(TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        progress.add_task(label, total=total)
        yield progress


def show_table(columns: list[str], rows: list[list[str]]) -> None:
    """A table on a terminal; tab-separated lines with a header when piped or redirected."""
    if not out.is_terminal:
        for line in [columns, *rows]:
            print("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in line))
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    out.print(table)


@app.command()
@handled
def init() -> None:
    """Create the database (or bring its schema up to date)."""
    db = database()
    out.print(f"database ready: {db.describe()}")


@app.command()
@handled
def load(files: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")]) -> None:
    """Load scenario files (agreements, regimes, parties, actors, places). Idempotent."""
    db = database()
    for path in files:
        summary = load_scenario(db, load_scenario_file(path))
        out.print(summary.line())
        if summary.reclassified:
            out.print(f"  classified {summary.reclassified} incidents again")


class FileFormat(StrEnum):
    UCDP = "ucdp"
    ACLED = "acled"
    GEOJSON = "geojson"


def run_import(
    db: Database,
    path: Path,
    fmt: str,
    source: str | None,
    quarantine: Path | None,
    encoding: str | None,
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
                db,
                events.rows(),
                on_error=on_error,
                settings=settings().correlation(),
                on_batch=lambda _s: progress.update(task, completed=events.bytes_read),
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
) -> None:
    """Import UCDP GED or ACLED CSV, or GeoJSON reports. Re-importing adds nothing."""
    run_import(database(), file, format.value, source, quarantine, encoding)


@regimes_app.command("list")
@handled
def regimes_list(
    agreement: Annotated[str | None, typer.Option(help="Only this agreement.")] = None,
) -> None:
    """List regimes with their time windows and exclusions."""
    rows = []
    for r in queries.list_regimes(database(), agreement):
        tz = zone(r.time_zone)
        end = r.effective_end
        rows.append(
            [
                r.id,
                r.agreement_id,
                r.name,
                f"{r.start.astimezone(tz):%Y-%m-%d %H:%M} {r.time_zone}",
                "indefinite" if end is None else f"{end.astimezone(tz):%Y-%m-%d %H:%M}",
                ", ".join(sorted(r.excluded_actor_ids)),
                str(len(r.extensions)),
            ]
        )
    show_table(["id", "agreement", "name", "start", "end in force", "excludes", "extensions"], rows)


def _local(text: str, time_zone: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(field, f"{text!r} is not an ISO 8601 date or time") from None
    return value if value.tzinfo else value.replace(tzinfo=zone(time_zone, field))


@regimes_app.command("add")
@handled
def regimes_add(
    id: Annotated[str, typer.Option(help="The new regime's id.")],
    agreement: Annotated[str, typer.Option(help="The agreement it belongs to.")],
    name: Annotated[str, typer.Option(help="Its name.")],
    geometry: Annotated[
        Path, typer.Option(help="GeoJSON file with its area (Polygon/MultiPolygon).")
    ],
    start: Annotated[str, typer.Option(help="Start, ISO 8601; without offset = agreement's zone.")],
    end: Annotated[str | None, typer.Option(help="End [default: open-ended].")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Excluded actor id (repeatable).")
    ] = None,
) -> None:
    """Add a regime; incidents in its area are classified again."""
    db = database()
    found = queries.get_agreement(db, agreement)
    try:
        area = shapely.from_geojson(geometry.read_text(encoding="utf-8"))
    except (OSError, shapely.errors.GEOSException) as error:
        raise InvalidInputError("--geometry", f"{geometry}: {error}") from None
    if area.geom_type == "GeometryCollection":
        area = shapely.union_all(shapely.get_parts(area))
    regime = Regime(
        id=id,
        agreement_id=agreement,
        name=name,
        geometry=area,
        start=_local(start, found.time_zone, "--start"),
        end=_local(end, found.time_zone, "--end") if end else None,
        time_zone=found.time_zone,
        excluded_actor_ids=frozenset(exclude or ()),
    )
    add_regime(db, regime)
    out.print(f"added regime {id}")


@regimes_app.command("extend")
@handled
def regimes_extend(
    regime_id: Annotated[str, typer.Argument(help="The regime to extend.")],
    new_end: Annotated[str, typer.Option(help="New end, ISO 8601, or 'indefinite'.")],
    decided: Annotated[str | None, typer.Option(help="When it was decided.")] = None,
    note: Annotated[str, typer.Option(help="Why, or who decided.")] = "",
) -> None:
    """Move a regime's end (the history is kept); incidents are classified again."""
    db = database()
    tz = queries.get_regime(db, regime_id).time_zone
    end = None if new_end.lower() == "indefinite" else _local(new_end, tz, "--new-end")
    when = _local(decided, tz, "--decided") if decided else None
    regime = extend_regime(db, regime_id, Extension(new_end=end, decided=when, note=note))
    final = regime.effective_end
    out.print(
        f"{regime_id} now ends {'never (indefinite)' if final is None else final.isoformat()}"
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
    return IncidentFilter(
        bbox=BBox.parse(bbox) if bbox else None,
        start=_local(start, "UTC", "--from") if start else None,
        end=_local(end, "UTC", "--to") if end else None,
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
        for i in queries.list_incidents(database(), f)
    ]
    columns = ["id", "time (UTC)", "precision", "lon", "lat", "event type", "classification"]
    show_table([*columns, "regimes"], rows)


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
) -> None:
    """Export every matching incident with its reports' ids, classification and reasons."""
    f = incident_filter(bbox, start, end, classification, regime, event_type, 100)
    write = write_csv if format is ExportFormat.CSV else write_geojson
    db = database()
    if output is None:
        write(db, f, sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        count = write(db, f, handle)
    err.print(f"wrote {count} incidents to {output}")


@app.command("reclassify")
@handled
def reclassify_command() -> None:
    """Classify every incident again against the regimes in force."""
    db = database()
    with bar("classifying", None) as progress:
        task = progress.task_ids[0]
        counts = reclassify(
            db, progress=lambda done, total: progress.update(task, completed=done, total=total)
        )
    out.print(", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no incidents")


@app.command()
@handled
def serve(
    host: Annotated[
        str | None, typer.Option(help="[default: $CEASEFIRE_HOST or 127.0.0.1]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="[default: $CEASEFIRE_PORT or 8000]")] = None,
) -> None:
    """Serve the API (/api/v1, OpenAPI at /docs)."""
    serve_app(settings(), host, port)


def serve_app(config: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from ceasefire.app import create_app

    db = Database(config.database_url)
    db.migrate()
    bind_host, bind_port = host or config.host, port or config.port
    out.print(f"serving http://{bind_host}:{bind_port}  (API /api/v1, docs /docs)")
    uvicorn.run(create_app(config, db), host=bind_host, port=bind_port, log_level="warning")


@app.command()
@handled
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve after loading.")
    ] = True,
) -> None:
    """Load the bundled demo (Syria 2016, Ukraine 2015) and serve it. Idempotent."""
    from ceasefire.scenarios import DEMO_EVENT_FILES, DEMO_SCENARIOS

    db = database()
    for path in DEMO_SCENARIOS:
        out.print(load_scenario(db, load_scenario_file(path)).line())
    for path, fmt, source in DEMO_EVENT_FILES:
        run_import(db, path, fmt, source, None, None)
    if serve_after:
        serve_app(settings(), None, None)


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
