"""What the daily report of an agreement says, read from the store as the reader's party
may read it: the day's incidents grouped by regime and area, counts by classification and
joint finding against the day before, each regime's 30-day trend, response measures due,
done and overdue, access restrictions, who joined the regimes, and humanitarian access.

Every read goes through the store's audience filter, as the incident queries do; a reader
outside the agreement gets only open records, and the report says what it leaves out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

import shapely
from shapely.geometry import Point
from sqlalchemy import Connection

from ceasefire.domain.classification import Classification
from ceasefire.domain.daily import TREND_DAYS, Window, trend_windows, window
from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.filters import MAX_PAGE, IncidentFilter
from ceasefire.domain.measures import MeasureStatus, is_overdue
from ceasefire.domain.regimes import Agreement, Place, Regime
from ceasefire.domain.visibility import Audience
from ceasefire.domain.workflow import JOINT_CODES, Finding, joint_code, joint_finding
from ceasefire.reports.daily_registers import Access, InRegime, Joining, access_of, accessions_of
from ceasefire.reports.languages import ReportLanguage, city_in
from ceasefire.store import agreements as agreement_store
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import tallies
from ceasefire.store.actors import load_places
from ceasefire.store.assessments import Measure, MeasureFilter, measures
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.proofs import root as log_root
from ceasefire.store.restrictions import Restriction, query_restrictions

LISTED = 250  # incidents listed one by one; the counts, trend and map hold them all
# which incidents a day with more than LISTED lists: potential violations first
SEVERITY = {
    Classification.POTENTIAL_VIOLATION: 0,
    Classification.EXCLUDED_ACTOR: 1,
    Classification.UNDETERMINED: 2,
    Classification.NOT_COVERED: 3,
    Classification.OUTSIDE_REGIME: 4,
}
MAPPED = 5_000  # incidents drawn on the map
_TICK = timedelta(microseconds=1)  # a window's end is not in it


@dataclass(frozen=True)
class Group:
    """The day's incidents under one regime (None: no regime of the agreement) in one area."""

    regime: Regime | None
    area: str
    incidents: list[StoredIncident]


@dataclass(frozen=True)
class Count:
    code: str
    today: int
    before: int  # the day before

    @property
    def change(self) -> int:
        return self.today - self.before


@dataclass(frozen=True)
class Trend:
    regime: Regime
    counts: list[int]  # one a day, oldest first


@dataclass(frozen=True)
class DailyReport:
    agreement: Agreement
    window: Window
    cutoff: time
    reader: str | None  # the reader's party (None: the agreement's parties, or the operator)
    everything: bool  # the host's operator, who reads every record
    partial: bool  # the reader is not a party of the agreement: its records are left out
    checkpoint_size: int
    checkpoint_root: str  # hex: the ledger's root at that size
    groups: list[Group]
    total: int  # the day's incidents (all of them; ``groups`` lists at most LISTED)
    updated: list[StoredIncident]  # earlier incidents with a finding recorded in the window
    by_classification: list[Count]
    by_joint: list[Count]
    trend_days: list[date]
    trends: list[Trend]
    due: list[Measure]
    done: list[Measure]
    overdue: list[Measure]
    restrictions: list[Restriction]
    joinings: list[Joining]  # who joined or left a regime that day
    in_regimes: list[InRegime]  # how many were in each regime by the day's end
    access: list[Access]  # humanitarian access at the agreement's locations that day
    regimes: list[Regime]
    areas: list[Place]  # admin boundaries under the map
    mapped: list[StoredIncident]

    @property
    def listed(self) -> int:
        return sum(len(g.incidents) for g in self.groups)


def agreement_audience(agreement_id: str) -> Audience:
    """What every party of the agreement may read: open records and the agreement's own.
    An issued report is built for it, so it holds no other agreement's records whichever
    party issues it."""
    return Audience(None, frozenset({agreement_id}))


