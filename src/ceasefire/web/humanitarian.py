"""/humanitarian: humanitarian access — each besieged or hard-to-reach location with its
status, its requests (approved, denied, awaiting a decision), its deliveries and the people
they reached — and the requests still awaiting a decision, the oldest first."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ceasefire.services import humanitarian as service
from ceasefire.web.context import UserPage
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/humanitarian", response_class=HTMLResponse)
def register(page: UserPage) -> HTMLResponse:
    summaries = service.summary(page.db)
    names = {s.location.id: s.location.name for s in summaries}
    today = datetime.now(UTC).date()
    return render(
        page,
        "humanitarian.html",
        active="registers",
        tab="humanitarian",
        summaries=sorted(summaries, key=lambda s: s.location.name.casefold()),
        pending=service.pending_requests(page.db),
        names=names,
        waited=lambda r: (today - r.requested).days,
    )
