"""Correlation of a whole batch of reports at once, with numpy.

The same comparison as ``domain.comparisons`` (its formula, written over arrays), for a
batch held as columns (``Batch``): pairs are found through a sorted key of (day cell,
longitude cell, latitude), one ``searchsorted`` per neighbouring cell, so a million
reports cost a few sorts and searches, not a Python loop per report. Every pair whose
score reaches ``join_at`` links its two reports; the linked reports are grouped into
incidents, and a group that would hold two reports of one source (a source never reports
one event twice) is taken apart and rebuilt link by link, best score first, as the
one-at-a-time ``Correlator`` would join them.

``group_batch`` returns an incident label per report (the smallest index in its group).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.domain.comparisons import (
    COARSE_RADIUS_M,
    CONTRADICTION,
    EARTH_RADIUS_M,
    HOSTILITIES,
    RADIUS_CAP_M,
    WEIGHTS,
)
from ceasefire.domain.correlation import _CORRELATABLE, CorrelationSettings, Footprint

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

_METRES_PER_DEGREE = 111_320.0
_DAY_S = 86_400.0


@dataclass(frozen=True, slots=True)
class Batch:
    """n reports as columns. Codes: ``source`` and ``scope`` any integers (equal: the
    same); ``event_type``/``sub_event_type`` integers, -1 for none, with ``hostile`` true
    for a type of hostilities; ``actors`` an n x k matrix of distinct actor codes, -1
    padded."""

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
        correlatable=np.array([f.precision in _CORRELATABLE for f in footprints], dtype=bool),
        source=source,
        scope=scope,
        event_type=types,
        sub_event_type=subs,
        hostile=np.array([f.event_type in HOSTILITIES for f in footprints], dtype=bool),
        actors=actors,
    )


@dataclass(frozen=True, slots=True)
class _Layout:
    order: Ints  # the correlatable reports, by key
    key: Ints  # their keys, sorted: (day cell, longitude cell) then latitude in 1e-5 degrees
    day_step: int  # what one day cell adds to a key
    col_step: int  # what one longitude cell adds
    reach: Ints  # how far each looks, in latitude units: the widest tolerance it can have
    days: int  # how many day cells ahead a pair may lie


def _layout(batch: Batch, settings: CorrelationSettings) -> _Layout:
    gap_s = settings.max_gap.total_seconds()
    keep = np.flatnonzero(batch.correlatable)
    lat = batch.lat[keep]
    radius = np.minimum(batch.radius_m[keep], RADIUS_CAP_M)
    reach = settings.max_distance_m + 0.5 * (radius + radius.max(initial=0.0))
    widest = float(reach.max(initial=settings.max_distance_m)) / _METRES_PER_DEGREE
    day = np.floor(batch.start[keep] / gap_s).astype(np.int64)
    col = np.floor(batch.lon[keep] * np.maximum(np.cos(np.radians(lat)), 0.01) / widest)
    col = col.astype(np.int64)
    # a report pairs with those starting before its window's end plus the time tolerance
    span = np.ceil(batch.end[keep] / gap_s).astype(np.int64) - day
    column = 181 * 10**5
    day_unit = (int(col.max(initial=0) - col.min(initial=0)) + 3) * column
    key = (day - day.min(initial=0)) * day_unit + (col - col.min(initial=0) + 1) * column
    key += np.round((lat + 90.0) * 1e5).astype(np.int64)  # 1e-5 degree, about 1 m
    order = np.argsort(key, kind="stable")
    units = np.ceil(reach[order] / _METRES_PER_DEGREE * 1e5).astype(np.int64) + 1
    return _Layout(keep[order], key[order], day_unit, column, units, int(span.max(initial=0)))


def _pairs(layout: _Layout) -> tuple[Ints, Ints]:
    """Positions (a, b) in key order of every pair in neighbouring cells, each once: looked
    up from the earlier day cell, else the western column, else the first in key order."""
    key, n = layout.key, len(layout.key)
    firsts: list[Ints] = []
    seconds: list[Ints] = []
    for dt in range(layout.days + 1):
        for dc in (-1, 0, 1):
            if dt == 0 and dc < 0:
                continue  # found from the other side
            shift = dt * layout.day_step + dc * layout.col_step
            if shift == 0:  # the same cell: those after each in key order
                low = np.arange(1, n + 1)
            else:
                low = np.searchsorted(key, key + (shift - layout.reach), side="left")
            high = np.searchsorted(key, key + (shift + layout.reach), side="right")
            counts = np.maximum(high - low, 0)
            total = int(counts.sum())
            if total == 0:
                continue
            a = np.repeat(np.arange(n), counts)
            b = np.arange(total) + np.repeat(low - (np.cumsum(counts) - counts), counts)
            firsts.append(a)
            seconds.append(b)
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def _take(batch: Batch, order: Ints) -> Batch:
    return Batch(*(getattr(batch, f)[order] for f in Batch.__slots__))


def candidate_pairs(batch: Batch, settings: CorrelationSettings) -> tuple[Ints, Ints]:
    """Every pair (i, j) of reports, each once, that may lie within both tolerances (same
    or neighbouring day cell and longitude cell, latitudes within the widest tolerance)."""
    layout = _layout(batch, settings)
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
    dy = (batch.lat[i] - batch.lat[j]) * _METRES_PER_DEGREE
    dx = (batch.lon[i] - batch.lon[j]) * _METRES_PER_DEGREE * np.cos(np.radians(batch.lat[i]))
    reach = settings.max_distance_m + 0.5 * (
        np.minimum(batch.radius_m[i], RADIUS_CAP_M) + np.minimum(batch.radius_m[j], RADIUS_CAP_M)
    )
    keep = dx * dx + dy * dy <= (reach * 1.01 + 100.0) ** 2
    return i[keep], j[keep]


def score_pairs(
    batch: Batch, i: Ints, j: Ints, settings: CorrelationSettings
) -> tuple[Floats, Floats]:
    """The score of each pair (NaN where it may not be scored: a source or scope differs,
    beyond either tolerance), and its distance in metres."""
    gap_s = settings.max_gap.total_seconds()
    gap = np.maximum(np.maximum(batch.start[i] - batch.end[j], batch.start[j] - batch.end[i]), 0.0)
    ra = np.minimum(batch.radius_m[i], RADIUS_CAP_M)
    rb = np.minimum(batch.radius_m[j], RADIUS_CAP_M)
    tolerance = settings.max_distance_m + 0.5 * (ra + rb)
    p1, p2 = np.radians(batch.lat[i]), np.radians(batch.lat[j])
    dl = np.radians(batch.lon[j] - batch.lon[i])
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    d = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    place = 1.0 - (d / tolerance) ** 2
    place = np.where(np.maximum(batch.radius_m[i], batch.radius_m[j]) > COARSE_RADIUS_M,
                     place * 0.5, place)  # fmt: skip
    time = 1.0 - (gap / gap_s) ** 2
    wide = np.maximum(batch.end[i] - batch.start[i], batch.end[j] - batch.start[j]) > _DAY_S
    time = np.where(wide, time * 0.8, time)
    total = WEIGHTS["place"] * place + WEIGHTS["time"] * time
    weight = np.full(len(i), WEIGHTS["place"] + WEIGHTS["time"])
    kind = _kind(batch, i, j)
    known = ~np.isnan(kind)
    total += np.where(known, WEIGHTS["kind"] * np.nan_to_num(kind), 0.0)
    weight += np.where(known, WEIGHTS["kind"], 0.0)
    actors = _actors(batch, i, j)
    known = ~np.isnan(actors)
    total += np.where(known, WEIGHTS["actors"] * np.nan_to_num(actors), 0.0)
    weight += np.where(known, WEIGHTS["actors"], 0.0)
    score = total / weight
    score = np.where(kind == 0.0, score * CONTRADICTION, score)
    score = np.where(actors == 0.0, score * CONTRADICTION, score)
    allowed = (
        (batch.source[i] != batch.source[j])
        & (batch.scope[i] == batch.scope[j])
        & batch.correlatable[i]
        & batch.correlatable[j]
        & (gap < gap_s)
        & (d <= tolerance)
    )
    return np.where(allowed, score, np.nan), d


def _kind(batch: Batch, i: Ints, j: Ints) -> Floats:
    ta, tb = batch.event_type[i], batch.event_type[j]
    sa, sb = batch.sub_event_type[i], batch.sub_event_type[j]
    one_sub_missing = (sa < 0) | (sb < 0)
    same_type = np.where(
        one_sub_missing, np.where(sa == sb, 1.0, 0.9), np.where(sa == sb, 1.0, 0.7)
    )
    other_type = np.where(batch.hostile[i] & batch.hostile[j], 0.4, 0.0)
    kind = np.where(ta == tb, same_type, other_type)
    return np.where((ta < 0) | (tb < 0), np.nan, kind)


def _actors(batch: Batch, i: Ints, j: Ints) -> Floats:
    a, b = batch.actors[i], batch.actors[j]
    size_a = (a >= 0).sum(axis=1)
    size_b = (b >= 0).sum(axis=1)
    common = np.zeros(len(i), dtype=np.int64)
    for k in range(a.shape[1]):
        column = a[:, k : k + 1]
        common += ((b == column) & (column >= 0)).any(axis=1)
    smaller = np.minimum(size_a, size_b)
    return np.where(smaller > 0, common / np.maximum(smaller, 1), np.nan)


def _components(n: int, i: Ints, j: Ints) -> Ints:
    """Connected components of the links (i, j): each node's label is its smallest node."""
    labels = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(labels[i], labels[j])
        before = labels.copy()
        np.minimum.at(labels, i, low)
        np.minimum.at(labels, j, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels


def _rebuild(members: Sequence[int], links: list[tuple[float, float, int, int]],
             source: Ints) -> dict[int, int]:  # fmt: skip
    """Join one group link by link, best score (then nearest) first, never putting two
    reports of one source together."""
    group = {m: m for m in members}
    sources = {m: {int(source[m])} for m in members}

    def find(x: int) -> int:
        while group[x] != x:
            group[x] = group[group[x]]
            x = group[x]
        return x

    for _, _, a, b in sorted(links):
        ra, rb = find(a), find(b)
        if ra != rb and not sources[ra] & sources[rb]:
            keep, gone = min(ra, rb), max(ra, rb)
            group[gone] = keep
            sources[keep] |= sources.pop(gone)
    return {m: find(m) for m in members}


def group_batch(batch: Batch, settings: CorrelationSettings) -> Ints:
    """An incident label for each report of the batch (the index of one of its reports,
    the same for every report of one incident)."""
    layout = _layout(batch, settings)
    held = _take(batch, layout.order)  # in key order: a pair's two reports lie close in memory
    i, j = _pairs(layout)
    i, j = _near(held, i, j, settings)
    score, distance = score_pairs(held, i, j, settings)
    linked = score >= settings.thresholds.join_at  # NaN compares false
    i, j, score, distance = i[linked], j[linked], score[linked], distance[linked]
    labels = _components(len(held), i, j)
    sizes = np.bincount(labels, minlength=len(held))
    masks = np.zeros(len(held), dtype=np.uint64)
    np.bitwise_or.at(
        masks, labels, np.left_shift(np.uint64(1), (held.source % 64).astype(np.uint64))
    )
    conflicted = np.flatnonzero(sizes > np.bitwise_count(masks))  # a source twice in a group
    if len(conflicted):
        bad = np.isin(labels[i], conflicted)
        links: dict[int, list[tuple[float, float, int, int]]] = {}
        for s, d, a, b in zip(score[bad], distance[bad], i[bad], j[bad], strict=True):
            links.setdefault(int(labels[a]), []).append((-float(s), float(d), int(a), int(b)))
        members_of: dict[int, list[int]] = {}
        for node in np.flatnonzero(np.isin(labels, conflicted)):
            members_of.setdefault(int(labels[node]), []).append(int(node))
        for label, members in members_of.items():
            rebuilt = _rebuild(members, links.get(label, []), held.source)
            labels[list(rebuilt)] = list(rebuilt.values())
    found = np.arange(len(batch), dtype=np.int64)
    found[layout.order] = layout.order[labels]
    return found
