"""Classify incidents against the regimes in force where and when they happened.

One rule, vectorised: an incident's *place* is the area it may lie in (a point when known
exactly, else the admin area or a radius around the point), and its *time* is an instant or
a span of calendar dates. For each regime:

- space: the place lies within the regime's area, outside it, or straddles its boundary;
- time: an exact time is inside ``[start, end)`` or not; a date-precise time is compared
  with the calendar dates (in the agreement's time zone) on which the regime starts and
  ends, since the sources' dates are local calendar dates that give no hour: a date
  after the start date and before the end date is inside, and so is the start date
  itself when the regime starts at 00:00 local; a window of dates that holds a start or
  an end within one of its days (or straddles it) is uncertain;
- actors: an actor the regime excludes makes the incident ``excluded_actor`` for it.

- what: an event type the regime's agreement does not prohibit (by default anything but
  battles, explosions and remote violence, and violence against civilians) is
  ``not_covered`` by it.

The incident's classification is ``potential_violation`` when some regime covers it with no
excluded actor, else ``undetermined`` when some regime may cover it, else
``excluded_actor`` when every covering regime excludes an actor involved, else
``not_covered`` when it is of a type no regime that meets it prohibits, else
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

from ceasefire.domain.areas import uncertainty_areas, within_codes
from ceasefire.domain.exclusions import TERRITORY
from ceasefire.domain.explanations import claims_exclude, explain, held_by_excluded
from ceasefire.domain.regimes import Regime
from ceasefire.domain.times import zone
from ceasefire.domain.verdicts import (
    NO_REGIME_REASON,
    Classification,
    ClassificationResult,
    Outcome,
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
    "Outcome",
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

_NEVER = np.iinfo(np.int64).max

# Per-pair codes used while the arrays are being combined. Verdicts are ranked: an
# incident's classification is its best verdict over all regimes.
_OUTSIDE, _NOT_COVERED, _EXCLUDED, _UNCERTAIN, _COVERED = 0, 1, 2, 3, 4
_RESULT = {
    -1: Classification.OUTSIDE_REGIME,  # no regime's area meets the incident's
    _OUTSIDE: Classification.OUTSIDE_REGIME,
    _NOT_COVERED: Classification.NOT_COVERED,
    _EXCLUDED: Classification.EXCLUDED_ACTOR,
    _UNCERTAIN: Classification.UNDETERMINED,
    _COVERED: Classification.POTENTIAL_VIOLATION,
}
_VERDICT = {
    _OUTSIDE: Verdict.OUTSIDE,
    _NOT_COVERED: Verdict.NOT_COVERED,
    _EXCLUDED: Verdict.EXCLUDED,
    _UNCERTAIN: Verdict.UNCERTAIN,
    _COVERED: Verdict.COVERED,
}
_OUTSIDE_REASONS = 3
_SPACE_EDGE = int(Space.EDGE)
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
    disputed: NDArray[np.bool_]  # per subject: its sources disagree on an exclusion
    within: tuple[str | None, ...] = ()  # per subject: what clipped its area (or None)
    attributed: tuple[str | None, ...] = ()  # per subject: the joint finding's actor

    def classifications(self) -> list[Classification]:
        return [_RESULT[b] for b in self.best.tolist()]

    def outcomes(self) -> list[Outcome]:
        none = (None,) * len(self.best)
        return [
            Outcome(_RESULT[b], d, w, a)
            for b, d, w, a in zip(
                self.best.tolist(),
                self.disputed.tolist(),
                self.within or none,
                self.attributed or none,
                strict=True,
            )
        ]

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


def _epoch(value: datetime | None) -> int:
    return _NEVER if value is None else int(value.timestamp())


def _local_day(value: datetime | None, time_zone: str) -> int:
    """The proleptic ordinal of the calendar date of ``value`` in the regime's zone."""
    if value is None:
        return _NEVER
    return value.astimezone(zone(time_zone)).date().toordinal()


