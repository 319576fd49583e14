"""Where and when the stored incidents a batch of reports could join may lie: a few windows
of space and time around the reports, not one box around them all.

Reports filed together in one write may lie a country and months apart, and one box
around them all then holds nearly every stored incident: around eight reports spread over
4 by 2.5 degrees and six months, in a database of 25,000 incidents, one box held 20,269 of
them (16.5 ms on SQLite to read those of other sources, under the log's lock every other
write waits for) and eight windows of their own 253 (0.5 ms). The reports are put in
cells of a grid (twice the reach a side, a week long), each cell's reports give one
window, and the grid is coarsened until there are at most ``most`` windows, so that one
statement of bounded size reads them all; a dense batch (an import's chunk, sorted by
time) needs only a few. A window reaches as far from its reports as correlation looks
(``correlation.degrees_within``): east and west by the length of a degree of longitude at
its poleward edge, not by twice the distance in degrees of latitude, as it once did (a
window three times as large as needed at the latitude of Syria).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ceasefire.domain.correlation import degrees_within
from ceasefire.domain.filters import BBox

MOST = 16  # windows a batch reads at most
_WEEK = 7 * 86400.0


@dataclass(frozen=True, slots=True)
class Spot:
    """A report's place and time span."""

    lon: float
    lat: float
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Window:
    bbox: BBox
    start: datetime
    end: datetime


def windows(
    spots: Sequence[Spot], reach_m: float, gap: timedelta, most: int = MOST
) -> list[Window]:
    """Windows that hold every point within ``reach_m`` metres and ``gap`` of a spot where
    the correlator looks for one (not across the antimeridian; within about 0.6 degrees of
    a pole, only as far east and west as its own reach, ``degrees_within``), at most
    ``most`` of them (none for no spots)."""
    if most < 1:
        raise ValueError(f"most must be at least 1, not {most}")
    if not spots:
        return []
    cell, span = max(2 * degrees_within(reach_m, 0.0)[0], 1e-6), _WEEK
    first = min(s.start for s in spots).timestamp()
    while True:  # from the grid's corner: one cell holds everything once it is big enough
        cells: dict[tuple[int, int, int], list[Spot]] = {}
        for s in spots:
            key = (
                math.floor((s.lon + 180) / cell),
                math.floor((s.lat + 90) / cell),
                math.floor((s.start.timestamp() - first) / span),
            )
            cells.setdefault(key, []).append(s)
        if len(cells) <= most:
            return [_around(group, reach_m, gap) for group in cells.values()]
        cell, span = cell * 2, span * 2


def _around(spots: list[Spot], reach_m: float, gap: timedelta) -> Window:
    north, east = degrees_within(reach_m, max(abs(s.lat) for s in spots))
    box = BBox(
        max(-180.0, min(s.lon for s in spots) - east),
        max(-90.0, min(s.lat for s in spots) - north),
        min(180.0, max(s.lon for s in spots) + east),
        min(90.0, max(s.lat for s in spots) + north),
    )
    return Window(box, min(s.start for s in spots) - gap, max(s.end for s in spots) + gap)
