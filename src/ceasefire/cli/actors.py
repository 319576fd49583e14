"""`ceasefire actors export`: the actors as FollowTheMoney entities."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import database, err, handled
from ceasefire.reports.ftm import write_ftm

actors_app = typer.Typer(help="Export the actors.", no_args_is_help=True)


@actors_app.command("export")
@handled
def actors_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File [default: stdout]")
    ] = None,
) -> None:
    """Write every actor as FollowTheMoney entities (JSON lines): an Organization with its
    name and aliases in any script, and an UnknownLink for each "part of" link."""
    db = database()
    if output is None:
        write_ftm(db, sys.stdout)
        return
    with output.open("w", encoding="utf-8") as handle:
        count = write_ftm(db, handle)
    err.print(f"wrote {count} FollowTheMoney entities to {output}", highlight=False)
