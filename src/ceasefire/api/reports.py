"""/api/v1/reports: file one report; list them."""

from __future__ import annotations

from fastapi import APIRouter, Query

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller, Reader
from ceasefire.api.convert import (
    decode_cursor,
    encode_cursor,
    external_of,
    prepared_out,
    report_in,
    report_out,
    scope_in,
    with_ledger_index,
)
from ceasefire.api.deps import Config, Db, Id, Log
from ceasefire.api.handoffs import OneHandOff
from ceasefire.domain.errors import PermissionDeniedError
from ceasefire.services import incidents as service
from ceasefire.services import queries

router = APIRouter(tags=["reports"])


def create_report(body: s.ReportIn, ledger: Log, settings: Config, user: Caller) -> s.ReportOut:
    """File a report, under `agreement` (left out: your party's one agreement; null: every
    party reads it). Its entry is signed with your party's key, which the server holds,
    unless `signed` carries your party's own signature of what `/reports/prepare` gave."""
    external = external_of(body.signed)
    if external is not None and external.author != user.party_id:
        raise PermissionDeniedError(f"{user.username} files reports for {user.party_id} only")
    stored = service.submit_report(
        ledger,
        report_in(body),
        settings.correlation(),
        author=user.party_id,
        external=external,
        scope=scope_in(body),
    )
    return report_out(stored)  # with its ledger index, which the write knows


# the route every filed report takes: its access rule, body, write and answer in one pool
# thread (``handoffs``)
router.add_api_route(
    "/reports",
    create_report,
    methods=["POST"],
    response_model=s.ReportOut,
    status_code=201,
    route_class_override=OneHandOff,
)


@router.post("/reports/prepare", response_model=s.Prepared)
def prepare_report(
    body: s.PrepareReportIn, ledger: Log, settings: Config, user: Caller
) -> s.Prepared:
    """The entry filing this report would append, for a party holding its own key to sign;
    nothing is stored. Send the report again with `signed` within 10 minutes."""
    if body.author != user.party_id:
        raise PermissionDeniedError(f"{user.username} files reports for {user.party_id} only")
    prepared = service.prepare_report(
        ledger,
        report_in(body.report),
        settings.correlation(),
        author=body.author,
        scope=scope_in(body.report),
    )
    return prepared_out(prepared)


@router.get("/reports", response_model=s.ReportPage)
def list_reports(
    db: Db,
    audience: Reader,
    source: str | None = None,
    cursor: str | None = None,
    limit: int = Query(default=100, ge=1, le=10_000),
) -> s.ReportPage:
    page = queries.list_reports(
        db, audience, source=source, after_id=decode_cursor(cursor), limit=limit
    )
    next_cursor = encode_cursor(page[-1].id) if len(page) == limit else None
    items = with_ledger_index(db, "report", [report_out(r) for r in page])
    return s.ReportPage(items=items, next_cursor=next_cursor)


@router.get("/reports/{report_id}", response_model=s.ReportOut)
def get_report(report_id: Id, db: Db, audience: Reader) -> s.ReportOut:
    found = queries.get_report(db, report_id, audience)
    return with_ledger_index(db, "report", [report_out(found)])[0]
