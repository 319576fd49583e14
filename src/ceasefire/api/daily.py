"""/api/v1/agreements/{id}/reports/daily: the daily report, as HTML or PDF."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from ceasefire.api.auth import Caller, Reader
from ceasefire.api.deps import Db, Log
from ceasefire.api.schemas_base import Strict
from ceasefire.domain.daily import (
    DEFAULT_CUTOFF,
    check_format,
    check_language,
    parse_cutoff,
    parse_day,
    reach,
)
from ceasefire.reports.daily import agreement_audience
from ceasefire.reports.documents import MEDIA_TYPES, REPORT_POLICY, daily_document
from ceasefire.reports.renderers import renderer
from ceasefire.services import queries
from ceasefire.services.daily_reports import (
    Issuing,
    check_issuable,
    find_issued,
    issue_daily_report,
)
from ceasefire.services.ledger import Ledger
from ceasefire.services.snapshots import snapshot
from ceasefire.store.users import User

router = APIRouter(tags=["daily report"])


@router.get(
    "/agreements/{agreement_id}/reports/daily",
    response_class=Response,
    responses={
        200: {
            "content": {"text/html": {}, "application/pdf": {}},
            "description": "The report as a self-contained HTML file, or as PDF",
        }
    },
)
def daily_report(
    agreement_id: str,
    db: Db,
    audience: Reader,
    date: str = Query(max_length=32, description="The day, YYYY-MM-DD"),
    lang: str = Query(default="en", max_length=8, description="en, ru or ar"),
    format: str = Query(default="html", max_length=8, description="html or pdf"),
    cutoff: str = Query(
        default=DEFAULT_CUTOFF.strftime("%H:%M"),
        max_length=16,
        description="HH:MM in the agreement's time zone",
    ),
) -> Response:
    """The daily report of the agreement for a day as of the cut-off, holding only what
    the caller's party may read (an outsider's copy says what it leaves out)."""
    day, at = parse_day(date, "date"), parse_cutoff(cutoff, "cutoff")
    check_language(lang)
    check_format(format)
    queries.get_agreement(db, agreement_id)
    body, _report = daily_document(db, agreement_id, day, at, audience, lang, format)
    return document_response(body, agreement_id, day, lang, format)


class IssueIn(Strict):
    date: str = Field(max_length=32, description="The day, YYYY-MM-DD")
    lang: str = Field(default="en", max_length=8, description="en, ru or ar")
    format: str = Field(default="pdf", max_length=8, description="html or pdf")
    cutoff: str = Field(
        default=DEFAULT_CUTOFF.strftime("%H:%M"),
        max_length=16,
        description="HH:MM in the agreement's time zone",
    )


@router.post(
    "/agreements/{agreement_id}/reports/daily/issue",
    response_class=Response,
    status_code=201,
    responses={
        201: {
            "content": {"text/html": {}, "application/pdf": {}},
            "description": "The issued file; X-Daily-Report-SHA256 and X-Ledger-Index say "
            "where the ledger records it",
        }
    },
)
def issue(agreement_id: str, body: IssueIn, ledger: Log, user: Caller) -> Response:
    """Issue the day's report as a co-chair's officer: build it for the agreement's
    parties, sign a daily_report.issued entry with its SHA-256 and the checkpoint it was
    built from, and answer the file. A day's report in a language and format is issued
    once (409 after)."""
    issued = issue_file(ledger, agreement_id, body, user)
    response = document_response(
        issued.body, agreement_id, issued.day, body.lang, body.format, inline=False
    )
    response.status_code = 201
    response.headers["X-Daily-Report-SHA256"] = issued.sha256
    response.headers["X-Ledger-Index"] = "" if issued.entry is None else str(issued.entry)
    return response


@dataclass(frozen=True)
class IssuedFile:
    """An issued report's bytes, its day, their SHA-256 and the ledger entry issuing it."""

    body: bytes
    day: dt.date
    sha256: str
    entry: int | None


def issue_file(ledger: Ledger, agreement_id: str, body: IssueIn, user: User) -> IssuedFile:
    """Build the day's report from the ledger as it stands (a snapshot: ``report verify``
    rebuilds it so), for the agreement's parties, and issue it signed by the user's party
    (the API's route and the workspace's form)."""
    day, at = parse_day(body.date, "date"), parse_cutoff(body.cutoff, "cutoff")
    check_language(body.lang)
    check_format(body.format)
    queries.get_agreement(ledger.db, agreement_id)
    check_issuable(ledger.db, agreement_id, day, at, body.lang, body.format, user)
    audience = agreement_audience(agreement_id)
    with snapshot(ledger.db, began=reach(day, at)) as state:
        made, report = daily_document(
            state.db,
            agreement_id,
            day,
            at,
            audience,
            body.lang,
            body.format,
            checkpoint_size=state.size,
            checkpoint_root=state.root,
        )
    drawn_by = renderer(body.lang, body.format)
    issuing = Issuing(
        agreement_id, day, at, body.lang, body.format, made, report.checkpoint_size, drawn_by
    )
    issued = issue_daily_report(ledger, issuing, user)
    found = find_issued(ledger.db, made)
    return IssuedFile(made, day, issued.sha256, None if found is None else found.entry)


def document_response(
    body: bytes, agreement_id: str, day: dt.date, lang: str, form: str, *, inline: bool = True
) -> Response:
    """A daily report as a response: its media type, the report's content policy, and a
    file name (daily-<agreement>-<day>-<lang>.<format>, the agreement's id made safe)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", agreement_id)
    name = f"daily-{safe}-{day.isoformat()}-{lang}.{form}"
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        media_type=MEDIA_TYPES[form],
        headers={
            "Content-Security-Policy": REPORT_POLICY,
            "Content-Disposition": f'{disposition}; filename="{name}"',
        },
    )
