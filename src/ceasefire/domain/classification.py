"""Classify incidents against the regimes in force where and when they happened.

One rule, vectorised: an incident's *place* is the area it may lie in (a point when known
exactly, else the admin area or a radius around the point), and its *time* is an instant or
a span of calendar dates. For each regime:

- space: the place lies within the regime's area, outside it, or straddles its boundary;
- time: an exact time is inside ``[start, end)`` or not; a date-precise time is compared
  with the calendar dates (in the agreement's time zone) on which the regime starts and
  ends: a window of dates that includes either date is uncertain, since sources rarely
  give the hour or the time zone of their dates;
- actors: an actor the regime excludes makes the incident ``excluded_actor`` for it.

The incident's classification is ``potential_violation`` when some regime covers it with no
excluded actor, else ``undetermined`` when some regime may cover it, else
``excluded_actor`` when every covering regime excludes an actor involved, else
``outside_regime``. Each verdict comes with a sentence saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from ceasefire.domain.exclusions import TERRITORY
from ceasefire.domain.explanations import explain, held_by_excluded
from ceasefire.domain.precision import UNCERTAINTY_RADIUS_M, LocationPrecision
from ceasefire.domain.regimes import Regime
from ceasefire.domain.times import zone
from ceasefire.domain.verdicts import (
    NO_REGIME_REASON,
    Classification,
    ClassificationResult,
    RegimeVerdict,
    Space,
    Subject,
    Terms,
    Timing,
    Verdict,
)

__all__ = [
    "NO_REGIME_REASON",
    "Assessment",
    "Classification",
    "ClassificationResult",
    "RegimeIndex",
    "RegimeVerdict",
    "Space",
    "Subject",
    "Terms",
    "Timing",
    "Verdict",
    "classify_one",
    "explain",
    "uncertainty_areas",
]

_METRES_PER_DEGREE = 111_320.0
_CIRCLE_VERTICES = 16
_NEVER = np.iinfo(np.int64).max
_SLIVER = 1e-6
_EXACT_PLACE = LocationPrecision.EXACT  # enum member lookups are slow in hot loops

# Per-pair codes used while the arrays are being combined. Verdicts are ranked: an
# incident's classification is its best verdict over all regimes.
_OUTSIDE, _EXCLUDED, _UNCERTAIN, _COVERED = 0, 1, 2, 3
_RESULT = {
    -1: Classification.OUTSIDE_REGIME,  # no regime's area meets the incident's
    _OUTSIDE: Classification.OUTSIDE_REGIME,
    _EXCLUDED: Classification.EXCLUDED_ACTOR,
    _UNCERTAIN: Classification.UNDETERMINED,
    _COVERED: Classification.POTENTIAL_VIOLATION,
}
_VERDICT = {
    _OUTSIDE: Verdict.OUTSIDE,
    _EXCLUDED: Verdict.EXCLUDED,
    _UNCERTAIN: Verdict.UNCERTAIN,
    _COVERED: Verdict.COVERED,
}
_OUTSIDE_REASONS = 3
_SPACE_EDGE, _SPACE_IN = int(Space.EDGE), int(Space.INSIDE)
_TIME_BEFORE, _TIME_START_DAY, _TIME_IN = (
    int(Timing.BEFORE),
    int(Timing.START_DAY),
    int(Timing.INSIDE),
)
_TIME_END_DAY, _TIME_AFTER = int(Timing.END_DAY), int(Timing.AFTER)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The classification of many incidents, as arrays: the best verdict of each incident
    (-1 when no regime's area meets it) and the (incident, regime) pairs worth keeping —
    every regime that covers, may cover or excludes it, and, for an incident outside every
    regime, the first few whose time window it misses. Nothing here is a Python object per
    pair, so a million incidents cost little beyond the arrays."""

    best: NDArray[np.int8]
    subject: NDArray[np.intp]
    regime: NDArray[np.intp]
    verdict: NDArray[np.int8]
    space: NDArray[np.int8]
    timing: NDArray[np.int8]
    regime_ids: tuple[str, ...]

    def classifications(self) -> list[Classification]:
        return [_RESULT[b] for b in self.best.tolist()]

    def columns(self, incident_ids: Sequence[int]) -> dict[str, list[Any]]:
        """The kept pairs column by column: incident_id, regime_id, verdict, space, timing."""
        ids = np.asarray(incident_ids, dtype=np.int64)[self.subject].tolist()
        names = [self.regime_ids[r] for r in self.regime.tolist()]
        verdicts = [_VERDICT[v].value for v in self.verdict.tolist()]
        return {
            "incident_id": ids,
            "regime_id": names,
            "verdict": verdicts,
            "space": self.space.tolist(),
            "timing": self.timing.tolist(),
        }


