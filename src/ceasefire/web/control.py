"""/control: the areas of control — which actor held which ground, from when to when, by
whose account — each with a link to the map, fitted to it, over the days it was held."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

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
    """The area's row, with the map's address showing it: fitted to its bounds, over the
    days it was held, its outline drawn above the incidents (``area``)."""
    area = stored.area
    west, south, east, north = area.geometry.bounds
    # rounded outward to 4 decimals (about 10 m), so that none of the area is cut off
    outward = [math.floor(west * 1e4), math.floor(south * 1e4)]
    outward += [math.ceil(east * 1e4), math.ceil(north * 1e4)]
    query = {
        "bounds": ",".join(f"{v / 1e4:.4f}" for v in outward),
        "from": area.valid_from.isoformat(),
        "to": (area.valid_to or today).isoformat(),
    }
    if area.id is not None:
        query["area"] = str(area.id)
    return Row(stored, holder, area.holds_on(today), f"/?{urlencode(query)}")