def _day_after_part(value: datetime | None, time_zone: str) -> int:
    """The ordinal of the first local date that lies wholly after ``value``: its own date
    when ``value`` is 00:00 local, else the next."""
    if value is None:
        return _NEVER
    local = value.astimezone(zone(time_zone))
    at_midnight = (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    return local.date().toordinal() + (0 if at_midnight else 1)


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
        # the first local date wholly inside (the start date itself when it starts at
        # 00:00), and the first wholly after (the end date itself when it ends at 00:00)
        self._first_full_day = np.array(
            [_day_after_part(r.start, r.time_zone) for r in self.regimes], dtype=np.int64
        )
        self._end_day = np.array(
            [_local_day(r.effective_end, r.time_zone) for r in self.regimes], dtype=np.int64
        )
        self._first_day_out = np.array(
            [_day_after_part(r.effective_end, r.time_zone) for r in self.regimes], dtype=np.int64
        )
        self._excluding = np.array([bool(r.excludes) for r in self.regimes], dtype=bool)
        # the event types each regime's agreement prohibits, as codes: one column per type
        types = sorted({t for r in self.regimes for t in r.hostilities})
        self._type_codes = {name: i for i, name in enumerate(types)}
        self._prohibits = np.array(
            [[t in r.hostilities for t in types] for r in self.regimes], dtype=bool
        ).reshape(len(self.regimes), len(types))
        self._ids = tuple(r.id for r in self.regimes)

    def assess(self, subjects: Sequence[Subject]) -> Assessment:
        """Classify every subject; the same code runs for one incident and for a million."""
        empty = np.zeros(0, dtype=np.intp)
        codes = np.zeros(0, dtype=np.int8)
        if not subjects or not self.regimes:
            best = np.full(len(subjects), -1, dtype=np.int8)
            disputed = np.zeros(len(subjects), dtype=bool)
            within = tuple(s.within for s in subjects)
            attributed = tuple(s.attributed for s in subjects)
            return Assessment(
                best, empty, empty, codes, codes, codes, self._ids, disputed, within, attributed
            )
        areas = uncertainty_areas(subjects)
        subj_idx, reg_idx, timing = self._pairs(areas, subjects)
        space = within_codes(self._geoms[reg_idx], areas[subj_idx], subj_idx, subjects)
        verdict, split = self._verdicts(subjects, subj_idx, reg_idx, space, timing)
        best = np.full(len(subjects), -1, dtype=np.int8)
        np.maximum.at(best, subj_idx, verdict)
        disputed = np.zeros(len(subjects), dtype=bool)
        disputed[subj_idx[split]] = True
        keep = verdict > _OUTSIDE
        outside_only = best[subj_idx] == _OUTSIDE
        if outside_only.any():
            rank = np.arange(len(subj_idx)) - np.searchsorted(subj_idx, subj_idx, side="left")
            keep |= outside_only & (rank < _OUTSIDE_REASONS)
        return Assessment(
            best,
            subj_idx[keep],
            reg_idx[keep],
            verdict[keep],
            space[keep],
            timing[keep],
            self._ids,
            disputed,
            tuple(s.within for s in subjects),
            tuple(s.attributed for s in subjects),
        )

    def _pairs(
        self, areas: NDArray[np.object_], subjects: Sequence[Subject]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.int8]]:
        """The (subject, regime) pairs whose areas meet, sorted by subject then regime, with
        each pair's timing.

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
        return subj_idx[meets], reg_idx[meets], timing[meets]

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
    ) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
        """Each pair's verdict code, and whether its sources disagree on the exclusion."""
        outside = (timing == _TIME_BEFORE) | (timing == _TIME_AFTER)
        doubtful = (space == _SPACE_EDGE) | (timing == _TIME_START_DAY) | (timing == _TIME_END_DAY)
        not_covered = self._not_hostile(subjects, subj_idx, reg_idx)
        excluded = np.zeros(len(subj_idx), dtype=bool)
        split = np.zeros(len(subj_idx), dtype=bool)
        for i in np.flatnonzero(self._excluding[reg_idx] & ~outside & ~not_covered).tolist():
            regime = self.regimes[int(reg_idx[i])]
            subject = subjects[int(subj_idx[i])]
            excluded[i], split[i] = claims_exclude(regime, subject)
            if not excluded[i] and TERRITORY in regime.exclusion_follows:
                excluded[i] = held_by_excluded(regime, subject) is not None
        codes = _first(
            [outside, not_covered, excluded, doubtful],
            [_OUTSIDE, _NOT_COVERED, _EXCLUDED, _UNCERTAIN],
            _COVERED,
        )
        return codes, split & ~excluded

    def _not_hostile(
        self, subjects: Sequence[Subject], subj_idx: NDArray[np.intp], reg_idx: NDArray[np.intp]
    ) -> NDArray[np.bool_]:
        """Pairs whose incident has an event type the regime's agreement does not prohibit
        (an incident of no stated type counts as a hostility)."""
        other = -1  # a type no regime here prohibits
        codes = np.fromiter(
            (
                -2 if s.event_type is None else self._type_codes.get(s.event_type, other)
                for s in subjects
            ),
            dtype=np.int64,
            count=len(subjects),
        )[subj_idx]
        prohibited = codes == -2
        known = codes >= 0
        prohibited[known] = self._prohibits[reg_idx[known], codes[known]]
        not_prohibited: NDArray[np.bool_] = ~prohibited
        return not_prohibited

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
        full, out = self._first_full_day[reg_idx], self._first_day_out[reg_idx]
        exact_code = _first([t < start, t >= end], [_TIME_BEFORE, _TIME_AFTER], _TIME_IN)
        # Dates are the source's local calendar dates (docs/import.md, per format): a date
        # wholly inside the window is inside; one that holds the start or end within it is
        # uncertain (a regime that starts or ends at 00:00 local has no such date).
        dated_code = _first(
            [d1 < sday, d0 < full, d1 < eday, d0 < out],
            [_TIME_BEFORE, _TIME_START_DAY, _TIME_IN, _TIME_END_DAY],
            _TIME_AFTER,
        )
        return np.where(ex, exact_code, dated_code)


def _first(
    conditions: Sequence[NDArray[np.bool_]], codes: Sequence[int], default: int
) -> NDArray[np.int8]:
    """Each element's code of the first condition that holds for it, else ``default`` (as
    ``np.select``, which costs several times more on the few pairs of one filed report)."""
    found = np.full(len(conditions[0]), default, dtype=np.int8)
    for condition, code in zip(reversed(conditions), reversed(codes), strict=True):
        found[condition] = code
    return found


def classify_one(subject: Subject, regimes: Sequence[Regime]) -> ClassificationResult:
    """Classify a single incident with the same rule code as the bulk path."""
    return RegimeIndex(regimes).classify([subject])[0]
