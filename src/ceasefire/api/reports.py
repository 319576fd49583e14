"""/api/v1/reports: file one report; list them."""

from __future__ import annotations

from fastapi import APIRouter, Query

from ceasefire.api import schemas as s
from ceasefire.api.convert import (
    decode_cursor,
    encode_cursor,
    report_in,
    report_out,
    with_ledger_index,
)
from ceasefire.api.deps import Config, Db, Log
from ceasefire.services import queries
from ceasefire.services.incidents import submit_report

router = APIRouter(tags=["reports"])


@router.post("/reports", response_model=s.ReportOut, status_code=201)
def create_report(body: s.ReportIn, ledger: Log, settings: Config) -> s.ReportOut:
    stored = submit_report(ledger, report_in(body), settings.correlation())
    return with_ledger_index(ledger.db, "report", [report_out(stored)])[0]


@router.get("/reports", response_model=s.ReportPage)
def list_reports(
    db: Db,
    source: str | None = None,
    cursor: str | None = None,
    limit: int = Query(default=100, ge=1, le=10_000),
) -> s.ReportPage:
    page = queries.list_reports(db, source=source, after_id=decode_cursor(cursor), limit=limit)
    next_cursor = encode_cursor(page[-1].id) if len(page) == limit else None
    items = with_ledger_index(db, "report", [report_out(r) for r in page])
    return s.ReportPage(items=items, next_cursor=next_cursor)


@router.get("/reports/{report_id}", response_model=s.ReportOut)
def get_report(report_id: int, db: Db) -> s.ReportOut:
    return with_ledger_index(db, "report", [report_out(queries.get_report(db, report_id))])[0]
