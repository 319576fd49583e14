"""What a list of incidents may be filtered by (the API's query parameters, validated)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from shapely.geometry.base import BaseGeometry

from ceasefire.domain.classification import Classification
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.workflow import JOINT_CODES

MAX_PAGE = 10_000


@dataclass(frozen=True, slots=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __post_init__(self) -> None:
        if not (-180 <= self.min_lon <= self.max_lon <= 180):
            raise InvalidInputError(
                "bbox", f"longitudes {self.min_lon},{self.max_lon} must rise within -180..180"
            )
        if not (-90 <= self.min_lat <= self.max_lat <= 90):
            raise InvalidInputError(
                "bbox", f"latitudes {self.min_lat},{self.max_lat} must rise within -90..90"
            )

    @classmethod
    def around(cls, geometry: BaseGeometry) -> BBox:
        """The smallest box holding a geometry (a regime's area, an area of control)."""
        return cls(*geometry.bounds)

    @classmethod
    def of_tile(cls, z: int, x: int, y: int) -> BBox:
        """The area of map tile ``z/x/y`` (the XYZ scheme of web maps: Web Mercator, x
        eastward and y southward from the north-west corner, 2**z tiles a side)."""
        side = 2**z
        for name, value in (("x", x), ("y", y)):
            if not 0 <= value < side:
                raise InvalidInputError(name, f"{value} is not a tile at zoom {z} (0..{side - 1})")

        def latitude(row: int) -> float:
            return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / side))))

        return cls(x / side * 360 - 180, latitude(y + 1), (x + 1) / side * 360 - 180, latitude(y))

    @classmethod
    def parse(cls, text: str) -> BBox:
        """'min_lon,min_lat,max_lon,max_lat' as in OGC API and RFC 7946."""
        parts = text.split(",")
        if len(parts) != 4:
            raise InvalidInputError("bbox", f"{text!r} is not min_lon,min_lat,max_lon,max_lat")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise InvalidInputError(
                "bbox", f"{text!r} holds a value that is not a number"
            ) from None
        return cls(*values)


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    bbox: BBox | None = None
    start: datetime | None = None  # incidents whose time window reaches past this
    end: datetime | None = None  # ... and begins before this
    classification: Classification | None = None
    regime_id: str | None = None
    event_type: str | None = None
    agreement_id: str | None = None  # filed under it, or a regime of it bears on them
    source: str | None = None  # with a report from this source
    joint: str | None = None  # this joint finding (domain.workflow.joint_code); "none": unassessed
    after_id: int | None = None  # cursor: incidents with a larger id
    limit: int = 100

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise InvalidInputError(name, f"{value.isoformat()} has no time zone")
        if self.start and self.end and self.end < self.start:
            raise InvalidInputError(
                "to", f"{self.end.isoformat()} is before from {self.start.isoformat()}"
            )
        if not 1 <= self.limit <= MAX_PAGE:
            raise InvalidInputError("limit", f"{self.limit} is outside 1..{MAX_PAGE}")
        if self.joint is not None and self.joint not in (*JOINT_CODES, "none"):
            known = ", ".join((*JOINT_CODES, "none"))
            raise InvalidInputError("joint", f"{self.joint!r} is not one of {known}")


def admits(
    f: IncidentFilter,
    *,
    lon: float,
    lat: float,
    start: datetime,
    end: datetime,
    classification: Classification,
    regime_ids: tuple[str, ...],
    event_type: str | None,
    agreement_id: str | None = None,
    joint: str | None = None,
) -> bool:
    """Whether an incident passes the filter (as the store's query would select it): for
    a live feed, which tests incidents one by one as they change."""
    if f.bbox is not None and not (
        f.bbox.min_lon <= lon <= f.bbox.max_lon and f.bbox.min_lat <= lat <= f.bbox.max_lat
    ):
        return False
    if f.end is not None and not start < f.end:
        return False
    if f.start is not None and not (end > f.start or start >= f.start):
        return False
    if f.classification is not None and classification is not f.classification:
        return False
    if f.regime_id is not None and f.regime_id not in regime_ids:
        return False
    if f.agreement_id is not None and agreement_id != f.agreement_id:
        return False  # (the feed knows an incident's scope, not its regimes' agreements)
    if f.joint is not None and (joint or "none") != f.joint:
        return False
    return f.event_type is None or event_type == f.event_type
