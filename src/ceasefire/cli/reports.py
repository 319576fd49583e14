"""`ceasefire report daily|issue|verify`: the daily report of an agreement, as a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ceasefire.cli.common import database, err, handled, open_ledger, out
from ceasefire.domain.daily import (
    DEFAULT_CUTOFF,
    check_format,
    check_language,
    parse_cutoff,
    parse_day,
    reach,
)
from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.reports.daily import agreement_audience
from ceasefire.reports.renderers import differences, renderer
from ceasefire.services import queries, scopes
from ceasefire.services.daily_reports import (
    Issuing,
    find_issued,
    issue_daily_report,
    sha256_of,
)
from ceasefire.services.snapshots import snapshot
from ceasefire.store.database import Database
from ceasefire.store.issued_reports import IssuedReport

report_app = typer.Typer(help="The daily report: build, issue and verify it.", no_args_is_help=True)

AgreementOpt = Annotated[str, typer.Option("--agreement", help="The agreement's id.")]
DateOpt = Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD.")]
LangOpt = Annotated[str, typer.Option("--lang", help="en, ru or ar.")]
FormatOpt = Annotated[str, typer.Option("--format", help="html or pdf.")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="The file to write.")]
CutoffOpt = Annotated[str, typer.Option("--cutoff", help="HH:MM in the agreement's time zone.")]
PartyOpt = Annotated[
    str | None,
    typer.Option(
        help="Only what this party's users may read [default: what the agreement's "
        "parties may read]"
    ),
]


def known(db: Database, agreement: str) -> None:
    """An unknown agreement is an error naming the option."""
    try:
        queries.get_agreement(db, agreement)
    except NotFoundError:
        raise InvalidInputError("--agreement", f"{agreement!r} is not an agreement") from None


if TYPE_CHECKING:
    from ceasefire.reports.documents import daily_document as _daily_document
else:

    def _daily_document(*args, **kwargs):
        """``reports.documents.daily_document``, imported when a command builds a report:
        jinja2 and the PDF renderer stay out of every other command's start."""
        from ceasefire.reports.documents import daily_document

        return daily_document(*args, **kwargs)


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
    audience = agreement_audience(agreement) if party is None else scopes.audience_for(db, party)
    body, report = _daily_document(db, agreement, day, at, audience, lang, format)
    output.write_bytes(body)
    err.print(
        f"wrote the {format} report of {agreement} for {day} ({report.total} incidents, "
        f"checkpoint {report.checkpoint_size}) to {output}",
        highlight=False,
    )


@report_app.command("issue")
@handled
def issue(
    agreement: AgreementOpt,
    date: DateOpt,
    output: OutputOpt,
    lang: LangOpt = "en",
    format: FormatOpt = "pdf",
    cutoff: CutoffOpt = DEFAULT_CUTOFF.strftime("%H:%M"),
) -> None:
    """Build the day's report for the agreement's parties, write it and issue it as the
    host: a signed ledger entry (daily_report.issued) holds the SHA-256 of its bytes and
    the checkpoint it was built from. A day's report in a language and format is issued
    once; `report verify` checks a copy against it."""
    day = parse_day(date, "--date")
    at = parse_cutoff(cutoff, "--cutoff")
    check_language(lang, "--lang")
    check_format(format, "--format")
    log = open_ledger()
    known(log.db, agreement)
    with snapshot(log.db, began=reach(day, at)) as state:
        body, report = _daily_document(
            state.db,
            agreement,
            day,
            at,
            agreement_audience(agreement),
            lang,
            format,
            checkpoint_size=state.size,
            checkpoint_root=state.root,
        )
    issuing = Issuing(
        agreement, day, at, lang, format, body, report.checkpoint_size, renderer(lang, format)
    )
    issued = issue_daily_report(log, issuing, None)
    output.write_bytes(body)
    found = find_issued(log.db, body)
    entry = "" if found is None or found.entry is None else f" as ledger entry {found.entry}"
    out.print(
        f"issued the {lang} {format} report of {agreement} for {day}{entry} "
        f"(daily_report:{issued.id}, SHA-256 {issued.sha256}, built from checkpoint "
        f"{issued.checkpoint_size}); wrote {output}",
        highlight=False,
    )


