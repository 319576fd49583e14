"""Reports become incidents: correlate, summarise, classify and store, in one transaction.

``store_reports`` is the one path every report takes, whether it comes from the API (one
at a time, or several filed together: ``services.incidents``) or from a million-row import
(``record_reports``), so the rules run once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from ceasefire.domain.classification import Assessment
from ceasefire.domain.comparisons import reasons
from ceasefire.domain.correlation import CorrelationSettings, Correlator, Footprint, correlates
from ceasefire.domain.events import Report
from ceasefire.domain.incidents import summarize
from ceasefire.domain.precision import UNCERTAINTY_RADIUS_M, LocationPrecision, TimePrecision
from ceasefire.domain.visibility import Audience
from ceasefire.domain.windows import Spot, windows
from ceasefire.services.rules import Rules
from ceasefire.services.writers import Writer
from ceasefire.store import candidates as candidate_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import nearby as nearby_store
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t
from ceasefire.store.incident_rows import incident_row
from ceasefire.store.records import REPORT
from ceasefire.store.reports import StoredReport


@dataclass(slots=True)
class _Group:
    existing_id: int | None
    reports: list[Report] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Proposal:
    """A report's incident and another incident it may be one event with."""

    own: Hashable
    other: Hashable
    score: float
    reasons: str
    scope: str | None


@dataclass(frozen=True, slots=True)
class Recorded:
    created: int  # incidents created
    joined: int  # reports that joined an incident already stored
    stored: tuple[StoredReport, ...] = ()  # the reports, with their ids and incidents


def footprint(report: Report, key: object = None) -> Footprint:
    return Footprint(
        key=key,
        lon=report.location.lon,
        lat=report.location.lat,
        start=report.time.start.timestamp(),
        end=report.time.end.timestamp(),
        precision=report.time.precision,
        event_type=report.event_type,
        actor_ids=frozenset(a.actor_id for a in report.actors if a.actor_id),
        sources={report.source},
        scope=report.agreement_id,
        radius_m=UNCERTAINTY_RADIUS_M[report.location.precision],
        sub_event_type=report.sub_event_type,
    )


def _seed(
    conn: Connection, correlator: Correlator, reports: Sequence[Report], *, bulk: bool
) -> None:
    """Put the stored incidents a batch could join into the correlator's grid: those near
    it in space and time (a few windows around its reports: ``domain.windows``); for a
    batch of one source (an import, a filed report), only those with a report of another
    source, since a source's reports never join each other's incidents. ``bulk``: an
    import's chunk (reports filed together are not: ``services.incidents``). Each
    incident's sources come with it (``incidents.sources``).

    The windows are drawn around the reports known to their week or better alone: one known
    only to its month or year joins nothing (``correlation.correlates``), and a window
    around it spanned that month or year: an import's chunk of twenty reports then read
    ~10,000 incidents and held the log's lock 300-400 ms."""
    reports = [r for r in reports if correlates(r.time.precision)]
    if not reports:
        return
    sources = {r.source for r in reports}
    other_than = sources if len(sources) == 1 else None
    every = Audience.operator()  # the sources of every scope's reports
    if other_than is not None and bulk and report_store.stored_sources(conn, every) <= sources:
        # an import's chunk into a database of its own source alone: nothing stored can be
        # joined, and the windows' query would read every incident of those days (~50 ms a
        # chunk at a million incidents); a few index seeks say so (for one filed report
        # they would cost more than they save, as for reports filed together)
        return
    around = windows(
        [Spot(r.location.lon, r.location.lat, r.time.start, r.time.end) for r in reports],
        reach_m=correlator.settings.widest_m,
        gap=correlator.settings.max_gap + timedelta(days=1),
    )
    nearby = nearby_store.footprints_near(conn, around, reported_by_other_than=other_than)
    known = {i.id: set(json.loads(i.sources)) for i in nearby if i.sources is not None}
    unknown = [i.id for i in nearby if i.sources is None]  # not derived since 0026
    if unknown:
        known.update(report_store.sources_of(conn, unknown))
    for incident in nearby:
        precision = TimePrecision(incident.time_precision)
        if not correlates(precision):
            continue  # the correlator would leave it out: not worth building
        correlator.add(
            Footprint(
                key=incident.id,
                lon=incident.lon,
                lat=incident.lat,
                start=incident.time_start.timestamp(),
                end=incident.time_end.timestamp(),
                precision=precision,
                event_type=incident.event_type,
                actor_ids=frozenset(incident.actor_ids),
                sources=known.get(incident.id, set()),
                scope=incident.agreement_id,
                radius_m=UNCERTAINTY_RADIUS_M[LocationPrecision(incident.location_precision)],
                sub_event_type=incident.sub_event_type,
            )
        )


def _group(
    correlator: Correlator, reports: Sequence[Report], proposals: list[_Proposal]
) -> list[_Group]:
    groups: list[_Group] = []
    by_key: dict[Hashable, _Group] = {}
    for report in reports:
        mark = footprint(report)
        match, others = correlator.consider(mark)
        if match is None:
            mark.key = ("new", len(groups))
            correlator.add(mark)
            key: Hashable = mark.key
            existing = None
        else:
            correlator.join(match, mark)
            key = match.key
            existing = match.key if isinstance(match.key, int) else None  # stored: keyed by id
        for other, found in others:
            text = reasons(other, mark, found)
            proposals.append(_Proposal(key, other.key, found.score, text, report.agreement_id))
        group = by_key.get(key)
        if group is None:
            group = by_key[key] = _Group(existing_id=existing)
            groups.append(group)
        group.reports.append(report)
    return groups


