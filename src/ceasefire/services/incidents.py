"""Reports become incidents: correlate, summarise, classify and store, in one transaction.

``record_reports`` is the one path every report takes, whether it comes from the API one at
a time or from a million-row import, so the rules run once.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from ceasefire.domain.classification import Assessment
from ceasefire.domain.comparisons import reasons
from ceasefire.domain.correlation import CorrelationSettings, Correlator, Footprint
from ceasefire.domain.errors import ConflictError
from ceasefire.domain.events import Report
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.incidents import summarize
from ceasefire.domain.precision import UNCERTAINTY_RADIUS_M, LocationPrecision, TimePrecision
from ceasefire.domain.visibility import Default, ScopeChoice
from ceasefire.services.ledger import Ledger
from ceasefire.services.rules import Rules
from ceasefire.services.scopes import choose_scope
from ceasefire.services.signing import External, Prepared
from ceasefire.services.writers import Writer
from ceasefire.store import candidates as candidate_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import nearby as nearby_store
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t
from ceasefire.store.incident_rows import incident_row
from ceasefire.store.records import REPORT
from ceasefire.store.reports import StoredReport

_METRES_PER_DEGREE = 111_320.0


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
class Presumed:
    """A filed report's actors and classification, worked out before its write takes the
    log's lock (which every other write waits for) under the rules as last read; the write
    uses them only if those rules are still in force and the report makes a new incident
    of its own, and works them out again otherwise."""

    rules: Rules
    report: Report  # its actors resolved
    alone: Assessment  # of an incident of this report alone

    @classmethod
    def of(cls, ledger: Ledger, report: Report) -> Presumed | None:
        rules = ledger.rules_as_read()
        if rules is None:
            return None
        resolved = rules.resolve_actors(report)
        return cls(rules, resolved, rules.assess_summaries([summarize([resolved])]))


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


def _seed(conn: Connection, correlator: Correlator, reports: Sequence[Report]) -> None:
    """Put the stored incidents a batch could join into the correlator's grid: those near
    it in space and time; for a batch of one source (an import, a filed report), only
    those with a report of another source, since a source's reports never join each
    other's incidents."""
    pad = correlator.settings.widest_m / _METRES_PER_DEGREE * 2
    gap = correlator.settings.max_gap + timedelta(days=1)
    box = BBox(
        max(-180.0, min(r.location.lon for r in reports) - pad),
        max(-90.0, min(r.location.lat for r in reports) - pad),
        min(180.0, max(r.location.lon for r in reports) + pad),
        min(90.0, max(r.location.lat for r in reports) + pad),
    )
    window = IncidentFilter(
        bbox=box,
        start=min(r.time.start for r in reports) - gap,
        end=max(r.time.end for r in reports) + gap,
    )
    sources = {r.source for r in reports}
    other_than = sources if len(sources) == 1 else None
    if other_than is not None and len(reports) > 1 and report_store.stored_sources(conn) <= sources:
        # an import's chunk into a database of its own source alone: nothing stored can be
        # joined, and the window's query would read every incident of those days (~50 ms a
        # chunk at a million incidents); a few index seeks say so (for one filed report
        # they would cost more than they save)
        return
    nearby = nearby_store.footprints_near(conn, window, reported_by_other_than=other_than)
    known = report_store.sources_of(conn, [i.id for i in nearby])
    for incident in nearby:
        correlator.add(
            Footprint(
                key=incident.id,
                lon=incident.lon,
                lat=incident.lat,
                start=incident.time_start.timestamp(),
                end=incident.time_end.timestamp(),
                precision=TimePrecision(incident.time_precision),
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
    writer: Writer, rules: Rules, groups: list[_Group], alone: Assessment | None = None
) -> tuple[list[int], Sequence[int]]:
    """Summarise and classify each group's incident, inserting the new ones and updating
    those stored; returns every group's incident id, and the new ids. ``alone``: the
    classification of one new incident of the batch's reports alone, already known."""
    conn = writer.conn
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
    new_ids = incident_store.insert_incidents(
        conn, [rows[i] for i in fresh], writer.new_ids(t.incidents, len(fresh))
    )
    ids: list[int] = [g.existing_id or 0 for g in groups]
    for i, new_id in zip(fresh, new_ids, strict=True):
        ids[i] = new_id
    incident_store.update_incidents(
        conn, {g.existing_id: rows[i] for i, g in enumerate(groups) if g.existing_id is not None}
    )
    incident_store.set_regimes(conn, ids, assessment, fresh=not old_ids)
    return ids, new_ids


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
    conn = writer.conn
    correlator = Correlator(settings)
    _seed(conn, correlator, reports)
    proposals: list[_Proposal] = []
    groups = _group(correlator, reports, proposals)
    ids, new_ids = _store_incidents(writer, rules, groups, alone)
    _propose(conn, proposals, groups, ids)
    incident_of = {id(r): ids[i] for i, g in enumerate(groups) for r in g.reports}
    rows = [report_store.report_row(r, incident_of[id(r)]) for r in reports]
    report_ids = report_store.insert_reports(conn, rows, writer.new_ids(t.reports, len(reports)))
    writer.inserted("report.created", REPORT, rows)
    return Recorded(
        created=len(new_ids),
        joined=sum(len(g.reports) for g in groups if g.existing_id is not None),
        stored=tuple(
            StoredReport(i, incident_of[id(r)], r) for i, r in zip(report_ids, reports, strict=True)
        ),
    )


def submit_report(
    ledger: Ledger,
    report: Report,
    settings: CorrelationSettings | None = None,
    *,
    author: str | None = None,
    external: External | None = None,
    scope: ScopeChoice = Default.AGREEMENT,
) -> StoredReport:
    """File one report; it joins or creates an incident of its scope (``scope``: the
    agreement whose parties alone read it, None for every party, or by default the
    author's one agreement). ``external``: the author signs the entry itself (see
    ``services.ledger.External``)."""
    presumed = Presumed.of(ledger, report)  # before the log's lock: less work under it
    with ledger.write(author, external=external) as writer:
        stored = file_report(writer, report, settings, scope=scope, presumed=presumed)
    return replace(stored, ledger_index=writer.indexes.get(REPORT.record([stored.id])))


def prepare_report(
    ledger: Ledger,
    report: Report,
    settings: CorrelationSettings | None = None,
    *,
    author: str,
    scope: ScopeChoice = Default.AGREEMENT,
) -> Prepared:
    """The entry filing this report would append, for ``author``, which holds its own key,
    to sign; nothing is stored."""
    return ledger.prepare(author, lambda writer: file_report(writer, report, settings, scope=scope))


def file_report(
    writer: Writer,
    report: Report,
    settings: CorrelationSettings | None = None,
    *,
    scope: ScopeChoice = Default.AGREEMENT,
    presumed: Presumed | None = None,
) -> StoredReport:
    """``submit_report`` inside a write that may do more (sharing a draft deletes it)."""
    conn = writer.conn
    if report_store.existing_source_ids(conn, report.source, [report.source_id]):
        raise ConflictError(f"report {report.source}/{report.source_id} exists already")
    chosen = choose_scope(conn, writer.author, scope, audience=writer.audience())
    rules = writer.rules()
    if presumed is not None and presumed.rules is not rules:
        presumed = None  # an entry changed the rules since: work it out under these
    resolved = presumed.report if presumed is not None else rules.resolve_actors(report)
    recorded = record_reports(
        writer,
        rules,
        [replace(resolved, agreement_id=chosen)],
        settings or CorrelationSettings(),
        alone=None if presumed is None else presumed.alone,
    )
    return recorded.stored[0]
