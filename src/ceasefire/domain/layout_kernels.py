"""The layout of a batch (``layouts.layout``) computed by numba when it is installed
(``domain.kernels``): each correlatable report's key (day cell, latitude row, longitude),
how far it looks east and west and how many day cells ahead, then the keys sorted by cell
in radix passes and within each cell. The numbers are those of the numpy layout, reached
by the same operations in the same order (a test compares them), in a few passes instead
of a sort and some twenty whole-array operations."""

from __future__ import annotations

import math

import numpy as np

from ceasefire.domain.kernels import Floats, Ints, compiled

_DIGIT = 11  # bits of a cell number sorted in one pass: 2,048 counters stay in the caches


def _radix(key: Ints, cell: Ints, cells: int) -> tuple[Ints, Ints, Ints]:
    """The positions, keys and cells (each in ``range(cells)``) stably sorted by cell: a
    pass for each ``_DIGIT`` bits of the cell number, least first."""
    n = len(key)
    order, held, at = np.arange(n), key.copy(), cell.copy()
    spare = (np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64))
    spare_order, spare_key, spare_cell = spare
    mask = (1 << _DIGIT) - 1
    shift = 0
    while (cells - 1) >> shift:
        count = np.zeros(mask + 2, dtype=np.int64)
        for x in range(n):
            count[((at[x] >> shift) & mask) + 1] += 1
        for d in range(mask + 1):
            count[d + 1] += count[d]
        for x in range(n):
            d = (at[x] >> shift) & mask
            y = count[d]
            spare_order[y], spare_key[y], spare_cell[y] = order[x], held[x], at[x]
            count[d] = y + 1
        order, spare_order, held, spare_key = spare_order, order, spare_key, held
        at, spare_cell = spare_cell, at
        shift += _DIGIT
    return order, held, at


_radix_c = compiled(_radix)


def _sort_cells(key: Ints, cell: Ints, cells: int) -> tuple[Ints, Ints]:
    """``np.argsort(key, kind="stable")`` and the sorted keys, when the keys of one cell
    (``cell``, in ``range(cells)``) are all below those of the next: by cell (``_radix``),
    then within each cell (a few reports: by insertion; many: a merge sort)."""
    order, held, at = _radix_c(key, cell, cells)
    first = 0
    for stop in range(1, len(key) + 1):
        if stop < len(key) and at[stop] == at[first]:
            continue
        if stop - first > 32:
            part = np.argsort(held[first:stop], kind="mergesort")
            order[first:stop], held[first:stop] = order[first:stop][part], held[first:stop][part]
        else:
            for x in range(first + 1, stop):
                o, k = order[x], held[x]
                y = x
                while y > first and held[y - 1] > k:
                    order[y], held[y] = order[y - 1], held[y - 1]
                    y -= 1
                order[y], held[y] = o, k
        first = stop
    return order, held


_sort_cells_c = compiled(_sort_cells)


def sort_keys(key: Ints, cell: Ints, cells: int) -> tuple[Ints, Ints]:
    """``np.argsort(key, kind="stable")`` and the keys in that order, when the keys of one
    cell (``cell``, in ``range(cells)``) are all below those of the next: in a few passes,
    unless there are many more cells than keys."""
    if cells > 4 * len(key) + 4096:
        order = np.argsort(key, kind="stable")
        return order, key[order]
    found: tuple[Ints, Ints] = _sort_cells_c(key, cell, cells)
    return found


def _extent(keep: Ints, start: Floats, lat: Floats, gap_s: float,
            height: float) -> tuple[int, int, int, int]:  # fmt: skip
    """The first and last day cell and latitude row of the reports ``keep``."""
    days = (1 << 62, -(1 << 62))
    rows = (1 << 62, -(1 << 62))
    low_day, high_day = days
    low_row, high_row = rows
    for o in keep:
        day = math.floor(start[o] / gap_s)
        row = math.floor((lat[o] + 90.0) / height)
        low_day, high_day = min(low_day, day), max(high_day, day)
        low_row, high_row = min(low_row, row), max(high_row, row)
    return low_day, high_day, low_row, high_row


_extent_c = compiled(_extent)


def _keys(keep: Ints, columns: tuple[Floats, Floats, Floats, Floats, Floats],
          shape: tuple[float, float, float, float, float], first: tuple[int, int, int, int],
          per_metre: Floats, units: tuple[int, int],
          ) -> tuple[Ints, Ints, Ints, Ints]:  # fmt: skip
    """Each report's key, cell, span (day cells ahead) and reach (key units east and west):
    ``layouts.layout``'s formulas, one report at a time."""
    lat, lon, start, end, radius = columns
    gap_s, height, max_distance, radius_max, cap = shape
    first_day, low_day, first_row, rows = first
    degree, half_turn = units
    column = 360 * degree + 2 * half_turn + 1
    n = len(keep)
    key, cell = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    span, reach = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    for k in range(n):
        o = keep[k]
        day = math.floor(start[o] / gap_s)
        row = math.floor((lat[o] + 90.0) / height)
        cell[k] = (day - low_day) * (rows + 3) + row - first_row + 1  # from 0
        key[k] = (cell[k] + (low_day - first_day) * (rows + 3)) * column + half_turn
        key[k] += int(np.round((lon[o] + 180.0) * degree))
        span[k] = math.ceil(end[o] / gap_s) - day
        metres = max_distance + 0.5 * (min(radius[o], cap) + radius_max)
        reach[k] = min(math.ceil(metres * per_metre[row - first_row]) + 2, half_turn)
    return key, cell, span, reach


_keys_c = compiled(_keys)


def _gather(order: Ints, keep: Ints, span: Ints, reach: Ints) -> tuple[Ints, Ints, Ints]:
    n = len(order)
    kept, spans, reaches = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    for p in range(n):
        o = order[p]
        kept[p], spans[p], reaches[p] = keep[o], span[o], reach[o]
    return kept, spans, reaches


_gather_c = compiled(_gather)


def extent(keep: Ints, start: Floats, lat: Floats, gap_s: float,
           height: float) -> tuple[int, int, int, int]:  # fmt: skip
    """The first and last day cell (``gap_s`` long) and latitude row (``height`` degrees
    high) of the reports ``keep`` (at least one)."""
    found: tuple[int, int, int, int] = _extent_c(keep, start, lat, gap_s, height)
    return found


def arrange(keep: Ints, columns: tuple[Floats, Floats, Floats, Floats, Floats],
            shape: tuple[float, float, float, float, float], first: tuple[int, int, int, int],
            per_metre: Floats, units: tuple[int, int],
            ) -> tuple[Ints, Ints, Ints, Ints]:  # fmt: skip
    """The reports ``keep`` in key order, their keys, spans and reaches, as
    ``layouts.layout`` lays them out. ``columns``: latitude, longitude, start, end and
    location radius of every report; ``shape``: the time tolerance, the rows' height, the
    distance tolerance, the largest radius counted and the cap on one; ``first``: the day
    cell keys count from, the first day cell of a report, the first row and the rows'
    range; ``per_metre``: key units a metre, by row; ``units``: key units a degree and the
    most any report looks east or west."""
    key, cell, span, reach = _keys_c(keep, columns, shape, first, per_metre, units)
    order, key = sort_keys(key, cell, int(cell.max()) + 1)
    kept, spans, reaches = _gather_c(order, keep, span, reach)
    return kept, key, spans, reaches
