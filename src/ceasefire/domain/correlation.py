"""Correlation: which incoming reports describe an incident already known.

A report and an incident are scored (``domain.comparisons``: place against a tolerance
widened by both location precisions, time gap, event type and sub-event type, resolved
actors). A report joins the nearest incident whose score reaches the settings'
``join_at``; an incident scoring from ``propose_at`` up is proposed to analysts as a
candidate (``Correlator.candidates``). Never with an incident that holds a report from
the same source: a dataset such as UCDP GED has already merged its own
duplicates, so two of its rows are two events. Reports known only to the month or year
are never joined automatically; analysts can merge them by hand. A report joins only an
incident of its own scope (the agreement whose parties alone read it, or open), so no
incident mixes what some parties may read with what they may not.

Lookup uses a space-time grid of cells as wide as the largest distance tolerance and one
``max_gap`` long, so assigning n reports costs O(n), not O(n^2). ``domain.batches`` does
the same for a whole batch at once, with numpy.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from ceasefire.domain.comparisons import (
    EARTH_RADIUS_M,
    RADIUS_CAP_M,
    Comparison,
    Thresholds,
    compare,
    distance_m,
)
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import TimePrecision

__all__ = [
    "CorrelationSettings",
    "Correlator",
    "Footprint",
    "compatible",
    "degrees_within",
    "distance_m",
]

# a degree of latitude on the sphere the distances are measured on (``distance_m``), less
# a thousandth so that rounding never makes a cell shorter than the tolerance: with
# 111,320 m (a degree of the equator on the ellipsoid) a cell was 0.11 % too short, and a
# pair within the tolerance could lie two rows apart, where no one looked (hypothesis found
# one straddling the equator)
_METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180 * 0.999
_CORRELATABLE = (TimePrecision.EXACT, TimePrecision.DAY, TimePrecision.WEEK)


def degrees_within(distance_m: float, lat: float) -> tuple[float, float]:
    """How far north or south, and east or west, in degrees, a point within ``distance_m``
    of a point at latitude ``lat`` may lie: east or west as far as the distance reaches at
    the most poleward latitude it reaches, where a degree of longitude is shortest."""
    north = distance_m / _METRES_PER_DEGREE
    return north, _eastward(north, abs(lat) + north)


def _eastward(degrees: float, poleward: float) -> float:
    """The degrees of longitude as long as ``degrees`` of latitude at latitude ``poleward``
    (at most a hundred times as many, near the poles)."""
    return degrees / max(math.cos(math.radians(min(90.0, poleward))), 0.01)


def correlates(precision: TimePrecision) -> bool:
    """Whether an event dated so is ever compared with another: one known only to its month
    or year never joins an incident nor is proposed with one."""
    return precision in _CORRELATABLE


@dataclass(frozen=True, slots=True)
class CorrelationSettings:
    max_distance_m: float = 10_000.0
    max_gap: timedelta = timedelta(hours=24)
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def widest_m(self) -> float:
        """The largest distance tolerance any two reports get."""
        return self.max_distance_m + RADIUS_CAP_M

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
    radius_m: float = 0.0  # the location's uncertainty radius (precision.UNCERTAINTY_RADIUS_M)
    sub_event_type: str | None = None


def scored(
    incident: Footprint, report: Footprint, settings: CorrelationSettings
) -> Comparison | None:
    """The comparison of a report with an incident it may join or be proposed for (None:
    it may not: imprecise times, a source in common, another scope, beyond tolerance)."""
    if not (correlates(report.precision) and correlates(incident.precision)):
        return None
    if report.sources & incident.sources or report.scope != incident.scope:
        return None
    return compare(incident, report, settings.max_distance_m, settings.max_gap.total_seconds())


def compatible(incident: Footprint, report: Footprint, settings: CorrelationSettings) -> bool:
    """Whether the report joins the incident automatically (its score reaches join_at)."""
    found = scored(incident, report, settings)
    return found is not None and found.score >= settings.thresholds.join_at


class Correlator:
    """Holds incidents in a space-time grid and finds the one a report belongs to."""

    def __init__(self, settings: CorrelationSettings | None = None) -> None:
        self.settings = settings or CorrelationSettings()
        self._cell_deg = self.settings.widest_m / _METRES_PER_DEGREE
        self._cell_s = self.settings.max_gap.total_seconds()
        self._grid: dict[tuple[int, int, int], list[Footprint]] = defaultdict(list)
        self._sources: set[str] = set()  # every source any incident in the grid holds

    def _row(self, lat: float) -> int:
        return math.floor(lat / self._cell_deg)

    def _width(self, row: int) -> float:
        """The degrees of longitude a cell of ``row`` spans: a tolerance's length at the
        row's poleward edge, where a degree of longitude is shortest."""
        return _eastward(self._cell_deg, max(abs(row), abs(row + 1)) * self._cell_deg)

    def _space_cell(self, lon: float, lat: float) -> tuple[int, int]:
        row = self._row(lat)
        return row, math.floor(lon / self._width(row))

    def _time_cells(self, start: float, end: float) -> range:
        return range(math.floor(start / self._cell_s), math.floor(end / self._cell_s) + 1)

    def add(self, incident: Footprint) -> None:
        if not correlates(incident.precision):
            return
        self._sources |= incident.sources
        row, col = self._space_cell(incident.lon, incident.lat)
        for t in self._time_cells(incident.start, incident.end):
            self._grid[(row, col, t)].append(incident)

    def _cells(self, report: Footprint) -> Iterator[tuple[int, int]]:
        """The cells holding every point within the tolerance of the report: the rows a
        tolerance reaches north and south, and in each the columns it reaches east and
        west at the most poleward latitude it reaches (pairs across the antimeridian are
        not looked for)."""
        row = self._row(report.lat)
        reach = degrees_within(self.settings.widest_m, report.lat)[1]
        for r in (row - 1, row, row + 1):
            width = self._width(r)
            west = math.floor((report.lon - reach) / width)
            for c in range(west, math.floor((report.lon + reach) / width) + 1):
                yield r, c

    def neighbours(self, report: Footprint) -> Iterator[Footprint]:
        times = self._time_cells(report.start, report.end)
        cells = list(self._cells(report))
        seen: set[int] = set()
        for t in range(times.start - 1, times.stop + 1):
            for row, col in cells:
                for incident in self._grid.get((row, col, t), ()):
                    if id(incident) not in seen:
                        seen.add(id(incident))
                        yield incident

    def match(self, report: Footprint) -> Footprint | None:
        """The nearest incident whose score with the report reaches ``join_at``, or None."""
        return self.consider(report)[0]

    def consider(
        self, report: Footprint
    ) -> tuple[Footprint | None, list[tuple[Footprint, Comparison]]]:
        """The incident the report joins (the nearest whose score reaches ``join_at``, or
        None) and the others it is proposed with (score at least ``propose_at``), best
        first."""
        if not correlates(report.precision) or self._sources <= report.sources:
            return None, []  # nothing here from another source: a one-source import stops here
        best: Footprint | None = None
        best_distance = math.inf
        join_at = self.settings.thresholds.join_at
        propose_at = self.settings.thresholds.propose_at
        found: list[tuple[Footprint, Comparison]] = []
        for incident in self.neighbours(report):
            comparison = scored(incident, report, self.settings)
            if comparison is None or comparison.score < propose_at:
                continue
            found.append((incident, comparison))
            if comparison.score >= join_at and comparison.distance_m < best_distance:
                best, best_distance = incident, comparison.distance_m
        found.sort(key=lambda pair: -pair[1].score)
        return best, [(i, c) for i, c in found if i is not best]

    def candidates(
        self, report: Footprint, *, besides: Footprint | None = None
    ) -> list[tuple[Footprint, Comparison]]:
        """The incidents (other than ``besides``, the one the report joined) whose score
        with the report reaches ``propose_at``: each may be the same event, for an analyst
        to confirm; best first."""
        if not correlates(report.precision) or self._sources <= report.sources:
            return []
        propose_at = self.settings.thresholds.propose_at
        found: list[tuple[Footprint, Comparison]] = []
        for incident in self.neighbours(report):
            if incident is besides:
                continue
            comparison = scored(incident, report, self.settings)
            if comparison is not None and comparison.score >= propose_at:
                found.append((incident, comparison))
        found.sort(key=lambda pair: -pair[1].score)
        return found

    def join(self, incident: Footprint, report: Footprint) -> None:
        """Record that ``report`` joined ``incident``: its source, time and resolved actors
        now count (a stored incident's actors are those of all its reports)."""
        incident.sources |= report.sources
        incident.actor_ids = incident.actor_ids | report.actor_ids
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
