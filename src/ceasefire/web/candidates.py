"""/candidates: the analysts' queue of pairs of incidents that may be one event
(docs/correlation.md), the two side by side, with the analyst's two answers: one event (a
signed merge) or two (a signed rejection, after which the pair is not proposed again)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError
from ceasefire.domain.workflow import Role
from ceasefire.services.candidates import confirm_candidate, list_candidates, reject_candidate
from ceasefire.services.findings import require_role
from ceasefire.store import actors as actor_store
from ceasefire.store import incidents as incident_store
from ceasefire.web.context import Csrf, Id, Page, UserPage, check_csrf, ledger_of
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 20


@router.get("/candidates", response_class=HTMLResponse)
def queue(
    page: UserPage,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    kept: Annotated[str, Query(max_length=40, pattern=r"^(\d{1,15}-\d{1,15})?$")] = "",
) -> HTMLResponse:
    notice = None
    if kept:
        first, second = kept.split("-")
        notice = page._(
            "Incidents %(first)s and %(second)s are kept as two events, signed by your party."
        ) % {"first": first, "second": second}
    return show(page, offset, notice=notice)


def show(
    page: Page,
    offset: int = 0,
    *,
    notice: str | None = None,
    error: CeasefireError | None = None,
    status: int = 200,
) -> HTMLResponse:
    assert page.user is not None and page.audience is not None
    found = list_candidates(page.db, page.audience, limit=PER_PAGE, offset=offset)
    ids = sorted({i for c in found.candidates for i in (c.incident_id, c.other_id)})
    with page.db.read() as conn:
        incidents = {
            i.id: i for i in incident_store.find_incidents(conn, ids, page.audience, explain=False)
        }
        names = actor_store.actor_names(conn, {a for i in incidents.values() for a in i.actor_ids})
    pairs = [
        (c, incidents[c.incident_id], incidents[c.other_id])
        for c in found.candidates
        if c.incident_id in incidents and c.other_id in incidents
    ]
    return render(
        page,
        "candidates.html",
        status=status,
        active="candidates",
        pairs=pairs,
        total=found.total,
        offset=offset,
        per_page=PER_PAGE,
        may_decide=page.user.role >= Role.ANALYST,
        actor_names=lambda ids: ", ".join(names.get(i, i) for i in ids),
        notice=notice,
        error=error,
    )


@router.post("/candidates/{incident_id}/{other_id}/{answer}")
def decide(
    incident_id: Id,
    other_id: Id,
    answer: Literal["confirm", "reject"],
    page: UserPage,
    csrf: Csrf,
) -> Response:
    """One event (``confirm``: merged, and the merged incident opens) or two (``reject``)."""
    check_csrf(page, csrf)
    assert page.user is not None and page.audience is not None
    ledger, who, audience = ledger_of(page), page.user.party_id, page.audience
    try:
        require_role(page.user, Role.ANALYST, "deciding whether two incidents are one event")
        if answer == "confirm":
            merged = confirm_candidate(ledger, incident_id, other_id, author=who, audience=audience)
            kept = ",".join(str(i) for i in merged.merged_ids)
            target = f"/incidents/{merged.incident.id}?merged={kept}"
        else:
            reject_candidate(ledger, incident_id, other_id, author=who, audience=audience)
            low, high = sorted((incident_id, other_id))
            target = f"/candidates?kept={low}-{high}"
    except CeasefireError as error:
        return show(page, error=error, status=status_of(error))
    return RedirectResponse(target, status_code=303)
