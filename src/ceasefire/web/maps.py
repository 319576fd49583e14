"""/ : the shared map the task force works on."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ceasefire.domain.classification import Classification
from ceasefire.domain.taxonomy import ACLED_EVENT_TYPES
from ceasefire.domain.words import JOINT
from ceasefire.services.maps import map_options
from ceasefire.web.context import UserPage, settings_of
from ceasefire.web.labels import HUMANITARIAN_STATUS, REGIME_STATE
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def map_page(page: UserPage) -> HTMLResponse:
    assert page.audience is not None
    options = map_options(page.db, page.audience)  # what this reader may read, alone
    settings = settings_of(page)
    data = {
        "first": options.first,
        "last": options.last,
        "bounds": options.bounds,
        "tiles": settings.map_tiles,
    }
    return render(
        page,
        "map.html",
        active="map",
        options=options,
        data=data,
        event_types=list(ACLED_EVENT_TYPES),
        classifications=[c.value for c in Classification],
        joints=list(JOINT),
        regime_states=list(REGIME_STATE),
        humanitarian_statuses=list(HUMANITARIAN_STATUS),
    )
