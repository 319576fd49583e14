"""Checking what is derived from the records: every incident's summary, classification and
verdicts must be what its reports and the regimes give now, and its joint finding what its
assessments give.

Incidents are not ledger records (docs/ledger.md §5): they are computed from reports and
regimes, which are. ``check_incidents`` computes them again, as the services do when they
write them, and names each incident whose stored columns or verdicts differ, so that a
classification changed behind the ledger's back is found like any changed record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from ceasefire.domain.errors import CeasefireError
from ceasefire.ledger.verifier import LogVerifier
from ceasefire.services.derivations import derived_rows
from ceasefire.services.joints import joints_of
from ceasefire.services.rules import Rules
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store import incidents as incident_store
from ceasefire.store import joints as joint_store
from ceasefire.store import reports as report_store
from ceasefire.store.incident_rows import StoredIncident

BATCH = 5_000
# what reading a row changed behind the ledger's back may raise: reported, not a crash
UNREADABLE = (CeasefireError, ValueError, TypeError, KeyError)


def _stored_row(incident: StoredIncident) -> dict[str, Any]:
    return {
        "time_start": incident.time_start,
        "time_end": incident.time_end,
        "time_precision": incident.time_precision,
        "lon": incident.lon,
        "lat": incident.lat,
        "location_precision": incident.location_precision,
        "place": incident.place,
        "admin1": incident.admin1,
        "admin2": incident.admin2,
        "country": incident.country,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "actor_ids": sorted(incident.actor_ids),
        "claims": [[source, list(ids)] for source, ids in incident.claims],
        "classification": incident.classification.value,
        "attribution_disputed": incident.attribution_disputed,
        "clipped_to": incident.clipped_to,
        "attributed_actor": incident.attributed_actor,
        "report_count": incident.report_count,
        "agreement_id": incident.agreement_id,
        "sources": incident.sources,
    }


def check_incidents(
    conn: Connection, verifier: LogVerifier, progress: Callable[[int, int], None] | None = None
) -> int:
    """Compare every stored incident with what its reports and the regimes give; the
    number of incidents checked."""
    try:
        rules = Rules.load(conn)
    except UNREADABLE as error:  # a regime or place the rows no longer describe
        verifier.problem("incidents", f"cannot be computed again: {error}")
        return 0
    ids = incident_store.all_incident_ids(conn)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        try:
            _check_chunk(conn, rules, verifier, chunk)
        except UNREADABLE as error:  # rows the domain no longer reads
            verifier.problem(
                f"incidents {chunk[0]}–{chunk[-1]}", f"cannot be computed again: {error}"
            )
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)


def _check_chunk(conn: Connection, rules: Rules, verifier: LogVerifier, chunk: list[int]) -> None:
    stored = incident_store.get_incidents(conn, chunk, EVERYTHING, explain=False)
    members = report_store.reports_of(conn, chunk)
    for incident in stored:
        if not members.get(incident.id):
            verifier.problem(f"incident {incident.id}", "has no reports")
    kept = [i for i in stored if members.get(i.id)]
    wanted, assessment = derived_rows(conn, rules, [i.id for i in kept])
    verdicts = assessment.columns([i.id for i in kept])
    expected: dict[int, set[tuple[str, str, int, int]]] = {i.id: set() for i in kept}
    for row in zip(*verdicts.values(), strict=True):
        expected[row[0]].add((row[1], row[2], int(row[3]), int(row[4])))
    joints = joints_of(conn, [i.id for i in kept])
    stored_joint = joint_store.stored_joints(conn, [i.id for i in kept])
    for incident, want in zip(kept, wanted, strict=True):
        have = _stored_row(incident)
        differ = sorted(k for k in want if want[k] != have[k])
        stored_verdicts = {
            (v.regime_id, v.verdict.value, int(v.space), int(v.timing)) for v in incident.verdicts
        }
        if stored_verdicts != expected[incident.id]:
            differ.append("verdicts")
        if joints[incident.id] != stored_joint[incident.id]:
            differ.append("joint")
        if differ:
            verifier.problem(
                f"incident {incident.id}",
                "differs from what its reports and the regimes give: "
                + ", ".join(repr(d) for d in differ),
            )
