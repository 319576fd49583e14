"""Correlation of a whole batch of reports at once, with numpy.

The same comparison as ``domain.comparisons`` (its formula, written over arrays), for a
batch held as columns (``Batch``): pairs are found through a sorted key of (day cell,
latitude row, longitude), one ``searchsorted`` per neighbouring cell, so a million
reports cost a sort and a few searches, not a Python loop per report. Rows of latitude
are as high as the widest tolerance everywhere, and each report looks as far east and
west as its tolerance reaches at the poleward edge of that reach, so every pair within both
tolerances is found at any longitude (but across the antimeridian). The sorted batch is
scored 60 day cells at a time (``WINDOW_CELLS``), so the arrays of a window stay in the
processor's caches; a window looks its pairs up from its own reports. Every pair whose
score reaches ``join_at`` links its two reports; the linked reports are grouped into
incidents, and a group that would hold two reports of one source (a source never reports
one event twice) is taken apart and rebuilt from its links, best first
(``domain.groups``). With numba installed, ``domain.layout_kernels`` lays the batch out
(the same keys, sorted by cell in radix passes) and ``domain.kernels`` finds and scores
the pairs, in one compiled pass that keeps only the links: the same groups, faster.

``group_batch`` returns an incident label per report (the smallest index in its group).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ceasefire.domain import kernels, layouts
from ceasefire.domain.comparisons import (
    COARSE_RADIUS_M,
    CONTRADICTION,
    EARTH_RADIUS_M,
    FIGHTING,
    HOSTILITIES,
    RADIUS_CAP_M,
    WEIGHTS,
)
from ceasefire.domain.correlation import CorrelationSettings, Footprint, correlates
from ceasefire.domain.groups import group_links
from ceasefire.domain.kernels import Bools, Floats, Ints

_METRES_PER_DEGREE = EARTH_RADIUS_M * np.pi / 180  # on the sphere the distances use
_POLAR = 89.0  # nearer a pole, the flat map may stretch a pair by more than 1 %: score them all
_DAY_S = 86_400.0


@dataclass(frozen=True, slots=True)
class Batch:
    """n reports as columns. Codes: ``source`` and ``scope`` any integers (equal: the
    same); ``event_type``/``sub_event_type`` integers, -1 for none, with ``hostile`` true
    for a type of hostilities and ``fighting`` for one of ``comparisons.FIGHTING``;
    ``actors`` an n x k matrix of distinct actor codes, -1 padded."""

    lon: Floats
    lat: Floats
    radius_m: Floats
    start: Floats
    end: Floats
    correlatable: Bools
    source: Ints
    scope: Ints
    event_type: Ints
    sub_event_type: Ints
    hostile: Bools
    fighting: Bools
    actors: Ints

    def __len__(self) -> int:
        return len(self.lon)


def _codes(values: Sequence[object]) -> tuple[Ints, dict[object, int]]:
    table: dict[object, int] = {}
    codes = np.fromiter((table.setdefault(v, len(table)) for v in values), np.int64, len(values))
    return codes, table


def batch_of(footprints: Sequence[Footprint]) -> Batch:
    """A batch from footprints (each of one source), for tests and small batches."""
    n = len(footprints)
    source, _ = _codes([min(f.sources) if f.sources else "" for f in footprints])
    scope, _ = _codes([f.scope for f in footprints])
    names: dict[str, int] = {}
    types = np.array([names.setdefault(f.event_type, len(names)) if f.event_type else -1
                      for f in footprints], dtype=np.int64)  # fmt: skip
    subs = np.array(
        [names.setdefault(f"{f.event_type}/{f.sub_event_type}", len(names))
         if f.sub_event_type else -1 for f in footprints],
        dtype=np.int64,
    )  # fmt: skip
    width = max((len(f.actor_ids) for f in footprints), default=0) or 1
    actors = np.full((n, width), -1, dtype=np.int64)
    actor_codes: dict[str, int] = {}
    for i, f in enumerate(footprints):
        for k, a in enumerate(sorted(f.actor_ids)):
            actors[i, k] = actor_codes.setdefault(a, len(actor_codes))
    return Batch(
        lon=np.array([f.lon for f in footprints], dtype=np.float64),
        lat=np.array([f.lat for f in footprints], dtype=np.float64),
        radius_m=np.array([f.radius_m for f in footprints], dtype=np.float64),
        start=np.array([f.start for f in footprints], dtype=np.float64),
        end=np.array([f.end for f in footprints], dtype=np.float64),
        correlatable=np.array([correlates(f.precision) for f in footprints], dtype=bool),
        source=source,
        scope=scope,
        event_type=types,
        sub_event_type=subs,
        hostile=np.array([f.event_type in HOSTILITIES for f in footprints], dtype=bool),
        fighting=np.array([f.event_type in FIGHTING for f in footprints], dtype=bool),
        actors=actors,
    )


def _pairs(
    layout: layouts.Layout, start: int = 0, stop: int | None = None, own: int | None = None
) -> tuple[Ints, Ints]:
    """Positions (a, b) in key order of every pair in neighbouring cells, each once: looked
    up from the earlier day cell, else the western column, else the first in key order.
    Only among the positions ``start:stop``, and looked up from the first ``own`` of them."""
    key = layout.key[start:stop]
    own = len(key) if own is None else own
    mine, reach = key[:own], layout.reach[start : start + own]
    firsts: list[Ints] = []
    seconds: list[Ints] = []
    for dt in range(layout.days + 1):
        for dc in (-1, 0, 1):
            if dt == 0 and dc < 0:
                continue  # found from the other side
            shift = dt * layout.day_step + dc * layout.row_step
            if shift == 0:  # the same cell: those after each in key order
                low = np.arange(1, own + 1)
            else:
                low = np.searchsorted(key, mine + (shift - reach), side="left")
            high = np.searchsorted(key, mine + (shift + reach), side="right")
            counts = np.maximum(high - low, 0)
            total = int(counts.sum())
            if total == 0:
                continue
            firsts.append(np.repeat(np.arange(start, start + own), counts))
            seconds.append(
                np.arange(total) + np.repeat(start + low - (np.cumsum(counts) - counts), counts)
            )
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def _take(batch: Batch, order: Ints) -> Batch:
    return Batch(*(getattr(batch, f)[order] for f in Batch.__slots__))


def candidate_pairs(batch: Batch, settings: CorrelationSettings) -> tuple[Ints, Ints]:
    """Every pair (i, j) of reports, each once, that may lie within both tolerances (same
    or neighbouring day cell and longitude cell, latitudes within the widest tolerance)."""
    layout = layouts.layout(batch, settings, compiled=False)
    a, b = _pairs(layout)
    return layout.order[a], layout.order[b]


def _near(batch: Batch, i: Ints, j: Ints, settings: CorrelationSettings) -> tuple[Ints, Ints]:
    """The pairs of other sources, of one scope, within the time tolerance and, measured
    on a flat map (a little generously), within the distance tolerance."""
    gap = np.maximum(batch.start[i] - batch.end[j], batch.start[j] - batch.end[i])
    keep = (
        (gap < settings.max_gap.total_seconds())
        & (batch.source[i] != batch.source[j])
        & (batch.scope[i] == batch.scope[j])
    )
    i, j = i[keep], j[keep]
    lat_i, lat_j = batch.lat[i], batch.lat[j]
    dy = (lat_i - lat_j) * _METRES_PER_DEGREE
    # the shorter of the two parallels: never longer than the great circle, but near a pole
    poleward = np.maximum(np.abs(lat_i), np.abs(lat_j))
    dx = (batch.lon[i] - batch.lon[j]) * _METRES_PER_DEGREE * np.cos(np.radians(poleward))
    reach = settings.max_distance_m + 0.5 * (
        np.minimum(batch.radius_m[i], RADIUS_CAP_M) + np.minimum(batch.radius_m[j], RADIUS_CAP_M)
    )
    keep = (dx * dx + dy * dy <= (reach * 1.01 + 100.0) ** 2) | (poleward > _POLAR)
    return i[keep], j[keep]


def score_pairs(
    batch: Batch, i: Ints, j: Ints, settings: CorrelationSettings
) -> tuple[Floats, Floats]:
    """The score of each pair (NaN where it may not be scored: a source or scope differs,
    beyond either tolerance), and its distance in metres."""
    gap_s = settings.max_gap.total_seconds()
    start_i, end_i, start_j, end_j = batch.start[i], batch.end[i], batch.start[j], batch.end[j]
    gap = np.maximum(np.maximum(start_i - end_j, start_j - end_i), 0.0)
    radius_i, radius_j = batch.radius_m[i], batch.radius_m[j]
    tolerance = settings.max_distance_m + 0.5 * (
        np.minimum(radius_i, RADIUS_CAP_M) + np.minimum(radius_j, RADIUS_CAP_M)
    )
    lat = np.radians(batch.lat)  # once a report, not once a pair
    cos, lon = np.cos(lat), np.radians(batch.lon)
    h = (
        np.sin((lat[j] - lat[i]) * 0.5) ** 2
        + cos[i] * cos[j] * np.sin((lon[j] - lon[i]) * 0.5) ** 2
    )
    d = (2 * EARTH_RADIUS_M) * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    coarse = np.maximum(radius_i, radius_j) > COARSE_RADIUS_M
    place = (1.0 - (d / tolerance) ** 2) * (1.0 - 0.5 * coarse)
    wide = np.maximum(end_i - start_i, end_j - start_j) > _DAY_S
    time = (1.0 - (gap / gap_s) ** 2) * (1.0 - 0.2 * wide)
    total = WEIGHTS["place"] * place + WEIGHTS["time"] * time
    weight = np.full(len(i), WEIGHTS["place"] + WEIGHTS["time"])
    factor = np.ones(len(i))
    for part, value in (("kind", _kind(batch, i, j)), ("actors", _actors(batch, i, j))):
        known = value == value  # not NaN
        total += WEIGHTS[part] * np.nan_to_num(value)
        weight += WEIGHTS[part] * known
        factor *= 1.0 - (1.0 - CONTRADICTION) * (value == 0.0)  # a flat contradiction
    allowed = (
        (batch.source[i] != batch.source[j])
        & (batch.scope[i] == batch.scope[j])
        & batch.correlatable[i]
        & batch.correlatable[j]
        & (gap < gap_s)
        & (d <= tolerance)
    )
    score = np.where(allowed, total / weight * factor, np.nan)
    return score, d


def _kind(batch: Batch, i: Ints, j: Ints) -> Floats:
    ta, tb = batch.event_type[i], batch.event_type[j]
    sa, sb = batch.sub_event_type[i], batch.sub_event_type[j]
    kind = np.zeros(len(i))
    kind[batch.hostile[i] & batch.hostile[j]] = 0.4
    kind[batch.fighting[i] & batch.fighting[j]] = 0.7  # a clash told as shelling
    same = ta == tb
    kind[same] = np.where((sa[same] < 0) | (sb[same] < 0), 0.9, 0.7)
    kind[same & (sa == sb)] = 1.0
    kind[(ta < 0) | (tb < 0)] = np.nan
    return kind


def _actors(batch: Batch, i: Ints, j: Ints) -> Floats:
    size_i = np.zeros(len(i), dtype=np.int64)
    size_j = np.zeros(len(i), dtype=np.int64)
    common = np.zeros(len(i), dtype=np.int64)
    columns = [batch.actors[:, k] for k in range(batch.actors.shape[1])]
    theirs = [column[j] for column in columns]
    for column in columns:
        mine = column[i]
        named = mine >= 0
        size_i += named
        for other in theirs:
            common += named & (mine == other)  # a row names each actor once
    for other in theirs:
        size_j += other >= 0
    smaller = np.minimum(size_i, size_j)
    return np.where(smaller > 0, common / np.maximum(smaller, 1), np.nan)


WINDOW_CELLS = 60  # day cells correlated at a time: their arrays stay in the CPU's caches


def _slice(batch: Batch, start: int, stop: int) -> Batch:
    return Batch(*(getattr(batch, f)[start:stop] for f in Batch.__slots__))


def _links(
    layout: layouts.Layout, held: Batch, settings: CorrelationSettings, window: int
) -> tuple[Ints, Ints, Floats, Floats]:
    """Every pair of ``held`` (the batch in key order) scoring at least ``join_at``, with
    its score and distance: ``window`` day cells at a time, each window's pairs looked up
    from its own reports among those up to ``layout.days`` cells after it."""
    day = layout.key // layout.day_step  # key order is day order first
    parts: list[tuple[Ints, Ints, Floats, Floats]] = []
    for first in range(0, int(day[-1]) + 1 if len(day) else 0, window):
        low, mid, high = np.searchsorted(day, [first, first + window, first + window + layout.days])
        if mid == low:
            continue
        i, j = _pairs(layout, int(low), int(high), int(mid - low))
        part = _slice(held, int(low), int(high))
        i, j = _near(part, i - low, j - low, settings)
        score, distance = score_pairs(part, i, j, settings)
        linked = score >= settings.thresholds.join_at  # NaN compares false
        parts.append((i[linked] + low, j[linked] + low, score[linked], distance[linked]))
    if not parts:
        none = np.zeros(0, dtype=np.int64)
        return none, none, none.astype(np.float64), none.astype(np.float64)
    i, j, score, distance = (np.concatenate(column) for column in zip(*parts, strict=True))
    return i, j, score, distance


def _compiled_links(
    layout: layouts.Layout, batch: Batch, settings: CorrelationSettings
) -> tuple[tuple[Ints, Ints, Floats, Floats], Ints]:
    """``_links`` by the compiled kernel (``domain.kernels``), all at once, and the source of
    each report in key order."""
    columns = (batch.lat, batch.lon, batch.radius_m, batch.start, batch.end)
    kinds = (batch.event_type, batch.sub_event_type, batch.hostile, batch.fighting)
    floats, codes = kernels.tables(layout.order, columns, batch.source, batch.scope, kinds,
                                   np.ascontiguousarray(batch.actors))  # fmt: skip
    limits = (settings.max_distance_m, settings.max_gap.total_seconds(),
              settings.thresholds.join_at)  # fmt: skip
    steps = (layout.day_step, layout.row_step)
    found = kernels.links(layout.key, layout.reach, layout.span, steps, floats, codes, limits)
    return found, codes[:, kernels.SOURCE]


def group_batch(
    batch: Batch,
    settings: CorrelationSettings,
    *,
    window: int = WINDOW_CELLS,
    compiled: bool = kernels.AVAILABLE,
) -> Ints:
    """An incident label for each report of the batch (the index of one of its reports,
    the same for every report of one incident). ``compiled``: by ``domain.kernels``
    (numba), the default when it is installed; else ``window`` day cells at a time in
    numpy. Both give the same groups."""
    layout = layouts.layout(batch, settings, compiled=compiled)
    if compiled:
        (i, j, score, distance), source = _compiled_links(layout, batch, settings)
    else:
        held = _take(batch, layout.order)  # in key order: a pair's reports lie close in memory
        i, j, score, distance = _links(layout, held, settings, window)
        source = held.source
    labels = group_links(len(layout.order), (i, j, score, distance), source, compiled=compiled)
    found = np.arange(len(batch), dtype=np.int64)
    found[layout.order] = layout.order[labels]
    return found
