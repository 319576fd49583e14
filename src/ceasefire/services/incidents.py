"""Reports become incidents: correlate, summarise, classify and store, in one transaction.

``record_reports`` is the one path every report takes, whether it comes from the API one at
a time or from a million-row import, so the rules run once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from ceasefire.domain.correlation import CorrelationSettings, Correlator, Footprint
from ceasefire.domain.errors import ConflictError, InvalidInputError, PermissionDeniedError
from ceasefire.domain.events import Report
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.incidents import summarize
from ceasefire.domain.precision import TimePrecision
from ceasefire.domain.visibility import Audience, Default, ScopeChoice
from ceasefire.services.ledger import Ledger
from ceasefire.services.rules import Rules
from ceasefire.services.scopes import EVERYTHING, choose_scope
from ceasefire.services.signing import External, Prepared
from ceasefire.services.writers import Writer
from ceasefire.store import assessments as assessment_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.incidents import StoredIncident
from ceasefire.store.records import ASSESSMENT, MEASURE, REPORT
from ceasefire.store.reports import StoredReport

_METRES_PER_DEGREE = 111_320.0


@dataclass(slots=True)
class _Group:
    existing_id: int | None
    reports: list[Report] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Recorded:
    created: int  # incidents created
    joined: int  # reports that joined an incident already stored


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
    )


def _seed(conn: Connection, correlator: Correlator, reports: Sequence[Report]) -> None:
    """Put the stored incidents a batch could join into the correlator's grid. Incidents
    whose reports all come from the batch's own sources cannot be joined, so a single-source
    import into its own database skips this query."""
    if not report_store.other_sources_exist(conn, {r.source for r in reports}):
        return
    pad = correlator.settings.max_distance_m / _METRES_PER_DEGREE * 2
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
    nearby = incident_store.incidents_near(conn, window)
    sources: dict[int, set[str]] = defaultdict(set)
    for stored in report_store.reports_of(conn, [i.id for i in nearby]).values():
        for s in stored:
            sources[s.incident_id].add(s.report.source)
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
                sources=sources[incident.id],
                scope=incident.agreement_id,
            )
        )


def _group(correlator: Correlator, reports: Sequence[Report]) -> list[_Group]:
    groups: list[_Group] = []
    by_key: dict[Hashable, _Group] = {}
    for report in reports:
        mark = footprint(report)
        match = correlator.match(mark)
        if match is None:
            mark.key = ("new", len(groups))
            correlator.add(mark)
            key: Hashable = mark.key
            existing = None
        else:
            correlator.join(match, mark)
            key = match.key
            existing = match.key if isinstance(match.key, int) else None  # stored: keyed by id
        group = by_key.get(key)
        if group is None:
            group = by_key[key] = _Group(existing_id=existing)
            groups.append(group)
        group.reports.append(report)
    return groups


def record_reports(
    writer: Writer, rules: Rules, reports: Sequence[Report], settings: CorrelationSettings
) -> Recorded:
    """Store new reports (actors already resolved) as incidents: each joins a stored or new
    incident it correlates with; every incident touched is summarised and classified."""
    if not reports:
        return Recorded(0, 0)
    conn = writer.conn
    correlator = Correlator(settings)
    _seed(conn, correlator, reports)
    groups = _group(correlator, reports)
    old_ids = [g.existing_id for g in groups if g.existing_id is not None]
    stored = report_store.reports_of(conn, old_ids)
    members = [
        [s.report for s in stored.get(g.existing_id, [])] + g.reports
        if g.existing_id
        else g.reports
        for g in groups
    ]
    summaries = [summarize(m) for m in members]
    assessment = rules.assess_summaries(summaries)
    rows = [
        incident_store.incident_row(s, c, len(m))
        for s, c, m in zip(summaries, assessment.classifications(), members, strict=True)
    ]
    fresh = [i for i, g in enumerate(groups) if g.existing_id is None]
    new_ids = incident_store.insert_incidents(
        conn, [rows[i] for i in fresh], writer.new_ids(t.incidents, len(fresh))
    )
    ids: list[int] = [g.existing_id or 0 for g in groups]
    for i, new_id in zip(fresh, new_ids, strict=True):
        ids[i] = new_id
    for i, group in enumerate(groups):
        if group.existing_id is not None:
            incident_store.update_incident(conn, group.existing_id, rows[i])
    incident_store.set_regimes(conn, ids, assessment, fresh=not old_ids)
    incident_of = {id(r): ids[i] for i, g in enumerate(groups) for r in g.reports}
    report_ids = report_store.insert_reports(
        conn,
        [report_store.report_row(r, incident_of[id(r)]) for r in reports],
        writer.new_ids(t.reports, len(reports)),
    )
    writer.changed("report.created", REPORT, [(i,) for i in report_ids], new=True)
    return Recorded(
        created=len(new_ids),
        joined=sum(len(g.reports) for g in groups if g.existing_id is not None),
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
    with ledger.write(author, external=external) as writer:
        return file_report(writer, report, settings, scope=scope)


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
) -> StoredReport:
    """``submit_report`` inside a write that may do more (sharing a draft deletes it)."""
    conn = writer.conn
    if report_store.existing_source_ids(conn, report.source, [report.source_id]):
        raise ConflictError(f"report {report.source}/{report.source_id} exists already")
    chosen = choose_scope(conn, writer.author, scope)
    rules = writer.rules()
    resolved = replace(rules.resolve_actors(report), agreement_id=chosen)
    record_reports(writer, rules, [resolved], settings or CorrelationSettings())
    report_id = report_store.report_id(conn, report.source, report.source_id)
    return report_store.get_reports(conn, [report_id], EVERYTHING)[0]


def _refresh(conn: Connection, rules: Rules, incident_ids: Sequence[int]) -> None:
    """Summarise and classify incidents again from their reports."""
    stored = report_store.reports_of(conn, incident_ids)
    members = [[s.report for s in stored[i]] for i in incident_ids]
    summaries = [summarize(m) for m in members]
    assessment = rules.assess_summaries(summaries)
    classes = assessment.classifications()
    for incident_id, summary, found, m in zip(
        incident_ids, summaries, classes, members, strict=True
    ):
        incident_store.update_incident(
            conn, incident_id, incident_store.incident_row(summary, found, len(m))
        )
    incident_store.set_regimes(conn, incident_ids, assessment)


@dataclass(frozen=True, slots=True)
class Merged:
    """A merge: the incident that lives on, the ids merged into it (which answer 410 from
    now on), and the records that moved with them."""

    incident: StoredIncident
    merged_ids: tuple[int, ...]
    reports: tuple[int, ...]
    assessments: tuple[int, ...]
    measures: tuple[int, ...]


def merge_incidents(
    ledger: Ledger,
    incident_ids: Sequence[int],
    *,
    author: str | None = None,
    audience: Audience = EVERYTHING,
) -> Merged:
    """Merge incidents an analyst judges to be one event; the smallest id survives and the
    others are never used again. They must be of one scope, and the analyst's party
    (``audience``) must read them all, and every agreement their findings are under: the
    reports, assessments and response measures of the others move to the survivor, each
    with an ``incident.merged`` entry, and its joint findings follow from the assessments
    it now holds."""
    unique = sorted(set(incident_ids))
    if len(unique) < 2:
        raise InvalidInputError("incident_ids", "name at least two different incidents to merge")
    with ledger.write(author) as writer:
        conn = writer.conn
        found = incident_store.get_incidents(conn, unique, audience, explain=False)
        scopes = {i.agreement_id for i in found}
        if len(scopes) > 1:
            raise InvalidInputError(
                "incident_ids",
                "incidents of different scopes cannot be merged: "
                + ", ".join(f"{i.id} ({i.agreement_id or 'open'})" for i in found),
            )
        keep, others = unique[0], unique[1:]
        findings = assessment_store.findings_on(conn, others)
        hidden = sorted(
            {a for records in findings.values() for _, a in records if not audience.sees(a)}
        )
        if hidden:
            raise PermissionDeniedError(
                f"incidents {', '.join(map(str, others))} carry findings under {hidden[0]}, "
                f"which {audience.party} is not a party of: only its parties merge them"
            )
        moving = [s.id for i in others for s in report_store.reports_of(conn, [i]).get(i, [])]
        report_store.move_reports(conn, moving, keep)
        assessment_store.move_findings(conn, others, keep)
        writer.changed("incident.merged", REPORT, [(i,) for i in moving])
        writer.changed("incident.merged", ASSESSMENT, [(i,) for i, _ in findings["assessment"]])
        writer.changed("incident.merged", MEASURE, [(i,) for i, _ in findings["measure"]])
        incident_store.record_merges(conn, others, keep, by=writer.author, at=datetime.now(UTC))
        incident_store.delete_incidents(conn, others)
        _refresh(conn, Rules.load(conn), [keep])
        return Merged(
            incident_store.get_incidents(conn, [keep], EVERYTHING)[0],
            tuple(others),
            tuple(moving),
            tuple(i for i, _ in findings["assessment"]),
            tuple(i for i, _ in findings["measure"]),
        )


def split_incident(
    ledger: Ledger,
    incident_id: int,
    report_ids: Sequence[int],
    *,
    author: str | None = None,
    audience: Audience = EVERYTHING,
) -> tuple[StoredIncident, StoredIncident]:
    """Move some of an incident's reports to a new incident of their own (of the same
    scope); the analyst's party (``audience``) must read the incident."""
    wanted = sorted(set(report_ids))
    if not wanted:
        raise InvalidInputError("report_ids", "name at least one report to split off")
    with ledger.write(author) as writer:
        conn = writer.conn
        incident_store.get_incidents(conn, [incident_id], audience, explain=False)
        own = {s.id for s in report_store.reports_of(conn, [incident_id]).get(incident_id, [])}
        strangers = [r for r in wanted if r not in own]
        if strangers:
            raise InvalidInputError(
                "report_ids", f"report {strangers[0]} is not part of incident {incident_id}"
            )
        if len(wanted) == len(own):
            raise InvalidInputError(
                "report_ids", f"splitting off every report would leave incident {incident_id} empty"
            )
        rules = Rules.load(conn)
        moving = report_store.get_reports(conn, wanted, EVERYTHING)
        summary = summarize([s.report for s in moving])
        (found,) = rules.assess_summaries([summary]).classifications()
        (new_id,) = incident_store.insert_incidents(
            conn,
            [incident_store.incident_row(summary, found, len(moving))],
            writer.new_ids(t.incidents),
        )
        report_store.move_reports(conn, wanted, new_id)
        writer.changed("incident.split", REPORT, [(i,) for i in wanted])
        _refresh(conn, rules, [incident_id, new_id])
        kept, new = incident_store.get_incidents(conn, [incident_id, new_id], EVERYTHING)
        return kept, new


