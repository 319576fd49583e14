"""/control: the areas of control — which actor held which ground, from when to when, by
whose account — each with a link to the map, centred on it, over the days it was held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ceasefire.services import control as service
from ceasefire.store.control import StoredArea
from ceasefire.web.context import UserPage
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Row:
    stored: StoredArea
    holder: str
    held_now: bool
    map_url: str  # the shared map on the area, its time range the days it was held


@router.get("/control", response_class=HTMLResponse)
def register(page: UserPage) -> HTMLResponse:
    today = datetime.now(UTC).date()
    rows = [_row(s, holder, today) for s, holder in reversed(service.areas(page.db))]
    return render(page, "control.html", active="registers", tab="control", rows=rows)


def _row(stored: StoredArea, holder: str, today: date) -> Row:
    area = stored.area
    centre = area.geometry.representative_point()
    url = (
        f"/?ll={centre.y:.4f},{centre.x:.4f}&z=8"
        f"&from={area.valid_from.isoformat()}&to={(area.valid_to or today).isoformat()}"
    )
    return Row(stored, holder, area.holds_on(today), url)
