"""Correlation v1: which incoming reports describe an incident already known.

A report joins an incident when they are close in space (``max_distance_m``, great-circle)
and in time (``max_gap``, between their time windows), their event types agree (or one is
unknown), their resolved actors overlap (or one names none), and the incident holds no
report from the same source: a dataset such as UCDP GED has already merged its own
duplicates, so two of its rows are two events. Reports known only to the month or year
are never joined automatically; analysts can merge them by hand. A report joins only an
incident of its own scope (the agreement whose parties alone read it, or open), so no
incident mixes what some parties may read with what they may not.

Lookup uses a space-time grid of cells one ``max_distance_m`` wide and one ``max_gap``
long, so assigning n reports costs O(n), not O(n^2).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import TimePrecision

_EARTH_RADIUS_M = 6_371_008.8
_METRES_PER_DEGREE = 111_320.0
_CORRELATABLE = (TimePrecision.EXACT, TimePrecision.DAY, TimePrecision.WEEK)


@dataclass(frozen=True, slots=True)
class CorrelationSettings:
    max_distance_m: float = 10_000.0
    max_gap: timedelta = timedelta(hours=24)

    def __post_init__(self) -> None:
        if self.max_distance_m <= 0:
            raise InvalidInputError("max_distance_m", f"{self.max_distance_m} is not positive")
        if self.max_gap <= timedelta(0):
            raise InvalidInputError("max_gap", f"{self.max_gap} is not positive")


@dataclass(slots=True)
class Footprint:
    """What correlation compares: a point, a time window (epoch seconds), type, actors."""

    key: Hashable
    lon: float
    lat: float
    start: float
    end: float
    precision: TimePrecision
    event_type: str | None
    actor_ids: frozenset[str]
    sources: set[str] = field(default_factory=set)
    scope: str | None = None  # the agreement whose parties alone see it (None: open)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def compatible(incident: Footprint, report: Footprint, settings: CorrelationSettings) -> bool:
    if report.precision not in _CORRELATABLE or incident.precision not in _CORRELATABLE:
        return False
    if report.sources & incident.sources or report.scope != incident.scope:
        return False
    if incident.event_type and report.event_type and incident.event_type != report.event_type:
        return False
    if incident.actor_ids and report.actor_ids and not incident.actor_ids & report.actor_ids:
        return False
    gap = max(report.start - incident.end, incident.start - report.end, 0.0)
    if gap > settings.max_gap.total_seconds():
        return False
    return distance_m(incident.lon, incident.lat, report.lon, report.lat) <= settings.max_distance_m


class Correlator:
    """Holds incidents in a space-time grid and finds the one a report belongs to."""

    def __init__(self, settings: CorrelationSettings | None = None) -> None:
        self.settings = settings or CorrelationSettings()
        self._cell_deg = self.settings.max_distance_m / _METRES_PER_DEGREE
        self._cell_s = self.settings.max_gap.total_seconds()
        self._grid: dict[tuple[int, int, int], list[Footprint]] = defaultdict(list)
        self._sources: set[str] = set()  # every source any incident in the grid holds

    def _space_cell(self, lon: float, lat: float) -> tuple[int, int]:
        scale = max(math.cos(math.radians(lat)), 0.01)
        return math.floor(lat / self._cell_deg), math.floor(lon * scale / self._cell_deg)

    def _time_cells(self, start: float, end: float) -> range:
        return range(math.floor(start / self._cell_s), math.floor(end / self._cell_s) + 1)

    def add(self, incident: Footprint) -> None:
        if incident.precision not in _CORRELATABLE:
            return
        self._sources |= incident.sources
        row, col = self._space_cell(incident.lon, incident.lat)
        for t in self._time_cells(incident.start, incident.end):
            self._grid[(row, col, t)].append(incident)

    def _neighbours(self, report: Footprint) -> Iterator[Footprint]:
        row, col = self._space_cell(report.lon, report.lat)
        times = self._time_cells(report.start, report.end)
        seen: set[int] = set()
        for t in range(times.start - 1, times.stop + 1):
            for dr in (-1, 0, 1):
                # Columns are scaled by cos(latitude), which differs a little between rows.
                for dc in (-2, -1, 0, 1, 2):
                    for incident in self._grid.get((row + dr, col + dc, t), ()):
                        if id(incident) not in seen:
                            seen.add(id(incident))
                            yield incident

    def match(self, report: Footprint) -> Footprint | None:
        """The nearest compatible incident, or None."""
        if report.precision not in _CORRELATABLE or self._sources <= report.sources:
            return None  # nothing here from another source: a one-source import stops here
        best: Footprint | None = None
        best_distance = math.inf
        for incident in self._neighbours(report):
            if compatible(incident, report, self.settings):
                d = distance_m(incident.lon, incident.lat, report.lon, report.lat)
                if d < best_distance:
                    best, best_distance = incident, d
        return best

    def join(self, incident: Footprint, report: Footprint) -> None:
        """Record that ``report`` joined ``incident`` (its source and time now count)."""
        incident.sources |= report.sources
        self._sources |= report.sources
        old = self._time_cells(incident.start, incident.end)
        incident.start, incident.end = (
            min(incident.start, report.start),
            max(incident.end, report.end),
        )
        row, col = self._space_cell(incident.lon, incident.lat)
        for t in self._time_cells(incident.start, incident.end):
            if t not in old:
                self._grid[(row, col, t)].append(incident)