def build_daily_report(
    db: Database,
    agreement_id: str,
    day: date,
    cutoff: time,
    audience: Audience,
    language: ReportLanguage,
    checkpoint_size: int | None = None,
    checkpoint_root: str | None = None,
) -> DailyReport:
    """The report of ``day`` as of ``cutoff``, built from the store as it was at the
    ledger's checkpoint of ``checkpoint_size`` entries (default: the latest): records
    written after it are left out, and joint findings are those of the assessments made
    by then (``store.tallies``). Built from a snapshot (``services.snapshots``), whose
    database holds no ledger, ``checkpoint_root`` gives the log's root at that size."""
    with db.read() as conn:
        found = agreement_store.load_agreements(conn, agreement_id)
        if not found:
            raise NotFoundError(f"agreement {agreement_id!r} does not exist")
        agreement = found[0]
        size, root = _checkpoint(conn, checkpoint_size, checkpoint_root)
        regimes = agreement_store.load_regimes(conn, agreement_id=agreement_id)
        span = window(day, cutoff, agreement.time_zone)
        before = window(day - timedelta(days=1), cutoff, agreement.time_zone)
        f = IncidentFilter(agreement_id=agreement_id, start=span.start, end=span.end)
        f_before = replace(f, start=before.start, end=before.end)
        today = tallies.began_in(conn, f, audience, span.start, span.end, size)
        earlier = tallies.began_in(conn, f_before, audience, before.start, before.end, size)
        updated_ids = _updated(conn, agreement_id, span, audience, size, {i for i, _ in today})
        ids = [i for i, _ in today + earlier] + updated_ids
        joints = _joints(conn, agreement, ids, audience, size)
        incidents = _incidents(conn, [i for i, _ in today[:MAPPED]], audience, language, joints)
        updated = _incidents(conn, updated_ids, audience, language, joints)[:LISTED]
        trend_days, trends = _trends(conn, agreement, regimes, day, cutoff, audience, size)
        due, done, overdue = _measures(conn, agreement_id, audience, span, size)
        restrictions = _restrictions(conn, agreement_id, regimes, audience, span, size)
        joinings, in_regimes = accessions_of(conn, regimes, day, size)
        access = access_of(conn, agreement_id, regimes, day, size)
        areas = _areas(conn, regimes)
    return DailyReport(
        agreement=agreement,
        window=span,
        cutoff=cutoff,
        reader=audience.party,
        everything=audience.everything,
        partial=audience.party is not None and not audience.sees(agreement_id),
        checkpoint_size=size,
        checkpoint_root=root,
        groups=_groups(incidents[:LISTED], regimes),
        total=len(today),
        updated=updated,
        by_classification=[
            Count(c.value, _count(today, c), _count(earlier, c)) for c in Classification
        ],
        by_joint=_joint_counts(today, earlier, joints),
        trend_days=trend_days,
        trends=trends,
        due=due,
        done=done,
        overdue=overdue,
        restrictions=restrictions,
        joinings=joinings,
        in_regimes=in_regimes,
        access=access,
        regimes=regimes,
        areas=areas,
        mapped=incidents,
    )


def _checkpoint(conn: Connection, size: int | None, root: str | None) -> tuple[int, str]:
    if size is not None and root is not None:
        return size, root
    if size is None:
        latest = checkpoint_store.load_checkpoint(conn)
        size = 0 if latest is None else latest.checkpoint.size
    return size, log_root(conn, size).hex() if size else ""


def _updated(
    conn: Connection,
    agreement_id: str,
    span: Window,
    audience: Audience,
    upto: int,
    new: set[int],
) -> list[int]:
    """The incidents of earlier days a co-chair recorded a finding on during the window,
    when the reader may read the agreement's findings."""
    if not audience.sees(agreement_id):
        return []
    found = tallies.assessed_between(conn, agreement_id, span.start, span.end, upto)
    return [i for i in found if i not in new]


def _count(rows: list[tuple[int, Classification]], classification: Classification) -> int:
    return sum(1 for _, c in rows if c is classification)


def _joints(
    conn: Connection, agreement: Agreement, ids: list[int], audience: Audience, upto: int
) -> dict[int, str]:
    """The joint finding under the agreement of each of these incidents that was assessed
    by the checkpoint; none when the reader may not read the agreement's findings."""
    if not audience.sees(agreement.id):
        return {}
    latest = tallies.findings_upto(conn, ids, agreement.id, upto)
    return {
        incident: joint_code(
            joint_finding(agreement.co_chairs, {p: Finding(f) for p, f in found.items()})
        )
        for incident, found in latest.items()
    }


def _joint_counts(
    today: list[tuple[int, Classification]],
    earlier: list[tuple[int, Classification]],
    joints: dict[int, str],
) -> list[Count]:
    now = Counter(joints.get(i, "none") for i, _ in today)
    then = Counter(joints.get(i, "none") for i, _ in earlier)
    return [Count(code, now[code], then[code]) for code in (*JOINT_CODES, "none")]


