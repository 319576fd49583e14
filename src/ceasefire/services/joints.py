"""Each incident's joint finding, derived from the co-chairs' assessments and kept on the
incident (like its classification from its reports), so that the map colours, filters and
counts incidents by it: recomputed whenever an assessment is recorded or findings move with
a merge, filled in for older databases by ``ceasefire init``, and checked by ``ceasefire
ledger verify`` against the assessments. It is made under one agreement, the incident's
own (or the first the assessments name), and shown only to that agreement's parties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, select

from ceasefire.domain.workflow import Finding, agreed_attribution, joint_code, joint_finding
from ceasefire.store import agreements as agreement_store
from ceasefire.store import joints as joint_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database

Joint = tuple[str | None, str | None]  # (joint_code, agreement); (None, None): not assessed


_Latest = dict[str, tuple[Finding, str | None]]  # party -> (finding, attributed actor)


def _assessed(
    conn: Connection, incident_ids: Sequence[int]
) -> dict[int, tuple[str, tuple[str, ...], _Latest]]:
    """Each assessed incident's agreement, that agreement's co-chairs, and each co-chair's
    latest finding and attribution under it."""
    a, i = t.assessments, t.incidents
    history: dict[int, list[tuple[str, str, str, str | None]]] = defaultdict(list)
    scope: dict[int, str | None] = {}
    for start in range(0, len(incident_ids), 500):
        chunk = incident_ids[start : start + 500]
        assessed = conn.execute(
            select(
                a.c.incident_id,
                a.c.agreement_id,
                a.c.party_id,
                a.c.finding,
                a.c.attributed_actor_id,
            )
            .where(a.c.incident_id.in_(chunk))
            .order_by(a.c.id)
        )
        for incident, agreement, party, finding, actor in assessed:
            history[int(incident)].append((str(agreement), str(party), str(finding), actor))
        scopes = conn.execute(select(i.c.id, i.c.agreement_id).where(i.c.id.in_(chunk)))
        scope.update({int(k): v for k, v in scopes})
    co_chairs: dict[str, tuple[str, ...]] = {}
    found: dict[int, tuple[str, tuple[str, ...], _Latest]] = {}
    for incident, rows in history.items():
        agreements = sorted({agreement for agreement, _, _, _ in rows})
        own = scope.get(incident)
        agreement = own if own is not None and own in agreements else agreements[0]
        if agreement not in co_chairs:
            (loaded,) = agreement_store.load_agreements(conn, agreement)
            co_chairs[agreement] = loaded.co_chairs
        latest = {
            party: (Finding(f), actor) for agreed, party, f, actor in rows if agreed == agreement
        }
        found[incident] = (agreement, co_chairs[agreement], latest)
    return found


def joints_of(conn: Connection, incident_ids: Sequence[int]) -> dict[int, Joint]:
    """What each incident's joint finding is, from its assessments now."""
    assessed = _assessed(conn, incident_ids)
    found: dict[int, Joint] = {}
    for incident in incident_ids:
        if incident not in assessed:
            found[incident] = (None, None)
            continue
        agreement, co_chairs, latest = assessed[incident]
        findings = {party: finding for party, (finding, _) in latest.items()}
        found[incident] = (joint_code(joint_finding(co_chairs, findings)), agreement)
    return found


def attributions_of(conn: Connection, incident_ids: Sequence[int]) -> dict[int, str]:
    """The actor the co-chairs' joint finding attributes each incident to, where it does."""
    found: dict[int, str] = {}
    for incident, (_, co_chairs, latest) in _assessed(conn, incident_ids).items():
        actor = agreed_attribution(co_chairs, latest)
        if actor is not None:
            found[incident] = actor
    return found


def refresh_joints(conn: Connection, incident_ids: Sequence[int]) -> None:
    """Store these incidents' joint findings as their assessments give them now."""
    for incident, (joint, agreement) in joints_of(conn, incident_ids).items():
        joint_store.set_joint(conn, incident, joint, agreement)


def fill_joints(db: Database) -> int:
    """Derive the joint finding of every assessed incident that has none stored (a
    database from before migration 0015); how many."""
    a, i = t.assessments, t.incidents
    with db.transaction() as conn:
        missing = list(
            conn.execute(
                select(i.c.id)
                .where(i.c.joint.is_(None), i.c.id.in_(select(a.c.incident_id)))
                .order_by(i.c.id)
            ).scalars()
        )
        refresh_joints(conn, missing)
    return len(missing)
