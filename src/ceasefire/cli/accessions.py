"""`ceasefire accessions import|list|count`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import database, day_of, handled, open_ledger, out, show_table
from ceasefire.ingest.accession_files import read_accession_file
from ceasefire.services import accessions as service
from ceasefire.services import queries

accessions_app = typer.Typer(
    help="The accession register: actors and settlements joining or leaving regimes.",
    no_args_is_help=True,
)


def _day(value: str | None, option: str) -> date | None:
    return None if value is None else day_of(value, option)


@accessions_app.command("import")
@handled
def import_accessions(
    file: Annotated[Path, typer.Argument(help="A CSV of accessions, one a row.")],
    party: Annotated[str, typer.Option(help="The party recording them (signs them).")],
    encoding: Annotated[str | None, typer.Option(help="The file's encoding.")] = None,
) -> None:
    """Record accessions from a CSV (columns: regime, date, change, channel, evidence, and
    actor or settlement, with lon and lat for a settlement new to the gazetteer). All are
    recorded or none: an unknown actor, settlement or regime, a leave before its join or a
    date before the regime began names its row."""
    rows = read_accession_file(file, encoding)
    recorded = service.record_accessions(open_ledger(), rows, author=party)
    out.print(recorded.line())


@accessions_app.command("list")
@handled
def list_accessions(
    regime: Annotated[str | None, typer.Option(help="Only this regime.")] = None,
    until: Annotated[str | None, typer.Option(help="Only up to this date (YYYY-MM-DD).")] = None,
) -> None:
    """Accessions in date order."""
    db = database()
    queries.check_named(db, regime=(regime, "--regime"))  # an error, not an empty list
    rows = [
        [
            str(s.id),
            s.accession.regime_id,
            s.accession.day.isoformat(),
            s.accession.change.value,
            s.accession.actor_id or s.accession.place_id or "",
            s.accession.channel,
            s.recorded_by,
        ]
        for s in service.list_accessions(db, regime, _day(until, "--until"))
    ]
    show_table(["id", "regime", "date", "change", "subject", "channel", "recorded by"], rows)


@accessions_app.command("count")
@handled
def count(
    regime: Annotated[str, typer.Option(help="The regime.")],
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    step: Annotated[int, typer.Option(help="Days between counts.")] = 7,
) -> None:
    """How many settlements and actors were in the regime, every STEP days."""
    first, last = _day(start, "--from"), _day(end, "--to")
    assert first is not None and last is not None
    rows = [
        [day.isoformat(), str(settlements), str(actors)]
        for day, settlements, actors in service.counts(database(), regime, first, last, step)
    ]
    show_table(["date", "settlements", "actors"], rows)
