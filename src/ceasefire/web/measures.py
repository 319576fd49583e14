"""/measures: the register of response measures across incidents — open, overdue, by
owner — with the steps the reader's party may take from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from ceasefire.domain.measures import MeasureStatus, is_overdue
from ceasefire.services import findings as finding_service
from ceasefire.store import agreements as agreement_store
from ceasefire.store.assessments import Measure, MeasureFilter
from ceasefire.web.context import UserPage
from ceasefire.web.incidents import open_steps
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)
Choice = Annotated[str, Query(max_length=64)]
LIMIT = 500


@router.get("/measures", response_class=HTMLResponse)
def register(
    page: UserPage,
    status: Choice = "",
    overdue: Choice = "",
    owner: Choice = "",
    agreement: Choice = "",
) -> HTMLResponse:
    assert page.audience is not None
    today = datetime.now(UTC).date()
    known = {s.value for s in MeasureStatus}
    where = MeasureFilter(
        status=MeasureStatus(status) if status in known else None,
        owner=owner or None,
        agreement_id=agreement or None,
        overdue=True if overdue == "yes" else None,
        today=today,
        limit=LIMIT + 1,
    )
    found = finding_service.measure_register(page.db, page.audience, where)
    with page.db.read() as conn:
        agreements = {a.id: a for a in agreement_store.load_agreements(conn)}
    readable = [a for a in agreements.values() if page.audience.sees(a.id)]
    owners = sorted({p for a in readable for p in (*a.co_chairs, *a.members)})

    def steps(measure: Measure) -> list[str]:
        return open_steps(page, agreements[measure.agreement_id], measure)

    return render(
        page,
        "measures.html",
        active="measures",
        measures=found[:LIMIT],
        more=len(found) > LIMIT,
        steps=steps,
        overdue=lambda m: is_overdue(m.status, m.due, today),
        chosen={"status": status, "overdue": overdue, "owner": owner, "agreement": agreement},
        statuses=[s.value for s in MeasureStatus],
        owners=owners,
        agreements=[(a.id, a.name) for a in readable],
        here=page.request.url.path
        + (f"?{page.request.url.query}" if page.request.url.query else ""),
    )
