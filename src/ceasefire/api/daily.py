"""/api/v1/agreements/{id}/reports/daily: the daily report, as HTML or PDF."""

from __future__ import annotations

import re

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ceasefire.api.auth import Reader
from ceasefire.api.deps import Db
from ceasefire.domain.daily import (
    DEFAULT_CUTOFF,
    check_format,
    check_language,
    parse_cutoff,
    parse_day,
)
from ceasefire.reports.documents import MEDIA_TYPES, REPORT_POLICY, daily_document
from ceasefire.services import queries

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
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", agreement_id)
    name = f"daily-{safe}-{day.isoformat()}-{lang}.{format}"
    return Response(
        body,
        media_type=MEDIA_TYPES[format],
        headers={
            "Content-Security-Policy": REPORT_POLICY,
            "Content-Disposition": f'inline; filename="{name}"',
        },
    )
