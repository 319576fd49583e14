"""/control: the areas of control — which actor held which ground, from when to when, by
whose account — each with a link to the map, centred on it, over the days it was held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ceasefire.store import actors as actor_store
from ceasefire.store import control as control_store
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
    with page.db.read() as conn:
        stored = control_store.load_areas(conn)
        names = actor_store.actor_names(conn, {s.area.actor_id for s in stored})
    rows = [_row(s, names.get(s.area.actor_id, s.area.actor_id)) for s in reversed(stored)]
    return render(page, "control.html", active="registers", tab="control", rows=rows)


def _row(stored: StoredArea, holder: str) -> Row:
    area = stored.area
    today = datetime.now(UTC).date()
    until = area.valid_to or today
    centre = area.geometry.representative_point()
    url = (
        f"/?ll={centre.y:.4f},{centre.x:.4f}&z=8"
        f"&from={area.valid_from.isoformat()}&to={until.isoformat()}"
    )
    held_now = area.valid_from <= today and (area.valid_to is None or today <= area.valid_to)
    return Row(stored, holder, held_now, url)
