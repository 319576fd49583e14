"""Areas of control: who holds which ground, polygon by polygon, over dated spans.

"Moderate opposition units mixed up with Jabhat al-Nusra positions": whether a strike hit
Nusra or the opposition turns on who held the place that day. An area of control is a
polygon held by one actor from ``valid_from`` to ``valid_to`` (inclusive; open-ended when
None). At any date a place has at most one holder: two areas whose spans share a day may
not overlap (more than a sliver of ``OVERLAP_TOLERANCE`` of the smaller one, for polygons
traced by hand along a shared front line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import shapely
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.errors import InvalidInputError

OVERLAP_TOLERANCE = 0.001  # of the smaller area
MAX_VERTICES = 100_000


@dataclass(frozen=True, slots=True)
class ControlArea:
    actor_id: str
    geometry: BaseGeometry
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    note: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if self.geometry.is_empty or self.geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise InvalidInputError("geometry", "must be a non-empty Polygon or MultiPolygon")
        if shapely.get_num_coordinates(self.geometry) > MAX_VERTICES:
            raise InvalidInputError("geometry", f"has more than {MAX_VERTICES} vertices")
        if not shapely.is_valid(self.geometry):
            raise InvalidInputError(
                "geometry", f"is not valid ({shapely.is_valid_reason(self.geometry)})"
            )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise InvalidInputError(
                "valid_to", f"{self.valid_to} is before valid_from {self.valid_from}"
            )

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def spans_meet(self, other: ControlArea) -> bool:
        ends = [d for d in (self.valid_to, other.valid_to) if d is not None]
        start = max(self.valid_from, other.valid_from)
        return not ends or bool(start <= min(ends))

    @property
    def label(self) -> str:
        return f"area {self.id}" if self.id is not None else f"the area held by {self.actor_id}"


def overlaps(a: ControlArea, b: ControlArea) -> bool:
    """Whether two areas claim the same ground on some day."""
    if not a.spans_meet(b) or not a.geometry.intersects(b.geometry):
        return False
    shared = float(a.geometry.intersection(b.geometry).area)
    return shared > OVERLAP_TOLERANCE * min(float(a.geometry.area), float(b.geometry.area))


def check_no_overlap(held: Sequence[ControlArea], new: Sequence[ControlArea]) -> None:
    """New areas overlap neither each other nor the areas held, on any shared day."""
    tree = shapely.STRtree([a.geometry for a in held]) if held else None
    for i, area in enumerate(new):
        others = [held[int(j)] for j in tree.query(area.geometry)] if tree is not None else []
        others += list(new[:i])
        for other in others:
            if overlaps(area, other):
                raise InvalidInputError(
                    "geometry",
                    f"areas[{i}] ({area.actor_id}, from {area.valid_from}) overlaps "
                    f"{other.label} ({other.actor_id}, from {other.valid_from}"
                    f"{' to ' + str(other.valid_to) if other.valid_to else ''}) on a day "
                    "both hold: a place has one holder at a time",
                )


@dataclass(frozen=True, slots=True)
class ControlMap:
    """Every area of control, to ask who held a point on a day."""

    areas: tuple[ControlArea, ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (actor id, name)
    _tree: shapely.STRtree | None = field(default=None, compare=False)

    @classmethod
    def of(cls, areas: Sequence[ControlArea], names: dict[str, str]) -> ControlMap:
        tree = shapely.STRtree([a.geometry for a in areas]) if areas else None
        return cls(tuple(areas), tuple(sorted(names.items())), tree)

    def holder(self, lon: float, lat: float, day: date) -> ControlArea | None:
        if self._tree is None:
            return None
        point = shapely.Point(lon, lat)
        for index in self._tree.query(point, predicate="intersects"):
            area = self.areas[int(index)]
            if area.holds_on(day):
                return area
        return None

    def name(self, actor_id: str) -> str:
        return dict(self.names).get(actor_id, actor_id)

    def __bool__(self) -> bool:
        return bool(self.areas)
