"""Areas of control as stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import shapely
from sqlalchemy import Connection, select

from ceasefire.domain.control import ControlArea, ControlMap
from ceasefire.store import tables as t


@dataclass(frozen=True, slots=True)
class StoredArea:
    area: ControlArea
    recorded_by: str
    created: datetime


def save_area(
    conn: Connection, area_id: int, area: ControlArea, recorded_by: str, created: datetime
) -> None:
    conn.execute(
        t.control_areas.insert().values(
            id=area_id,
            actor_id=area.actor_id,
            geojson=shapely.to_geojson(area.geometry),
            valid_from=area.valid_from,
            valid_to=area.valid_to,
            source=area.source,
            note=area.note,
            recorded_by=recorded_by,
            created=created,
        )
    )


def load_areas(conn: Connection) -> list[StoredArea]:
    c = t.control_areas.c
    return [
        StoredArea(
            ControlArea(
                actor_id=row.actor_id,
                geometry=shapely.from_geojson(row.geojson),
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                source=row.source,
                note=row.note,
                id=row.id,
            ),
            row.recorded_by,
            row.created,
        )
        for row in conn.execute(select(t.control_areas).order_by(c.valid_from, c.id))
    ]


def load_control_map(conn: Connection) -> ControlMap:
    areas = [s.area for s in load_areas(conn)]
    if not areas:
        return ControlMap()
    ids = sorted({a.actor_id for a in areas})
    names = {
        row.id: row.name
        for row in conn.execute(
            select(t.actors.c.id, t.actors.c.name).where(t.actors.c.id.in_(ids))
        )
    }
    return ControlMap.of(areas, names)
