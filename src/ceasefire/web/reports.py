"""/reports/new: the report form (read in ``web.report_forms``), filed or kept as a draft
of the party; the party's drafts are listed below it, to open (``web.drafts``), file or
discard. ``show`` renders the form, new or holding a draft."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.precision import LocationPrecision
from ceasefire.domain.taxonomy import ACLED_EVENT_TYPES
from ceasefire.domain.workflow import Role
from ceasefire.services import drafts as draft_service
from ceasefire.services import incidents as incident_service
from ceasefire.services import queries
from ceasefire.services.findings import require_role
from ceasefire.services.maps import place_choices, regime_bounds
from ceasefire.services.reports_in import (
    DraftBody,
    ReportBody,
    report_in,
    scope_in,
    still_needed,
)
from ceasefire.store.drafts import Draft
from ceasefire.web.context import Page, UserPage, check_csrf, ledger_of, settings_of
from ceasefire.web.moments import Twice, twice_in
from ceasefire.web.problems import form_error
from ceasefire.web.render import render
from ceasefire.web.report_forms import (
    BLANK,
    INPUT_OF,
    ReportForm,
    body_of,
    checked,
    moment_of,
)

router = APIRouter(include_in_schema=False)
PRECISIONS = ["exact", "settlement", "near", "adm2", "adm1"]  # what the form offers


def agreements_of(page: Page) -> list[tuple[str, str, str]]:
    """(id, name, time zone) of the agreements the user's party is in."""
    mine = set(page.agreements)
    return [(a.id, a.name, a.time_zone) for a in queries.list_agreements(page.db) if a.id in mine]


def _fresh(page: Page) -> dict[str, str]:
    assert page.user is not None
    today = datetime.now(UTC).date().isoformat()
    return {
        **BLANK,
        "source": page.user.party_id,
        "source_id": f"{page.user.username}-{secrets.token_hex(4)}",
        "agreement": page.agreements[0] if page.agreements else "",
        "date": today,
        "location_precision": LocationPrecision.EXACT.value,
        "event_type": "Battles",
    }


def show(
    page: Page,
    form: dict[str, str] | None = None,
    *,
    error: CeasefireError | None = None,
    notice: str | None = None,
    status: int = 200,
    opened: Draft | None = None,
    extras: list[tuple[str, str]] | None = None,
) -> HTMLResponse:
    """The form (``opened``: holding that draft, with what it holds that the form does not
    show, ``extras``), and the party's drafts below it."""
    assert page.user is not None
    agreements = agreements_of(page)
    values = form or _fresh(page)
    zones = {a: z for a, _, z in agreements}
    chosen = values.get("agreement", "")
    if chosen and chosen not in zones:  # a draft's agreement the party is no longer in
        agreements.append((chosen, chosen, "UTC"))
    options = regime_bounds(page.db)
    places = place_choices(page.db)
    return render(
        page,
        "report.html",
        status=status,
        active="report",
        form=values,
        agreements=agreements,
        zone=zones.get(chosen, "UTC"),
        places=places,
        place_offered=any(p.name == values.get("place") for _, group in places for p in group),
        precisions=_precisions(values.get("location_precision", "")),
        event_types=list(ACLED_EVENT_TYPES),
        drafts=[(d, needs(page, d)) for d in draft_service.drafts(page.db, page.user)],
        opened=opened,
        extras=extras or [],
        fields=frozenset(BLANK),
        error=None if error is None else form_error(page, error, INPUT_OF),
        twice=twice_in(error) or _asked(page, values, zones),
        notice=notice,
        data={
            "bounds": options.bounds,
            "agreements": options.agreement_bounds,
            "tiles": settings_of(page).map_tiles,
        },
    )


def _precisions(chosen: str) -> list[str]:
    """The form's choices of how precisely, with a draft's own if the form has no such."""
    return PRECISIONS if chosen in ("", *PRECISIONS) else [*PRECISIONS, chosen]


def needs(page: Page, found: Draft) -> str:
    """What the draft still needs to be filed, in words."""
    missing = still_needed(found.body)
    place, day = "lon" in missing or "lat" in missing, "time" in missing
    if place and day:
        return page._("the place and the date")
    if place:
        return page._("the place")
    return page._("the date") if day else page._("nothing: ready to file")


def _asked(page: Page, form: dict[str, str], zones: dict[str, str]) -> Twice | None:
    """The form's time the clocks showed twice, when the form says which already (a draft
    opened, a form refused for another reason): it is asked again, with that one chosen."""
    if not form.get("fold"):
        return None
    try:
        day = date.fromisoformat(form.get("date", ""))
        moment_of(page, {**form, "fold": ""}, day, zones.get(form.get("agreement", ""), "UTC"))
    except Twice as twice:
        return twice
    except (InvalidInputError, ValueError):
        return None
    return None


@router.get("/reports/new", response_class=HTMLResponse)
def new_report(page: UserPage) -> HTMLResponse:
    return show(page)


@router.post("/reports/new")
def file_report(page: UserPage, posted: Annotated[ReportForm, Form()]) -> Response:
    check_csrf(page, posted.csrf)
    assert page.user is not None
    form, action = posted.values(), posted.action
    zones = {a: z for a, _, z in agreements_of(page)}
    try:
        require_role(page.user, Role.REPORTER, "filing a report")
        if action == "draft":  # who reads it is kept as chosen ("every party": null)
            kept = checked(page, *body_of(page, form, zones, draft=True), model=DraftBody)
            draft_service.save_draft(page.db, page.user, kept)
            return show(page, notice=page._("Kept as a draft: your party sees it below."))
        body = checked(page, *body_of(page, form, zones), model=ReportBody)
        stored = incident_service.submit_report(
            ledger_of(page),
            report_in(body),
            settings_of(page).correlation(),
            author=page.user.party_id,
            scope=scope_in(body),
        )
    except CeasefireError as error:
        return show(page, form, error=error, status=status_of(error))
    return RedirectResponse(f"/incidents/{stored.incident_id}?filed={stored.id}", status_code=303)