def _reassess(conn: Connection, rules: Rules, incidents: Sequence[StoredIncident]) -> list[str]:
    """Classify stored incidents again; their new classifications."""
    assessment = rules.assess_stored(incidents)
    found = assessment.classifications()
    for incident, classification in zip(incidents, found, strict=True):
        if classification is not incident.classification:
            incident_store.update_incident(
                conn, incident.id, {"classification": classification.value}
            )
    incident_store.set_regimes(conn, [i.id for i in incidents], assessment)
    return [c.value for c in found]


def resolve_actors_again(ledger: Ledger, *, batch: int = 10_000, author: str | None = None) -> int:
    """Resolve the actors every stored report names against the actors known now (a
    scenario loaded after an import brings them), and give each incident the union of its
    reports' actors. Returns how many incidents changed."""
    touched: set[int] = set()
    with ledger.write(author) as writer:
        conn = writer.conn
        rules = Rules.load(conn)
        after: int | None = None
        while page := report_store.list_reports(
            conn, EVERYTHING, source=None, after_id=after, limit=batch
        ):
            for stored in page:
                resolved = rules.resolve_actors(stored.report).actors
                if resolved != stored.report.actors:
                    report_store.set_actors(conn, stored.id, resolved)
                    writer.changed("report.actors_resolved", REPORT, [(stored.id,)])
                    touched.add(stored.incident_id)
            after = page[-1].id
        ids = sorted(touched)
        for incident_id, reports in report_store.reports_of(conn, ids).items():
            actor_ids = sorted({a.actor_id for r in reports for a in r.report.actors if a.actor_id})
            incident_store.update_incident(conn, incident_id, {"actor_ids": actor_ids})
    return len(touched)


def reclassify_area(conn: Connection, rules: Rules, area: BBox) -> int:
    """Classify again the incidents inside an area (after a regime there changed)."""
    return len(
        _reassess(conn, rules, incident_store.incidents_near(conn, IncidentFilter(bbox=area)))
    )


def reclassify(
    db: Database, *, batch: int = 10_000, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Classify every stored incident again (after regimes change); counts per class."""
    counts: dict[str, int] = defaultdict(int)
    with db.transaction() as conn:
        rules = Rules.load(conn)
        ids = incident_store.all_incident_ids(conn)
        for start in range(0, len(ids), batch):
            chunk = incident_store.get_incidents(
                conn, ids[start : start + batch], EVERYTHING, explain=False
            )
            for value in _reassess(conn, rules, chunk):
                counts[value] += 1
            if progress is not None:
                progress(min(start + batch, len(ids)), len(ids))
    return dict(counts)