def uncertainty_areas(subjects: Sequence[Subject]) -> NDArray[np.object_]:
    """The area each subject may lie in: its point, its admin area, or an ellipse of the
    precision's radius around the point (built for all subjects at once)."""
    n = len(subjects)
    lon = np.fromiter((s.location.lon for s in subjects), dtype=np.float64, count=n)
    lat = np.fromiter((s.location.lat for s in subjects), dtype=np.float64, count=n)
    radius = np.fromiter(
        (UNCERTAINTY_RADIUS_M[s.location.precision] for s in subjects), dtype=np.float64, count=n
    )
    areas: NDArray[np.object_] = shapely.points(lon, lat)
    given = np.fromiter((s.area is not None for s in subjects), dtype=bool, count=n)
    if given.any():
        areas[given] = [s.area for s, g in zip(subjects, given, strict=True) if g]
    circle = ~given & (radius > 0)
    if circle.any():
        areas[circle] = _ellipses(lon[circle], lat[circle], radius[circle])
    return areas


def _ellipses(
    lon: NDArray[np.float64], lat: NDArray[np.float64], radius_m: NDArray[np.float64]
) -> NDArray[np.object_]:
    """Polygons approximating circles of radius_m around each point, in degrees."""
    theta = np.linspace(0.0, 2.0 * np.pi, _CIRCLE_VERTICES + 1)
    # the polygon circumscribes the circle, so it never claims less doubt than the radius
    r_lat = radius_m / _METRES_PER_DEGREE / np.cos(np.pi / _CIRCLE_VERTICES)
    r_lon = r_lat / np.maximum(np.cos(np.radians(lat)), 0.01)
    xs = np.clip(lon[:, None] + r_lon[:, None] * np.cos(theta)[None, :], -180.0, 180.0)
    ys = np.clip(lat[:, None] + r_lat[:, None] * np.sin(theta)[None, :], -90.0, 90.0)
    xs[:, -1], ys[:, -1] = xs[:, 0], ys[:, 0]
    rings: NDArray[np.object_] = shapely.polygons(np.stack([xs, ys], axis=-1))
    return rings


def _epoch(value: datetime | None) -> int:
    return _NEVER if value is None else int(value.timestamp())


def _local_day(value: datetime | None, time_zone: str) -> int:
    """The proleptic ordinal of the calendar date of ``value`` in the regime's zone."""
    if value is None:
        return _NEVER
    return value.astimezone(zone(time_zone)).date().toordinal()


