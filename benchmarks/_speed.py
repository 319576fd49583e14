"""The speed part of benchmarks/correlation.py: a million generated reports correlated by
``domain.batches.group_batch`` and by scikit-learn's DBSCAN, side by side."""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _accounts as accounts

from ceasefire.domain import batches, kernels, layouts
from ceasefire.domain.batches import Batch, group_batch
from ceasefire.domain.comparisons import EARTH_RADIUS_M
from ceasefire.domain.correlation import CorrelationSettings, Footprint
from ceasefire.domain.groups import group_links
from ceasefire.domain.precision import TimePrecision


def dbscan_by_day(batch: Batch, eps_m: float, n_jobs: int | None = None,
                  days: int | None = None) -> tuple[np.ndarray, float, float]:  # fmt: skip
    """DBSCAN (haversine, ball tree) over each day's reports (the first ``days`` days);
    labels unique across days; the seconds it took, and its CPU seconds."""
    from sklearn.cluster import DBSCAN

    started, cpu = time.perf_counter(), time.process_time()
    day = np.floor(batch.start / 86_400).astype(np.int64)
    order = np.argsort(day, kind="stable")
    bounds = np.flatnonzero(np.diff(day[order])) + 1
    points = np.radians(np.column_stack([batch.lat, batch.lon]))
    labels = np.empty(len(batch), dtype=np.int64)
    offset = 0
    model = DBSCAN(eps=eps_m / EARTH_RADIUS_M, min_samples=1, metric="haversine",
                   algorithm="ball_tree", n_jobs=n_jobs)  # fmt: skip
    for group in np.split(order, bounds)[:days]:
        found = model.fit_predict(points[group])
        labels[group] = found + offset
        offset += int(found.max()) + 1
    return labels, time.perf_counter() - started, time.process_time() - cpu


THEATRES = 30


def phase_times(batch: Batch, settings: CorrelationSettings) -> list[tuple[str, float]]:
    """The phases of ``group_batch`` (compiled when numba is installed), timed one by one:
    the best of three runs of each."""
    best: dict[str, float] = {}
    for _ in range(3):
        started = time.perf_counter()
        layout = layouts.layout(batch, settings, compiled=kernels.AVAILABLE)
        laps = [("keys and sort", time.perf_counter())]
        if kernels.AVAILABLE:
            (i, j, score, distance), source = batches._compiled_links(layout, batch, settings)
            name = f"tables, pairs and scores, compiled ({len(i):,} links)"
        else:
            held = batches._take(batch, layout.order)
            i, j, score, distance = batches._links(layout, held, settings, batches.WINDOW_CELLS)
            source = held.source
            name = f"pairs, near, scores, {batches.WINDOW_CELLS} days at a time ({len(i):,} links)"
        laps.append((name, time.perf_counter()))
        group_links(len(layout.order), (i, j, score, distance), source,
                    compiled=kernels.AVAILABLE)  # fmt: skip
        laps.append(("groups", time.perf_counter()))
        for name, now in laps:
            best[name] = min(best.get(name, math.inf), now - started)
            started = now
    return list(best.items())


_FIRST_CALL = """
import sys, time
sys.path.insert(0, {here!r})
from _speed import million, small_events
from ceasefire.domain.batches import group_batch
from ceasefire.domain.correlation import CorrelationSettings
batch = million(1_000, 2, small_events())
started = time.perf_counter()
group_batch(batch, CorrelationSettings())
print(time.perf_counter() - started)
"""


def first_calls() -> tuple[float, float]:
    """Seconds of a first ``group_batch`` call in a new process: with numba's cache empty
    (compiling the kernels), then with it filled (loading them), in a cache of its own."""
    import subprocess
    import tempfile

    code = _FIRST_CALL.format(here=str(Path(__file__).resolve().parent))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        times = [float(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                      capture_output=True, text=True).stdout)
                 for _ in range(2)]  # fmt: skip
    return times[0], times[1]


def small_events() -> list:
    """A few GED events, for ``first_calls``."""
    return accounts.ged_events(accounts.BUNDLED_GED)


TYPES = {0: "Battles", 1: "Explosions/Remote violence"}  # million()'s codes


def one_at_a_time(batch: Batch, settings: CorrelationSettings, n: int) -> tuple[int, float]:
    """The per-report path on the first n reports of the batch."""
    n = min(n, len(batch))
    marks = [
        Footprint(key=None, lon=float(batch.lon[k]), lat=float(batch.lat[k]),
                  start=float(batch.start[k]), end=float(batch.end[k]),
                  precision=TimePrecision.EXACT if batch.start[k] == batch.end[k]
                  else TimePrecision.DAY, event_type=TYPES[int(batch.event_type[k])],
                  actor_ids=frozenset(str(a) for a in batch.actors[k] if a >= 0),
                  sources={str(batch.source[k])}, radius_m=float(batch.radius_m[k]),
                  sub_event_type=str(batch.sub_event_type[k]))
        for k in range(n)
    ]  # fmt: skip
    marks.sort(key=lambda m: m.start)
    started = time.perf_counter()
    accounts.correlate(marks, settings)
    return n, time.perf_counter() - started


