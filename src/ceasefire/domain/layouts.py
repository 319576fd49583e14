"""How a batch (``domain.batches``) is laid out for correlation: each correlatable report
keyed by (day cell, latitude row, longitude) and the keys sorted, so that a report's pairs
lie in a few ranges of keys; how far east and west each looks, and how many day cells
ahead. In numpy, or by ``domain.layout_kernels`` (numba): the same layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ceasefire.domain import layout_kernels
from ceasefire.domain.comparisons import EARTH_RADIUS_M, RADIUS_CAP_M
from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.kernels import Floats, Ints

if TYPE_CHECKING:
    from ceasefire.domain.batches import Batch


@dataclass(frozen=True, slots=True)
class Layout:
    order: Ints  # the correlatable reports, by key
    key: Ints  # their keys, sorted: (day cell, latitude row) then longitude in 1e-5 degrees
    day_step: int  # what one day cell adds to a key
    row_step: int  # what one latitude row adds
    reach: Ints  # how far each looks, in longitude units: the widest tolerance it can have
    days: int  # how many day cells ahead a pair may lie
    span: Ints  # how many day cells ahead a pair of each may lie


_UNITS = 10**5  # key units in a degree of longitude (about 1 m)
_HALF_TURN = 180 * _UNITS + 2  # the most any report looks east or west


def _per_metre(first: int, last: int, height: float, widest_m: float) -> Floats:
    """How far east and west (in key units a metre) a report in each row from ``first`` to
    ``last`` (rows ``height`` degrees high) may have to look: along the poleward edge of
    the rows around its own, where degrees of longitude are shortest, the widest tolerance
    ``widest_m`` spans an angle that a shorter one spans at most in proportion."""
    rows = np.arange(first, last + 1)
    edge = np.maximum(np.abs((rows - 1) * height - 90.0), np.abs((rows + 2) * height - 90.0))
    shortest = np.maximum(np.cos(np.radians(np.minimum(edge, 90.0))), 1e-12)
    ratio = np.minimum(np.sin(widest_m / (2 * EARTH_RADIUS_M)) / shortest, 1.0)
    per_metre: Floats = np.degrees(2 * np.arcsin(ratio)) * 1.001 * _UNITS / widest_m
    return per_metre


def _lon_reach(row: Ints, height: float, reach: Floats, widest_m: float) -> Ints:
    """How far east and west (in key units) a report in ``row`` can have a pair within
    ``reach`` metres (``_per_metre``)."""
    first = int(row.min(initial=0))
    per_metre = _per_metre(first, int(row.max(initial=0)), height, widest_m)
    units: Ints = np.ceil(reach * per_metre[row - first]).astype(np.int64) + 2
    return np.minimum(units, _HALF_TURN)


_COLUMN = 360 * _UNITS + 2 * _HALF_TURN + 1  # a row's keys, with room either side


def layout(batch: Batch, settings: CorrelationSettings, *, compiled: bool) -> Layout:
    """Reports keyed by day cell (``max_gap`` long), latitude row (as high as the widest
    tolerance: a pair lies in one row or two neighbouring ones) and longitude, so a
    report's pairs lie in a few ranges of keys. Rows of latitude, unlike columns of scaled
    longitude, have the same height everywhere. ``compiled``: by ``domain.layout_kernels``,
    the same layout."""
    gap_s = settings.max_gap.total_seconds()
    keep = np.flatnonzero(batch.correlatable)
    radius_max = float(np.minimum(batch.radius_m[keep], RADIUS_CAP_M).max(initial=0.0))
    widest = settings.max_distance_m + radius_max  # two reports of the widest radius
    height = float(np.degrees(widest / EARTH_RADIUS_M)) * 1.001
    if compiled and len(keep):
        return _compiled_layout(batch, settings, keep, (radius_max, widest, height))
    lat = batch.lat[keep]
    radius = np.minimum(batch.radius_m[keep], RADIUS_CAP_M)
    reach = settings.max_distance_m + 0.5 * (radius + radius_max)
    day = np.floor(batch.start[keep] / gap_s).astype(np.int64)
    row = np.floor((lat + 90.0) / height).astype(np.int64)
    # a report pairs with those starting before its window's end plus the time tolerance
    span = np.ceil(batch.end[keep] / gap_s).astype(np.int64) - day
    day_unit = (int(row.max(initial=0) - row.min(initial=0)) + 3) * _COLUMN
    key = (day - day.min(initial=0)) * day_unit + (row - row.min(initial=0) + 1) * _COLUMN
    key += _HALF_TURN + np.round((batch.lon[keep] + 180.0) * _UNITS).astype(np.int64)
    order = np.argsort(key, kind="stable")  # ties (one place, one cell) by index, as compiled
    units = _lon_reach(row, height, reach, widest)[order]
    days = int(span.max(initial=0))
    return Layout(keep[order], key[order], day_unit, _COLUMN, units, days, span[order])


def _compiled_layout(
    batch: Batch, settings: CorrelationSettings, keep: Ints, sizes: tuple[float, float, float]
) -> Layout:
    """``layout`` of the reports ``keep`` (at least one) by ``domain.layout_kernels``;
    ``sizes``: the largest radius counted, the widest tolerance, the rows' height."""
    radius_max, widest, height = sizes
    gap_s = settings.max_gap.total_seconds()
    low_day, _, low_row, high_row = layout_kernels.extent(keep, batch.start, batch.lat, gap_s,
                                                          height)  # fmt: skip
    first_day, first_row, last_row = min(low_day, 0), min(low_row, 0), max(high_row, 0)
    per_metre = _per_metre(first_row, last_row, height, widest)
    order, key, span, units = layout_kernels.arrange(
        keep, (batch.lat, batch.lon, batch.start, batch.end, batch.radius_m),
        (gap_s, height, settings.max_distance_m, radius_max, RADIUS_CAP_M),
        (first_day, low_day, first_row, last_row - first_row), per_metre, (_UNITS, _HALF_TURN),
    )  # fmt: skip
    day_unit = (last_row - first_row + 3) * _COLUMN
    return Layout(order, key, day_unit, _COLUMN, units, int(span.max()), span)
