"""/agreements/{id}/daily: the daily report in the workspace, as the reader's party may read
it, in the reader's language (or ``lang``); ``format=pdf`` gives the same report as PDF."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response

from ceasefire.api.daily import document_response
from ceasefire.domain.daily import DEFAULT_CUTOFF, check_format, parse_cutoff, parse_day
from ceasefire.domain.times import zone
from ceasefire.reports.documents import daily_document
from ceasefire.services import queries
from ceasefire.web.context import UserPage

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
    """The form on the regimes page: on to the chosen agreement's report of the day."""
    found = queries.get_agreement(page.db, agreement)
    check_format(format)
    query = urlencode({"date": parse_day(date, "date").isoformat(), "format": format})
    return RedirectResponse(f"/agreements/{quote(found.id)}/daily?{query}", status_code=303)