def _propose(
    conn: Connection, proposals: list[_Proposal], groups: list[_Group], ids: list[int]
) -> None:
    """Keep the candidate pairs of the incidents the batch touched (by their ids now)."""
    if not proposals:
        return
    id_of: dict[Hashable, int] = {("new", i): ids[i] for i, g in enumerate(groups)}
    now = datetime.now(UTC)
    found = []
    for p in proposals:
        a = id_of.get(p.own, p.own)
        b = id_of.get(p.other, p.other)
        if isinstance(a, int) and isinstance(b, int) and a != b:
            low, high = candidate_store.pair(a, b)
            found.append(candidate_store.Candidate(low, high, round(p.score, 4), p.reasons,
                                                   p.scope, now))  # fmt: skip
    candidate_store.propose(conn, found)


def _store_incidents(
    conn: Connection,
    rules: Rules,
    groups: list[_Group],
    new_ids: Sequence[int],
    alone: Assessment | None = None,
) -> list[int]:
    """Summarise and classify each group's incident, inserting the new ones (with
    ``new_ids``, in order) and updating those stored; every group's incident id.
    ``alone``: the classification of one new incident of the batch's reports alone,
    already known."""
    old_ids = [g.existing_id for g in groups if g.existing_id is not None]
    stored = report_store.reports_of(conn, old_ids)
    members = [
        [s.report for s in stored.get(g.existing_id, [])] + g.reports
        if g.existing_id
        else g.reports
        for g in groups
    ]
    summaries = [summarize(m) for m in members]
    if alone is not None and len(groups) == 1 and not old_ids:
        assessment = alone
    else:
        assessment = rules.assess_summaries(summaries)
    rows = [
        incident_row(s, c, len(m))
        for s, c, m in zip(summaries, assessment.outcomes(), members, strict=True)
    ]
    fresh = [i for i, g in enumerate(groups) if g.existing_id is None]
    created = incident_store.insert_incidents(conn, [rows[i] for i in fresh], new_ids)
    ids: list[int] = [g.existing_id or 0 for g in groups]
    for i, new_id in zip(fresh, created, strict=True):
        ids[i] = new_id
    incident_store.update_incidents(
        conn, {g.existing_id: rows[i] for i, g in enumerate(groups) if g.existing_id is not None}
    )
    incident_store.set_regimes(conn, ids, assessment, fresh=not old_ids)
    return ids


def record_reports(
    writer: Writer,
    rules: Rules,
    reports: Sequence[Report],
    settings: CorrelationSettings,
    alone: Assessment | None = None,
) -> Recorded:
    """Store new reports (actors already resolved) as incidents: each joins a stored or new
    incident it correlates with; every incident touched is summarised and classified
    (``alone``: the classification of a new incident of these reports alone, under
    ``rules``, when it is known already)."""
    if not reports:
        return Recorded(0, 0)
    recorded, rows = store_reports(
        writer.conn,
        rules,
        reports,
        settings,
        incident_ids=lambda first: writer.new_ids(t.incidents, len(first)),
        report_ids=writer.new_ids(t.reports, len(reports)),
        alone=alone,
        bulk=len(reports) > 1,
    )
    writer.inserted("report.created", REPORT, rows)
    return recorded


def store_reports(
    conn: Connection,
    rules: Rules,
    reports: Sequence[Report],
    settings: CorrelationSettings,
    *,
    incident_ids: Callable[[list[int]], Sequence[int]],
    report_ids: Sequence[int],
    alone: Assessment | None = None,
    bulk: bool = False,
) -> tuple[Recorded, list[dict[str, Any]]]:
    """``record_reports``, with the reports' ids given, and ``incident_ids(first)`` giving
    the new incidents' (``first``: the place among ``reports`` of each one's first report);
    the reports' rows, for their entries (whose writes the caller keeps). ``bulk``: an
    import's chunk (``_seed``)."""
    correlator = Correlator(settings)
    _seed(conn, correlator, reports, bulk=bulk)
    proposals: list[_Proposal] = []
    groups = _group(correlator, reports, proposals)
    place = {id(r): i for i, r in enumerate(reports)}
    new_ids = incident_ids([place[id(g.reports[0])] for g in groups if g.existing_id is None])
    ids = _store_incidents(conn, rules, groups, new_ids, alone)
    _propose(conn, proposals, groups, ids)
    incident_of = {id(r): ids[i] for i, g in enumerate(groups) for r in g.reports}
    rows = [report_store.report_row(r, incident_of[id(r)]) for r in reports]
    stored_ids = report_store.insert_reports(conn, rows, report_ids)
    recorded = Recorded(
        created=len(new_ids),
        joined=sum(len(g.reports) for g in groups if g.existing_id is not None),
        stored=tuple(
            StoredReport(i, incident_of[id(r)], r) for i, r in zip(stored_ids, reports, strict=True)
        ),
    )
    return recorded, rows
