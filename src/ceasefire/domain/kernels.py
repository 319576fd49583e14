"""The batch correlation of ``domain.batches`` compiled with numba, when it is installed.

``domain.batches`` finds, filters and scores a batch's pairs in whole-array numpy: every
candidate pair is materialised (about two million for a million reports), then gathered
and scored part by part. Here one pass over the reports in key order looks each one's
neighbours up in the sorted keys and scores them on the spot (the same formula as
``domain.comparisons.compare``), keeping only the pairs that reach ``join_at``; the links
are then grouped with a union-find. The groups are those of the numpy path (a test
compares them), several times faster (docs/benchmarks.md, "Correlation").

numba (and llvmlite, which it needs) is an optional dependency, the ``fast`` extra: it
adds about 210 MB to an installation of about 280 MB, for a path no service runs yet
(``record_reports`` correlates one report at a time). Without it ``AVAILABLE`` is false,
``domain.batches`` runs its numpy path, and these functions stay plain Python (slow, but
the same: the tests run them either way). The kernels are compiled on their first call
(a few seconds) and cached on disk by numba (in ``__pycache__`` beside this file, or
under ``NUMBA_CACHE_DIR``); a new process then loads them in a fraction of a second.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from importlib.util import find_spec
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.domain.comparisons import (
    COARSE_RADIUS_M,
    CONTRADICTION,
    EARTH_RADIUS_M,
    RADIUS_CAP_M,
    WEIGHTS,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

_DAY_S = 86_400.0
_WEIGHT_PLACE, _WEIGHT_TIME = WEIGHTS["place"], WEIGHTS["time"]
_WEIGHT_KIND, _WEIGHT_ACTORS = WEIGHTS["kind"], WEIGHTS["actors"]

AVAILABLE = find_spec("numba") is not None


def compiled(function: Callable[..., Any]) -> Callable[..., Any]:
    """The function compiled by numba (cached on disk after the first call), or as it is
    when numba is not installed (slow, but the same: small batches, tests)."""
    if not AVAILABLE:
        return function
    from numba import njit

    return njit(cache=True, nogil=True)(function)


# the columns of the two tables a batch is scored from, one row a report, in key order
LAT, LON, COS, RADIUS, START, END = range(6)  # floats: radians, the cosine of the latitude
SOURCE, SCOPE, TYPE, SUB_TYPE, HOSTILE, ACTORS = range(6)  # codes: ACTORS and after: actors
# HOSTILE: 2 for a type of fighting (comparisons.FIGHTING), else 1 for hostilities, else 0


def _kind(type_p: int, type_q: int, sub_p: int, sub_q: int, family: int) -> float:
    """``comparisons.kind_similarity`` of two reports' codes; -1 when either has no type.
    ``family``: 2 when both types are of fighting (``comparisons.FIGHTING``), else 1 when
    both are of hostilities, else 0."""
    if type_p < 0 or type_q < 0:
        return -1.0
    if type_p == type_q:
        if sub_p == sub_q:
            return 1.0
        return 0.9 if sub_p < 0 or sub_q < 0 else 0.7
    return 0.7 if family == 2 else 0.4 if family == 1 else 0.0


_kind_c = compiled(_kind)


def _actors(p: int, q: int, codes: Ints) -> float:
    """``comparisons.actor_agreement`` of two reports' actor codes (a row names each
    actor once, -1 padded); -1 when either names none."""
    named_p = named_q = common = 0
    for x in range(ACTORS, codes.shape[1]):
        if codes[q, x] >= 0:
            named_q += 1
        a = codes[p, x]
        if a >= 0:
            named_p += 1
            for y in range(ACTORS, codes.shape[1]):
                if codes[q, y] == a:
                    common += 1
    smaller = min(named_p, named_q)
    return common / smaller if smaller > 0 else -1.0


_actors_c = compiled(_actors)


def _score(p: int, q: int, floats: Floats, codes: Ints, max_distance: float,
           gap_s: float) -> tuple[float, float]:  # fmt: skip
    """The score of two reports and their distance, as ``batches.score_pairs`` gives them
    (a score of -1: they may not be scored, of one source or scope, beyond a tolerance)."""
    if codes[p, SOURCE] == codes[q, SOURCE] or codes[p, SCOPE] != codes[q, SCOPE]:
        return -1.0, 0.0
    gap = max(max(floats[p, START] - floats[q, END], floats[q, START] - floats[p, END]), 0.0)
    if gap >= gap_s:
        return -1.0, 0.0
    radius_p, radius_q = floats[p, RADIUS], floats[q, RADIUS]
    tolerance = max_distance + 0.5 * (min(radius_p, RADIUS_CAP_M) + min(radius_q, RADIUS_CAP_M))
    h = (
        math.sin((floats[q, LAT] - floats[p, LAT]) * 0.5) ** 2
        + floats[p, COS] * floats[q, COS] * math.sin((floats[q, LON] - floats[p, LON]) * 0.5) ** 2
    )
    d = (2 * EARTH_RADIUS_M) * math.asin(math.sqrt(min(1.0, h)))
    if d > tolerance:
        return -1.0, d
    place = 1.0 - (d / tolerance) ** 2
    if max(radius_p, radius_q) > COARSE_RADIUS_M:
        place *= 0.5  # a centroid
    time = 1.0 - (gap / gap_s) ** 2
    if max(floats[p, END] - floats[p, START], floats[q, END] - floats[q, START]) > _DAY_S:
        time *= 0.8  # known to the week
    total = _WEIGHT_PLACE * place + _WEIGHT_TIME * time
    weight = _WEIGHT_PLACE + _WEIGHT_TIME
    factor = 1.0
    family = min(codes[p, HOSTILE], codes[q, HOSTILE])
    kind = _kind_c(codes[p, TYPE], codes[q, TYPE], codes[p, SUB_TYPE], codes[q, SUB_TYPE], family)
    if kind >= 0.0:
        total += _WEIGHT_KIND * kind
        weight += _WEIGHT_KIND
        factor *= CONTRADICTION if kind == 0.0 else 1.0
    agreement = _actors_c(p, q, codes)
    if agreement >= 0.0:
        total += _WEIGHT_ACTORS * agreement
        weight += _WEIGHT_ACTORS
        factor *= CONTRADICTION if agreement == 0.0 else 1.0
    return total / weight * factor, d


_score_c = compiled(_score)


def _pack(rank: Ints, columns: tuple[Floats, Floats, Floats, Floats, Floats], source: Ints,
          scope: Ints, kinds: tuple[Ints, Ints, Bools, Bools], actors: Ints,
          floats: Floats, codes: Ints) -> None:  # fmt: skip
    """Fill row ``rank[o]`` of ``floats`` and ``codes`` (``tables``) with report o: the
    columns are read in turn, and each report's row is written at once."""
    lat, lon, radius, start, end = columns
    types, subs, hostile, fighting = kinds
    for o in range(len(rank)):
        p = rank[o]
        if p < 0:
            continue  # not correlatable
        floats[p, LAT] = math.radians(lat[o])
        floats[p, LON] = math.radians(lon[o])
        floats[p, COS] = math.cos(floats[p, LAT])
        floats[p, RADIUS], floats[p, START], floats[p, END] = radius[o], start[o], end[o]
        codes[p, SOURCE], codes[p, SCOPE] = source[o], scope[o]
        codes[p, TYPE], codes[p, SUB_TYPE] = types[o], subs[o]
        codes[p, HOSTILE] = 2 if fighting[o] else 1 if hostile[o] else 0
        for x in range(actors.shape[1]):
            codes[p, ACTORS + x] = actors[o, x]