def _incidents(
    conn: Connection,
    ids: list[int],
    audience: Audience,
    language: ReportLanguage,
    joints: dict[int, str],
) -> list[StoredIncident]:
    """These incidents, the LISTED most serious first (potential violations, then those
    of excluded actors, undetermined, not covered, outside any regime; by time within each),
    with the
    joint findings as of the checkpoint and, for those listed, their reasons in the
    reader's language."""
    found = incident_store.find_incidents(conn, ids, audience, explain=False)
    found = [replace(i, joint=joints.get(i.id)) for i in found]
    found.sort(key=lambda i: (SEVERITY.get(i.classification, 4), i.time_start, i.id))
    listed = incident_store.explained(
        conn, found[:LISTED], language.gettext, city_in(language.locale)
    )
    listed.sort(key=lambda i: (i.time_start, i.id))
    return listed + found[LISTED:]


def _trends(
    conn: Connection,
    agreement: Agreement,
    regimes: list[Regime],
    day: date,
    cutoff: time,
    audience: Audience,
    upto: int,
) -> tuple[list[date], list[Trend]]:
    spans = trend_windows(day, cutoff, agreement.time_zone)
    f = IncidentFilter(agreement_id=agreement.id, start=spans[0].start, end=spans[-1].end)
    starts = [s.start for s in spans]
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for regime_id, started in tallies.regime_times(
        conn, f, audience, [r.id for r in regimes], upto
    ):
        n = bisect_right(starts, started) - 1  # the day whose window it began in
        if n >= 0 and started < spans[n].end:
            counts[regime_id][n] += 1
    trends = [Trend(r, [counts[r.id][n] for n in range(TREND_DAYS)]) for r in regimes]
    return [s.day for s in spans], trends


def _measures(
    conn: Connection, agreement_id: str, audience: Audience, span: Window, upto: int
) -> tuple[list[Measure], list[Measure], list[Measure]]:
    """Open measures due from the day on, those done, and open ones overdue on the day
    (measures proposed after the cut-off, or after the checkpoint, are not yet known)."""
    found = [
        m
        for m in measures(conn, audience, where=MeasureFilter(agreement_id=agreement_id))
        if m.created < span.end and m.id <= upto
    ]
    due = [m for m in found if m.status.open and m.due is not None and m.due >= span.day]
    done = [m for m in found if m.status is MeasureStatus.DONE]
    overdue = [m for m in found if is_overdue(m.status, m.due, span.day)]
    return due, done, overdue


def _restrictions(
    conn: Connection,
    agreement_id: str,
    regimes: list[Regime],
    audience: Audience,
    span: Window,
    upto: int,
) -> list[Restriction]:
    """Access denied during the window: those filed under the agreement, and open ones in
    the area of its regimes."""
    found = query_restrictions(
        conn, audience, bbox=None, start=span.start, end=span.end - _TICK, limit=MAX_PAGE
    )
    area = shapely.union_all([r.geometry for r in regimes]) if regimes else None
    return [
        r
        for r in found
        if r.id <= upto
        and (
            r.agreement_id == agreement_id
            or (r.agreement_id is None and area is not None and area.covers(Point(r.lon, r.lat)))
        )
    ]


def _areas(conn: Connection, regimes: list[Regime]) -> list[Place]:
    """The admin areas (provinces and districts) the regimes reach, for the map."""
    if not regimes:
        return []
    reach = shapely.union_all([r.geometry for r in regimes]).envelope
    return [
        p for p in load_places(conn) if p.level in ("adm1", "adm2") and p.geometry.intersects(reach)
    ]


def _groups(incidents: list[StoredIncident], regimes: list[Regime]) -> list[Group]:
    """The incidents by the narrowest regime of the agreement that bears on each (a local
    truce before the nationwide one), then by area (province), in the regimes' order."""
    order = {r.id: n for n, r in enumerate(regimes)}
    by_size = sorted(regimes, key=lambda r: (r.geometry.area, order[r.id]))
    grouped: dict[tuple[int, str], list[StoredIncident]] = defaultdict(list)
    for incident in incidents:
        bearing = set(incident.regime_ids)
        regime = next((r for r in by_size if r.id in bearing), None)
        position = len(regimes) if regime is None else order[regime.id]
        grouped[(position, incident.admin1 or incident.place or "")].append(incident)
    return [
        Group(
            None if position == len(regimes) else regimes[position], area, grouped[(position, area)]
        )
        for position, area in sorted(grouped)
    ]
