"""`ceasefire report daily|issue|verify`: the daily report of an agreement, as a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import database, err, handled
from ceasefire.domain.daily import (
    DEFAULT_CUTOFF,
    check_format,
    check_language,
    parse_cutoff,
    parse_day,
)
from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.reports.documents import daily_document
from ceasefire.services import queries, scopes
from ceasefire.store.database import Database

report_app = typer.Typer(help="The daily report: build, issue and verify it.", no_args_is_help=True)

AgreementOpt = Annotated[str, typer.Option("--agreement", help="The agreement's id.")]
DateOpt = Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD.")]
LangOpt = Annotated[str, typer.Option("--lang", help="en, ru or ar.")]
FormatOpt = Annotated[str, typer.Option("--format", help="html or pdf.")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="The file to write.")]
CutoffOpt = Annotated[str, typer.Option("--cutoff", help="HH:MM in the agreement's time zone.")]
PartyOpt = Annotated[
    str | None,
    typer.Option(help="Only what this party's users may read [default: everything]"),
]


def known(db: Database, agreement: str) -> None:
    """An unknown agreement is an error naming the option."""
    try:
        queries.get_agreement(db, agreement)
    except NotFoundError:
        raise InvalidInputError("--agreement", f"{agreement!r} is not an agreement") from None


@report_app.command("daily")
@handled
def daily(
    agreement: AgreementOpt,
    date: DateOpt,
    output: OutputOpt,
    lang: LangOpt = "en",
    format: FormatOpt = "html",
    cutoff: CutoffOpt = DEFAULT_CUTOFF.strftime("%H:%M"),
    party: PartyOpt = None,
) -> None:
    """Write the daily report of an agreement for a day, as of the cut-off: the incidents
    since the day before's cut-off by regime and area, counts against the day before, the
    30-day trend, a map, response measures and access restrictions (HTML or PDF)."""
    day = parse_day(date, "--date")
    at = parse_cutoff(cutoff, "--cutoff")
    check_language(lang, "--lang")
    check_format(format, "--format")
    db = database()
    known(db, agreement)
    audience = scopes.audience_for(db, party)
    body, report = daily_document(db, agreement, day, at, audience, lang, format)
    output.write_bytes(body)
    err.print(
        f"wrote the {format} report of {agreement} for {day} ({report.total} incidents, "
        f"checkpoint {report.checkpoint_size}) to {output}",
        highlight=False,
    )