@report_app.command("verify")
@handled
def verify(
    file: Annotated[Path, typer.Argument(help="An issued report: its PDF or HTML file.")],
) -> None:
    """Check that a report file is one that was issued: find its ledger entry by the
    SHA-256 of its bytes, then rebuild it from the ledger's state at the checkpoint it was
    built from and compare byte for byte. Exit status 1 when it is not; 3 when this
    installation draws reports otherwise than the one that issued it (its release, its
    templates or catalogue, or a library that sets the text), so the bytes cannot be
    compared here: the differences are named."""
    if not file.is_file():
        raise InvalidInputError("FILE", f"{file} is not a file")
    body = file.read_bytes()
    db = database()
    found = find_issued(db, body)
    if found is None:
        err.print(
            f"{file}: NOT ISSUED: no issued report has SHA-256 {sha256_of(body)} "
            "(the file was changed, or never issued)",
            highlight=False,
        )
        raise typer.Exit(1)
    issued = found.issued
    by = issued.issued_by + (f" ({issued.issued_by_user})" if issued.issued_by_user else "")
    out.print(
        f"{file}: issued as daily_report:{issued.id} (ledger entry {found.entry}) by {by} "
        f"at {issued.created:%Y-%m-%d %H:%M:%S}Z: the {issued.language} {issued.format} "
        f"report of {issued.agreement_id} for {issued.day}, built from checkpoint "
        f"{issued.checkpoint_size} (root {issued.checkpoint_root}), drawn by "
        + _components(issued.renderer),
        highlight=False,
    )
    rebuilt = _rebuilt(db, file, issued)
    if rebuilt == body:
        out.print(f"{file}: rebuilt from the ledger's state: the same bytes", highlight=False)
        return
    raise typer.Exit(_differently(file, issued, rebuilt))


def _differently(file: Path, issued: IssuedReport, rebuilt: bytes) -> int:
    """Say why a rebuild's bytes differ from the issued file's, as far as the record of
    what drew it tells; the exit status."""
    differs = (
        f"{file}: REBUILT DIFFERENTLY: rebuilding it from the ledger's state at checkpoint "
        f"{issued.checkpoint_size} gives other bytes (SHA-256 {sha256_of(rebuilt)})"
    )
    if issued.renderer is None:
        err.print(
            f"{differs}: the ledger's entries or openings were changed (`ceasefire ledger "
            "verify` names them), or this release reads or draws the records otherwise than "
            "the one that issued it, which did not record what drew the file",
            highlight=False,
        )
        return 1
    changed = differences(issued.renderer, renderer(issued.language, issued.format))
    if changed:
        err.print(
            f"{file}: NOT COMPARED: this installation draws the report otherwise than the "
            f"one that issued it ({'; '.join(changed)}), and its rebuild has other bytes "
            f"(SHA-256 {sha256_of(rebuilt)}); the ledger's root at checkpoint "
            f"{issued.checkpoint_size} is the one the report was built from (`ceasefire "
            "ledger verify` checks the entries and their signatures). To compare the bytes, "
            "verify with the versions that issued it",
            highlight=False,
        )
        return 3
    err.print(
        f"{differs}, though drawn by the same software: the ledger's entries or openings up "
        f"to checkpoint {issued.checkpoint_size} were changed since it was issued (`ceasefire "
        "ledger verify` names them), or this installation derives the report's incidents "
        "otherwise",
        highlight=False,
    )
    return 1


def _components(found: dict[str, str] | None) -> str:
    if found is None:
        return "software it did not record (issued before reports recorded it)"
    first = [n for n in ("ceasefire", "drawing") if n in found]  # the ledger sorts the rest
    names = first + sorted((n for n in found if n not in first), key=str.casefold)
    return ", ".join(f"{name} {found[name]}" for name in names)


def _rebuilt(db: Database, file: Path, issued: IssuedReport) -> bytes:
    """The issued report built again from the snapshot of the ledger at its checkpoint,
    once the ledger's root there is found to be the one it was built from."""
    began = reach(issued.day, parse_cutoff(issued.cutoff))
    with snapshot(db, issued.checkpoint_size, began=began) as state:
        if state.root != issued.checkpoint_root:
            err.print(
                f"{file}: REBUILT DIFFERENTLY: the ledger's root at size {state.size} is "
                f"{state.root}, not the {issued.checkpoint_root} the report was built from: "
                "the ledger was rewritten since",
                highlight=False,
            )
            raise typer.Exit(1)
        rebuilt, _ = _daily_document(
            state.db,
            issued.agreement_id,
            issued.day,
            parse_cutoff(issued.cutoff),
            agreement_audience(issued.agreement_id),
            issued.language,
            issued.format,
            checkpoint_size=state.size,
            checkpoint_root=state.root,
        )
    return rebuilt
