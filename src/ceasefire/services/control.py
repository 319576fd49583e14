"""Areas of control: recorded by a party, signed, never overlapping on a day, and asked
who held a place when (``domain.control``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import shapely
from sqlalchemy import select

from ceasefire.domain.control import ControlArea, check_no_overlap
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.exclusions import TERRITORY
from ceasefire.domain.filters import BBox
from ceasefire.ingest.control_files import AreaRow
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import Reclassified, reclassify_areas
from ceasefire.services.rules import Rules
from ceasefire.store import control as store
from ceasefire.store import tables as t
from ceasefire.store.control import StoredArea
from ceasefire.store.database import Database
from ceasefire.store.records import CONTROL_AREA


@dataclass(frozen=True, slots=True)
class RecordedAreas:
    ids: list[int]
    reclassified: list[Reclassified]

    def line(self) -> str:
        return (
            f"recorded {len(self.ids)} areas of control; "
            f"{len(self.reclassified)} incidents classified anew"
        )


def record_areas(
    ledger: Ledger, rows: Sequence[AreaRow], *, author: str | None = None
) -> RecordedAreas:
    """Record areas of control, signed by ``author``: all of them, or none when one names
    an unknown actor, is not a valid polygon, or overlaps another on a day both hold.
    Where a regime excludes by territory, incidents are classified anew."""
    now = datetime.now(UTC)
    with ledger.write(author) as writer:
        conn = writer.conn
        rules = Rules.load(conn)
        areas = []
        for row in rows:
            where = f"features[{row.number}]"
            actor_id = row.actor if rules.actors.get(row.actor) else rules.actors.resolve(row.actor)
            if actor_id is None:
                raise InvalidInputError(
                    f"{where}.properties.actor", f"{row.actor!r} names no known actor"
                )
            try:
                areas.append(
                    ControlArea(
                        actor_id, row.geometry, row.valid_from, row.valid_to, row.source, row.note
                    )
                )
            except InvalidInputError as error:
                raise InvalidInputError(f"{where}.{error.field}", error.reason) from None
        held = [s.area for s in store.load_areas(conn)]
        try:
            check_no_overlap(held, areas)
        except InvalidInputError as error:
            raise InvalidInputError(
                error.field, error.reason.replace("areas[", "features[")
            ) from None
        ids = writer.new_ids(t.control_areas, len(areas))
        for area_id, area in zip(ids, areas, strict=True):
            store.save_area(conn, area_id, area, writer.author, now)
            writer.changed("control_area.recorded", CONTROL_AREA, [(area_id,)], new=True)
        follows = conn.execute(
            select(t.regime_follows.c.regime_id).where(t.regime_follows.c.relation == TERRITORY)
        ).first()
        # an area holds the incidents whose point lies in it on its days, and no other area
        # holds them then: those inside the new areas alone can change
        boxes = [BBox.around(area.geometry) for area in areas]
        changed = reclassify_areas(conn, Rules.load(conn), boxes, writer.start) if follows else []
    return RecordedAreas(ids, changed)


def holder(db: Database, lon: float, lat: float, day: date) -> tuple[ControlArea, str] | None:
    """The area that holds a point on a day, and its holder's name."""
    with db.read() as conn:
        control = store.load_control_map(conn)
    area = control.holder(lon, lat, day)
    return None if area is None else (area, control.name(area.actor_id))


def areas(db: Database) -> list[tuple[StoredArea, str]]:
    """Every area of control, the first held first, with its holder's name."""
    with db.read() as conn:
        stored = store.load_areas(conn)
        names = dict(store.load_control_map(conn).names)
    return [(s, names.get(s.area.actor_id, s.area.actor_id)) for s in stored]


def geojson(db: Database, day: date | None) -> dict[str, Any]:
    """The areas held on a day (every area when no day is given), as GeoJSON."""
    features = []
    for s, holder in areas(db):
        area = s.area
        if day is not None and not area.holds_on(day):
            continue
        features.append(
            {
                "type": "Feature",
                "id": area.id,
                "geometry": shapely.geometry.mapping(area.geometry),
                "properties": {
                    "actor_id": area.actor_id,
                    "actor": holder,
                    "valid_from": area.valid_from.isoformat(),
                    "valid_to": area.valid_to.isoformat() if area.valid_to else None,
                    "source": area.source,
                    "note": area.note,
                    "recorded_by": s.recorded_by,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