class RegimeIndex:
    """Regimes prepared for classifying many incidents: an STRtree and time arrays."""

    def __init__(self, regimes: Sequence[Regime]) -> None:
        self.regimes = tuple(regimes)
        geoms = np.array([r.geometry for r in self.regimes], dtype=object)
        shapely.prepare(geoms)
        self._geoms = geoms
        self._tree = shapely.STRtree(geoms)
        self._start = np.array([_epoch(r.start) for r in self.regimes], dtype=np.int64)
        self._end = np.array([_epoch(r.effective_end) for r in self.regimes], dtype=np.int64)
        self._start_day = np.array(
            [_local_day(r.start, r.time_zone) for r in self.regimes], dtype=np.int64
        )
        self._end_day = np.array(
            [_local_day(r.effective_end, r.time_zone) for r in self.regimes], dtype=np.int64
        )
        self._excluding = np.array([bool(r.excludes) for r in self.regimes], dtype=bool)
        self._ids = tuple(r.id for r in self.regimes)

    def assess(self, subjects: Sequence[Subject]) -> Assessment:
        """Classify every subject; the same code runs for one incident and for a million."""
        empty = np.zeros(0, dtype=np.intp)
        codes = np.zeros(0, dtype=np.int8)
        if not subjects or not self.regimes:
            best = np.full(len(subjects), -1, dtype=np.int8)
            return Assessment(best, empty, empty, codes, codes, codes, self._ids)
        areas = uncertainty_areas(subjects)
        subj_idx, reg_idx = self._pairs(areas, subjects)
        space = self._space(areas, subj_idx, reg_idx, subjects)
        timing = self._time(subjects, subj_idx, reg_idx)
        verdict = self._verdicts(subjects, subj_idx, reg_idx, space, timing)
        best = np.full(len(subjects), -1, dtype=np.int8)
        np.maximum.at(best, subj_idx, verdict)
        keep = verdict > _OUTSIDE
        outside_only = best[subj_idx] == _OUTSIDE
        if outside_only.any():
            rank = np.arange(len(subj_idx)) - np.searchsorted(subj_idx, subj_idx, side="left")
            keep |= outside_only & (rank < _OUTSIDE_REASONS)
        return Assessment(
            best, subj_idx[keep], reg_idx[keep], verdict[keep], space[keep], timing[keep], self._ids
        )

    def _pairs(
        self, areas: NDArray[np.object_], subjects: Sequence[Subject]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The (subject, regime) pairs whose areas meet, sorted by subject then regime.

        Bounding boxes first, then time (cheap arrays), and the exact geometric test only
        where the time leaves the answer open, or where every candidate regime missed the
        subject in time (to name the regimes it falls outside of)."""
        subj_idx, reg_idx = self._tree.query(areas)
        order = np.lexsort((reg_idx, subj_idx))
        subj_idx, reg_idx = subj_idx[order], reg_idx[order]
        timing = self._time(subjects, subj_idx, reg_idx)
        live = (timing != _TIME_BEFORE) & (timing != _TIME_AFTER)
        meets = np.zeros(len(subj_idx), dtype=bool)
        test = np.flatnonzero(live)
        meets[test] = shapely.intersects(self._geoms[reg_idx[test]], areas[subj_idx[test]])
        settled = np.zeros(len(subjects), dtype=bool)
        settled[subj_idx[meets]] = True
        test = np.flatnonzero(~live & ~settled[subj_idx])
        meets[test] = shapely.intersects(self._geoms[reg_idx[test]], areas[subj_idx[test]])
        return subj_idx[meets], reg_idx[meets]

    def classify(self, subjects: Sequence[Subject]) -> list[ClassificationResult]:
        """Classify and explain: each result carries one sentence per kept regime."""
        assessment = self.assess(subjects)
        per_subject: list[list[RegimeVerdict]] = [[] for _ in subjects]
        pairs = zip(
            assessment.subject.tolist(),
            assessment.regime.tolist(),
            assessment.verdict.tolist(),
            assessment.space.tolist(),
            assessment.timing.tolist(),
            strict=True,
        )
        for s, r, v, sp, tm in pairs:
            regime, verdict = self.regimes[r], _VERDICT[v]
            reason = explain(subjects[s], regime, verdict, Space(sp), Timing(tm))
            per_subject[s].append(RegimeVerdict(regime.id, verdict, reason))
        return [
            ClassificationResult(c, tuple(v))
            for c, v in zip(assessment.classifications(), per_subject, strict=True)
        ]

    def _verdicts(
        self,
        subjects: Sequence[Subject],
        subj_idx: NDArray[np.intp],
        reg_idx: NDArray[np.intp],
        space: NDArray[np.int8],
        timing: NDArray[np.int8],
    ) -> NDArray[np.int8]:
        outside = (timing == _TIME_BEFORE) | (timing == _TIME_AFTER)
        doubtful = (space == _SPACE_EDGE) | (timing == _TIME_START_DAY) | (timing == _TIME_END_DAY)
        excluded = np.zeros(len(subj_idx), dtype=bool)
        for i in np.flatnonzero(self._excluding[reg_idx] & ~outside).tolist():
            regime = self.regimes[int(reg_idx[i])]
            subject = subjects[int(subj_idx[i])]
            day = subject.time.start.date()
            if subject.actor_ids:
                excluded[i] = bool(regime.excludes.excluded(subject.actor_ids, day))
            if not excluded[i] and TERRITORY in regime.exclusion_follows:
                excluded[i] = held_by_excluded(regime, subject) is not None
        codes = np.select(
            [outside, excluded, doubtful], [_OUTSIDE, _EXCLUDED, _UNCERTAIN], default=_COVERED
        )
        return codes.astype(np.int8)

    def _space(
        self,
        areas: NDArray[np.object_],
        subj_idx: NDArray[np.intp],
        reg_idx: NDArray[np.intp],
        subjects: Sequence[Subject],
    ) -> NDArray[np.int8]:
        # Every pair intersects (the tree query saw to that), so an exact point is inside:
        # the boundary is part of the area.
        exact = np.fromiter(
            (s.location.precision is _EXACT_PLACE for s in subjects),
            dtype=bool,
            count=len(subjects),
        )[subj_idx]
        regimes, places = self._geoms[reg_idx], areas[subj_idx]
        inside = exact | shapely.covers(regimes, places)
        # An admin area whose edge runs along the regime's edge (an oblast of a regime made of
        # oblasts) may poke out by rounding error alone: allow a sliver of 1e-6 of its area.
        # Only admin areas can (circles drawn around points never share an edge), and only
        # where the area's bounding box lies within the regime's, give or take that sliver.
        given = np.fromiter(
            (s.area is not None for s in subjects), dtype=bool, count=len(subjects)
        )[subj_idx]
        doubtful = np.flatnonzero(~inside & given)
        if doubtful.size:
            area_box = shapely.bounds(places[doubtful])
            regime_box = shapely.bounds(regimes[doubtful])
            slack = 1e-6 * np.maximum(
                area_box[:, 2] - area_box[:, 0], area_box[:, 3] - area_box[:, 1]
            )
            boxed = (
                (area_box[:, 0] >= regime_box[:, 0] - slack)
                & (area_box[:, 1] >= regime_box[:, 1] - slack)
                & (area_box[:, 2] <= regime_box[:, 2] + slack)
                & (area_box[:, 3] <= regime_box[:, 3] + slack)
            )
            doubtful = doubtful[boxed]
        if doubtful.size:
            outside = shapely.area(shapely.difference(places[doubtful], regimes[doubtful]))
            inside[doubtful] = outside <= _SLIVER * shapely.area(places[doubtful])
        return np.where(inside, _SPACE_IN, _SPACE_EDGE).astype(np.int8)

    def _time(
        self, subjects: Sequence[Subject], subj_idx: NDArray[np.intp], reg_idx: NDArray[np.intp]
    ) -> NDArray[np.int8]:
        n = len(subjects)
        exact = np.fromiter((s.time.start == s.time.end for s in subjects), dtype=bool, count=n)
        instant = np.fromiter((int(s.time.start.timestamp()) for s in subjects), np.int64, n)
        first = np.fromiter((s.time.first_date.toordinal() for s in subjects), np.int64, n)
        last = np.fromiter((s.time.last_date.toordinal() for s in subjects), np.int64, n)
        ex, t = exact[subj_idx], instant[subj_idx]
        d0, d1 = first[subj_idx], last[subj_idx]
        start, end = self._start[reg_idx], self._end[reg_idx]
        sday, eday = self._start_day[reg_idx], self._end_day[reg_idx]
        exact_code = np.select([t < start, t >= end], [_TIME_BEFORE, _TIME_AFTER], default=_TIME_IN)
        dated_code = np.select(
            [d1 < sday, d0 <= sday, d1 < eday, d0 <= eday],
            [_TIME_BEFORE, _TIME_START_DAY, _TIME_IN, _TIME_END_DAY],
            default=_TIME_AFTER,
        )
        return np.where(ex, exact_code, dated_code).astype(np.int8)


def classify_one(subject: Subject, regimes: Sequence[Regime]) -> ClassificationResult:
    """Classify a single incident with the same rule code as the bulk path."""
    return RegimeIndex(regimes).classify([subject])[0]
