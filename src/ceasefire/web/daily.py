"""/agreements/{id}/daily: the daily report in the workspace, as the reader's party may read
it, in the reader's language (or ``lang``); ``format=pdf`` gives the same report as PDF."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response

from ceasefire.api.daily import IssueIn, document_response, issue_file
from ceasefire.api.errors import status_of
from ceasefire.domain.daily import DEFAULT_CUTOFF, check_format, parse_cutoff, parse_day
from ceasefire.domain.errors import CeasefireError
from ceasefire.domain.times import zone
from ceasefire.domain.workflow import Role
from ceasefire.reports.documents import daily_document
from ceasefire.services import queries
from ceasefire.services.findings import require_role
from ceasefire.web import regimes
from ceasefire.web.context import Csrf, UserPage, check_csrf, ledger_of

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Query(max_length=32)]


@router.get("/agreements/{agreement_id}/daily")
def daily_page(
    agreement_id: str,
    page: UserPage,
    date: Short = "",
    lang: Short = "",
    format: Short = "html",
    cutoff: Short = DEFAULT_CUTOFF.strftime("%H:%M"),
) -> Response:
    assert page.audience is not None
    agreement = queries.get_agreement(page.db, agreement_id)
    if date:
        day = parse_day(date, "date")
    else:  # today, where the agreement is
        day = datetime.now(UTC).astimezone(zone(agreement.time_zone)).date()
    check_format(format)
    code = lang or page.language.code
    at = parse_cutoff(cutoff, "cutoff")
    body, _report = daily_document(page.db, agreement.id, day, at, page.audience, code, format)
    return document_response(body, agreement.id, day, code, format)


@router.get("/daily")
def daily_choice(
    page: UserPage, agreement: Short = "", date: Short = "", format: Short = "html"
) -> RedirectResponse:
    """The form on the regimes page: on to the chosen agreement's report of the day. An
    address typed without an agreement goes to the reader's party's agreement, when it has
    one alone (else to the form), and without a day to today's report, where it is."""
    if not agreement:
        if len(page.agreements) != 1:
            return RedirectResponse("/regimes#daily-agreement", status_code=303)
        agreement = page.agreements[0]
    found = queries.get_agreement(page.db, agreement)
    check_format(format)
    query = {"date": parse_day(date, "date").isoformat()} if date else {}
    query["format"] = format
    return RedirectResponse(
        f"/agreements/{quote(found.id)}/daily?{urlencode(query)}", status_code=303
    )


@router.post("/daily/issue")
def issue_daily(
    page: UserPage,
    csrf: Csrf,
    agreement: Annotated[str, Form(max_length=64)] = "",
    date: Annotated[str, Form(max_length=32)] = "",
    lang: Annotated[str, Form(max_length=8)] = "",
    format: Annotated[str, Form(max_length=8)] = "pdf",
) -> Response:
    """The regimes page's form: a co-chair's officer issues the day's report, signed by
    the party, and gets its file (issued once: the ledger keeps its SHA-256, and `ceasefire
    report verify` rebuilds it). A refusal is said on the page, in the reader's language."""
    check_csrf(page, csrf)
    assert page.user is not None
    code = lang or page.language.code
    form = {"agreement": agreement, "date": date, "lang": code, "format": format}
    try:
        require_role(page.user, Role.OFFICER, "issuing a daily report")
        issued = issue_file(
            ledger_of(page), agreement, IssueIn(date=date, lang=code, format=format), page.user
        )
    except CeasefireError as error:
        return regimes.show(page, issue_error=error, issue_form=form, status=status_of(error))
    return document_response(issued.body, agreement, issued.day, code, format, inline=False)
