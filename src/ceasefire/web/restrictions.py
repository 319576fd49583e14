"""/restrictions: monitors denied access — the form that records one (the place by
clicking the map, the time in the agreement's zone, asking which of a time the clocks
showed twice, as the report form does) and the latest ones the party reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.services import restrictions as service
from ceasefire.services.maps import place_choices, regime_bounds
from ceasefire.web.context import (
    Page,
    UserPage,
    check_csrf,
    ledger_of,
    settings_of,
)
from ceasefire.web.moments import form_moment, twice_in
from ceasefire.web.problems import form_error
from ceasefire.web.render import render
from ceasefire.web.report_forms import PlacedForm, number_in
from ceasefire.web.reports import agreements_of

router = APIRouter(include_in_schema=False)
LATEST = 50


class RestrictionForm(PlacedForm):
    """The access restriction form as posted: every input a string, sized."""

    patrol: str = Field("", max_length=200)
    denied_by: str = Field("", max_length=200)
    reason: str = Field("", max_length=5_000)
    minutes: str = Field("", max_length=64)


BLANK = RestrictionForm().values()


def show(
    page: Page,
    form: dict[str, str] | None = None,
    *,
    error: CeasefireError | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    assert page.audience is not None
    agreements = agreements_of(page)
    values = form or {
        **BLANK,
        "agreement": page.agreements[0] if page.agreements else "",
        "date": datetime.now(UTC).date().isoformat(),
    }
    options = regime_bounds(page.db)
    return render(
        page,
        "restrictions.html",
        status=status,
        active="restrictions",
        form=values,
        agreements=agreements,
        zone={a: z for a, _, z in agreements}.get(values.get("agreement", ""), "UTC"),
        zones={a: z for a, _, z in agreements},  # each restriction's time is shown in its own
        places=place_choices(page.db),
        latest=service.restrictions(page.db, page.audience, limit=LATEST),
        fields=frozenset(BLANK),
        error=None if error is None else form_error(page, error),
        twice=twice_in(error),
        notice=notice,
        data={
            "bounds": options.bounds,
            "agreements": options.agreement_bounds,
            "tiles": settings_of(page).map_tiles,
        },
    )


@router.get("/restrictions", response_class=HTMLResponse)
def restrictions_page(page: UserPage, recorded: str = "") -> HTMLResponse:
    notice = page._("Recorded, signed by your party.") if recorded else None
    return show(page, notice=notice)


@router.post("/restrictions")
def record(page: UserPage, posted: Annotated[RestrictionForm, Form()]) -> Response:
    check_csrf(page, posted.csrf)
    assert page.user is not None
    form = posted.values()
    patrol, denied_by, minutes = posted.patrol, posted.denied_by, posted.minutes
    agreement, day, clock = posted.agreement, posted.day, posted.clock
    zones = {a: z for a, _, z in agreements_of(page)}
    try:
        if not patrol.strip():
            raise InvalidInputError("patrol", page._("Name the patrol or team."))
        if not denied_by.strip():
            raise InvalidInputError("denied_by", page._("Say who denied access."))
        y, x = number_in(page, form, "lat"), number_in(page, form, "lon")
        if y is None or x is None:
            raise InvalidInputError(
                "lat" if y is None else "lon", page._("Click the map, or give both coordinates.")
            )
        message = page._("Give the date, and the time if known.")
        zone = zones.get(agreement, "UTC")
        when = form_moment(page, day, clock, zone, posted.fold, message=message)
        duration = None
        if minutes.strip():
            if not (minutes.isascii() and minutes.isdigit()) or len(minutes) > 6:
                raise InvalidInputError("minutes", page._("Give a whole number, or nothing."))
            duration = int(minutes)
        service.record_restriction(
            ledger_of(page),
            page.user,
            patrol=patrol.strip(),
            time=when,
            lon=x,
            lat=y,
            place=posted.place or None,
            denied_by=denied_by.strip(),
            reason=posted.reason.strip() or "none given",
            duration_minutes=duration,
            scope=agreement or None,
        )
    except CeasefireError as error:
        return show(page, form, error=error, status=status_of(error))
    return RedirectResponse("/restrictions?recorded=1", status_code=303)
