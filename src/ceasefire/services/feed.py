"""The live feed: which incidents changed since a point in the ledger.

The ledger is the change log: every write that touches an incident appends entries about
its reports (``report.created``, ``incident.merged``, ``incident.split``,
``report.actors_resolved``) in the write's own transaction, with increasing sequences. A
subscriber keeps the last sequence it has seen and asks for what came after; this works
across API workers and for writes made by the command line, with nothing but the
database. A write that classifies incidents anew without an entry about their reports (a
designation list changed, a regime added or extended, an area of control recorded) notes
them in ``reclassifications`` at its first entry's sequence, and the feed sends them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ceasefire.domain.filters import IncidentFilter, admits
from ceasefire.domain.visibility import Audience
from ceasefire.store import incidents as incident_store
from ceasefire.store import tables as t
from ceasefire.store.audiences import within
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.ledger import DatabaseLog

FEED_KINDS = ("report.created", "incident.merged", "incident.split", "report.actors_resolved")
# findings and measures change an incident too (its joint finding, its file): the feed sends
# the incident, to the readers of the agreement they were made under
FINDING_KINDS = {
    "assessment": ("assessment.recorded", "assessment.revised", "incident.merged"),
    "measure": (
        "measure.proposed", "measure.agreed", "measure.done", "measure.withdrawn",
        "measure.commented", "incident.merged",
    ),
}  # fmt: skip
MAX_BATCH = 5_000  # entries read per poll


@dataclass(frozen=True)
class Change:
    sequence: int  # the latest ledger entry that changed the incident
    incident: StoredIncident


def latest_sequence(db: Database) -> int:
    """The last sequence written: a new subscriber's starting point."""
    with db.read() as conn:
        return DatabaseLog(conn).size - 1


def changes_since(db: Database, after: int, audience: Audience) -> tuple[int, list[Change]]:
    """The incidents the audience may read that entries after ``after`` changed, each
    once, in the order of their latest change; and the last sequence read (the next
    ``after``)."""
    e, r = t.ledger_entries, t.reports
    with db.read() as conn:
        rows = conn.execute(
            select(e.c.sequence, e.c.kind, e.c.record)
            .where(e.c.sequence > after)
            .order_by(e.c.sequence)
            .limit(MAX_BATCH)
        ).all()
        if not rows:
            return after, []
        last = int(rows[-1].sequence)
        latest: dict[str, dict[int, int]] = {"report": {}, "assessment": {}, "measure": {}}
        for row in rows:
            kind, _, key = row.record.partition(":")
            if row.kind in (FEED_KINDS if kind == "report" else FINDING_KINDS.get(kind, ())):
                latest[kind][int(key)] = int(row.sequence)
        by_incident: dict[int, int] = {}
        for kind, table in (
            ("report", r),
            ("assessment", t.assessments),
            ("measure", t.response_measures),
        ):
            if not latest[kind]:
                continue
            query = select(table.c.id, table.c.incident_id).where(
                table.c.id.in_(list(latest[kind]))
            )
            if kind != "report":  # a finding is its agreement's parties' business
                query = query.where(within(table.c.agreement_id, audience))
            for record_id, incident_id in conn.execute(query):
                by_incident[int(incident_id)] = max(
                    by_incident.get(int(incident_id), -1), latest[kind][int(record_id)]
                )
        rc = t.reclassifications.c
        for sequence, incident_id in conn.execute(
            select(rc.sequence, rc.incident_id).where((rc.sequence > after) & (rc.sequence <= last))
        ):
            by_incident[int(incident_id)] = max(by_incident.get(int(incident_id), -1), sequence)
        if not by_incident:
            return last, []
        incidents = incident_store.find_incidents(conn, sorted(by_incident), audience)
    changes = [Change(by_incident[i.id], i) for i in incidents]
    changes.sort(key=lambda c: c.sequence)
    return last, changes


def wanted(f: IncidentFilter, incident: StoredIncident) -> bool:
    return admits(
        f,
        lon=incident.lon,
        lat=incident.lat,
        start=incident.time_start,
        end=incident.time_end,
        classification=incident.classification,
        regime_ids=incident.regime_ids,
        event_type=incident.event_type,
        agreement_id=incident.agreement_id,
        joint=incident.joint,
    )