_pack_c = compiled(_pack)


def tables(order: Ints, columns: tuple[Floats, Floats, Floats, Floats, Floats], source: Ints,
           scope: Ints, kinds: tuple[Ints, Ints, Bools, Bools],
           actors: Ints) -> tuple[Floats, Ints]:  # fmt: skip
    """The reports ``order`` names, in that order, as the two tables ``links`` reads, one
    row a report: ``floats`` (columns ``LAT``, ``LON``, ``COS``, ``RADIUS``, ``START``,
    ``END``; ``columns`` gives them in degrees, metres and epoch seconds) and ``codes``
    (``SOURCE``, ``SCOPE``, ``TYPE``, ``SUB_TYPE``, ``HOSTILE``, then the actors). ``kinds``:
    the type and sub-event type codes, and whether each type is of hostilities and of
    fighting; ``HOSTILE`` is 2 for fighting, else 1 for hostilities, else 0."""
    floats = np.empty((len(order), 6), dtype=np.float64)
    codes = np.empty((len(order), ACTORS + actors.shape[1]), dtype=np.int64)
    rank = np.full(len(source), -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    _pack_c(rank, columns, source, scope, kinds, actors, floats, codes)
    return floats, codes


def _seek(key: Ints, at: int, target: int) -> int:
    """The first position whose key is at least ``target`` (``np.searchsorted``), walked
    to from ``at``, where the lookup for the previous report ended: a few steps, not a
    binary search of the whole batch (whose probes miss the caches)."""
    while at > 0 and key[at - 1] >= target:
        at -= 1
    while at < len(key) and key[at] < target:
        at += 1
    return at


_seek_c = compiled(_seek)


def _scan(key: Ints, reach: Ints, span: Ints, steps: tuple[int, int], floats: Floats,
          codes: Ints, limits: tuple[float, float, float], reports: tuple[int, int],
          cursors: Ints, links: tuple[Ints, Ints, Floats, Floats]) -> tuple[int, int]:  # fmt: skip
    """The pairs of reports (positions in key order, the earlier first) scoring at least
    ``join_at``, of reports ``first`` up to ``stop`` (``reports``) with any after them, as
    rows of ``links`` (p, q, score, distance) until they are full: how many rows, and the
    report to go on from (``stop``: done).
    Each report looks up those after it in its own cell (day, latitude row), those in the
    next row of its day, and those in the three rows around its own of the days its pairs
    may start on (``span``); ``cursors`` keeps where each of these lookups last ended."""
    day_step, row_step = steps
    max_distance, gap_s, join_at = limits
    first, stop = reports
    found_p, found_q, found_score, found_d = links
    count = 0
    for p in range(first, stop):
        before = count
        for slot in range(1, 3 * (span[p] + 1)):  # (day ahead, row -1 / 0 / +1), but (0, -1)
            centre = key[p] + (slot // 3) * day_step + (slot % 3 - 1) * row_step
            if slot == 1:
                q = p + 1  # in its own cell: those after it
            else:
                q = cursors[slot] = _seek_c(key, cursors[slot], centre - reach[p])
            while q < len(key) and key[q] <= centre + reach[p]:
                score, d = _score_c(p, q, floats, codes, max_distance, gap_s)
                if score >= join_at:
                    if count == len(found_p):
                        return before, p  # full: report p again, into an empty table
                    found_p[count], found_q[count] = p, q
                    found_score[count], found_d[count] = score, d
                    count += 1
                q += 1
    return count, stop


_scan_c = compiled(_scan)


def links(key: Ints, reach: Ints, span: Ints, steps: tuple[int, int], floats: Floats,
          codes: Ints, limits: tuple[float, float, float],
          ) -> tuple[Ints, Ints, Floats, Floats]:  # fmt: skip
    """The pairs (i, j) of reports in key order that reach ``join_at``, with their score and
    distance. ``key``, ``reach`` (in key units), ``span`` (in day cells) and ``steps`` (what
    a day cell and a latitude row add to a key) are ``layouts.layout``'s; ``floats`` and
    ``codes`` the reports in key order, one row each (columns ``LAT``... and
    ``SOURCE``...); ``limits`` the distance tolerance, the time tolerance and ``join_at``."""
    cursors = np.zeros(3 * (int(span.max(initial=0)) + 1), dtype=np.int64)
    parts: list[tuple[Ints, Ints, Floats, Floats]] = []
    first = 0
    while first < len(key) or not parts:
        p, q, score, distance = _table(len(key) - first + 1024)  # room for one report's pairs
        count, first = _scan_c(key, reach, span, steps, floats, codes, limits,
                               (first, len(key)), cursors, (p, q, score, distance))  # fmt: skip
        parts.append((p[:count], q[:count], score[:count], distance[:count]))
    if len(parts) == 1:
        return parts[0]
    i, j, score, distance = (np.concatenate(column) for column in zip(*parts, strict=True))
    return i, j, score, distance


def _table(n: int) -> tuple[Ints, Ints, Floats, Floats]:
    return (np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64),
            np.empty(n, dtype=np.float64), np.empty(n, dtype=np.float64))  # fmt: skip