def million(n: int, seed: int, events: list) -> Batch:
    """n reports of n/3 events from three sources over 2014-2023: the GED file's places and
    precisions, in 30 theatres (the file's pattern moved across 50 W-100 E, 5-55 N), so
    each theatre has about 3 events a day, as Donbas had in 2014-2015; every source
    reports every event, moved within its precision, a fifth at an hour of its day."""
    rng = np.random.default_rng(seed)
    k = -(-n // 3)
    base = rng.integers(0, len(events), k)
    theatre = rng.integers(0, THEATRES, k)
    shift_lon = rng.uniform(-85, 60, THEATRES)[theatre]
    shift_lat = rng.uniform(-42, 6, THEATRES)[theatre]
    lon0 = np.array([e.location.lon for e in events])[base] + rng.uniform(-1, 1, k) + shift_lon
    lat0 = np.array([e.location.lat for e in events])[base] + rng.uniform(-1, 1, k) + shift_lat
    radius0 = np.array([accounts.footprint(e).radius_m for e in events])[base]
    day0 = rng.integers(16_071, 16_071 + 3_652, k)  # 2014-01-01 .. 2023-12-31
    kind0 = rng.integers(0, 2, k)
    first = rng.integers(0, 5, k)
    actors0 = np.stack([first, (first + rng.integers(1, 5, k)) % 5], axis=1)
    rep = np.repeat(np.arange(k), 3)[:n]
    move = np.where(radius0[rep] > 25_000, 2_000.0, np.maximum(radius0[rep], 3_000.0))
    d = move * np.sqrt(rng.random(n))
    bearing = rng.uniform(0, 2 * np.pi, n)
    lat = lat0[rep] + d * np.cos(bearing) / 111_320.0
    lon = lon0[rep] + d * np.sin(bearing) / (111_320.0 * np.cos(np.radians(lat0[rep])))
    start = day0[rep] * 86_400.0
    exact = rng.random(n) < 0.2
    start = np.where(exact, start + rng.integers(360, 82_800, n), start)
    end = np.where(exact, start, start + 86_400.0)
    shelling = rng.random(n) < 0.3
    actors = actors0[rep].copy()
    actors[rng.random(n) < 0.2, 1] = -1
    return Batch(lon=lon, lat=lat, radius_m=radius0[rep], start=start, end=end,
                 correlatable=np.ones(n, dtype=bool), source=np.tile(np.arange(3), k)[:n],
                 scope=np.zeros(n, dtype=np.int64), event_type=np.where(shelling, 1, kind0[rep]),
                 sub_event_type=np.where(shelling, 10, kind0[rep] + 20),
                 hostile=np.ones(n, dtype=bool), fighting=np.ones(n, dtype=bool),
                 actors=actors)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Race:
    """Seconds (wall clock and CPU) of the best run of each, and what they found."""

    ours: tuple[float, float]
    dbscan: tuple[float, float]
    numpy_s: float
    same: bool  # the numpy path found the same groups
    ours_labels: np.ndarray
    dbscan_labels: np.ndarray
    load: tuple[float, float]  # the load average over a minute, before and after
    jobs: tuple[float, float]  # DBSCAN on the first 200 days, n_jobs None and -1


def race(batch: Batch, settings: CorrelationSettings) -> Race:
    """Ours, DBSCAN and (when numba is installed) our numpy path, three times alternating;
    the best of each counts (the machine is shared)."""
    load = os.getloadavg()[0]
    ours = base = (math.inf, math.inf)
    numpy_s = math.inf
    numpy_labels = None
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        ours_labels = group_batch(batch, settings)
        ours = min(ours, (time.perf_counter() - started, time.process_time() - cpu))
        base_labels, wall, cpu_s = dbscan_by_day(batch, settings.widest_m)
        base = min(base, (wall, cpu_s))
        if kernels.AVAILABLE:
            started = time.perf_counter()
            numpy_labels = group_batch(batch, settings, compiled=False)
            numpy_s = min(numpy_s, time.perf_counter() - started)
    same = numpy_labels is None or bool(np.array_equal(ours_labels, numpy_labels))
    jobs = (dbscan_by_day(batch, settings.widest_m, None, 200)[1],
            dbscan_by_day(batch, settings.widest_m, -1, 200)[1])  # fmt: skip
    return Race(ours, base, numpy_s, same, ours_labels, base_labels,
                (load, os.getloadavg()[0]), jobs)  # fmt: skip
