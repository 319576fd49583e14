"""`ceasefire control import|list|at`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import database, day_of, handled, open_ledger, out, show_table
from ceasefire.ingest.control_files import read_control_file
from ceasefire.services import control as service

control_app = typer.Typer(
    help="Areas of control: who holds which ground, when.", no_args_is_help=True
)


@control_app.command("import")
@handled
def import_areas(
    file: Annotated[Path, typer.Argument(help="A GeoJSON FeatureCollection of areas.")],
    party: Annotated[str, typer.Option(help="The party recording them (signs them).")],
) -> None:
    """Record areas of control from GeoJSON: each feature a polygon with the properties
    actor, valid_from, valid_to, source and note. All are recorded or none: an unknown
    actor, a bad polygon or two areas overlapping on a day both hold names its feature."""
    recorded = service.record_areas(open_ledger(), read_control_file(file), author=party)
    out.print(recorded.line())


@control_app.command("list")
@handled
def list_areas(
    on: Annotated[str | None, typer.Option("--date", help="Only areas held that day.")] = None,
) -> None:
    """The areas of control, with who held them and when."""
    found = service.geojson(database(), None if on is None else day_of(on, "--date"))
    rows = [
        [
            str(f["id"]),
            f["properties"]["actor"],
            f["properties"]["valid_from"],
            f["properties"]["valid_to"] or "",
            f["properties"]["source"],
        ]
        for f in found["features"]
    ]
    show_table(["id", "held by", "from", "to", "source"], rows)


@control_app.command("at")
@handled
def held_at(
    lon: Annotated[float, typer.Option(help="Longitude (WGS84).", min=-180, max=180)],
    lat: Annotated[float, typer.Option(help="Latitude (WGS84).", min=-90, max=90)],
    on: Annotated[str, typer.Option("--date", help="The day (YYYY-MM-DD).")],
) -> None:
    """Who held a place on a day."""
    found = service.holder(database(), lon, lat, day_of(on, "--date"))
    if found is None:
        out.print("no area of control holds that place on that day")
        return
    area, name = found
    until = f" to {area.valid_to}" if area.valid_to else ""
    out.print(
        f"{name} ({area.actor_id}), area {area.id}, from {area.valid_from}{until}", highlight=False
    )
