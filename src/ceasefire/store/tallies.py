"""Counts of the incidents a reader may read, for the daily report: by classification, by
joint finding (as far as the reader may know it), and each regime's incidents over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, case, func, select

from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import within
from ceasefire.store.incidents import matching_clauses


def by_classification(conn: Connection, f: IncidentFilter, audience: Audience) -> dict[str, int]:
    """How many matching incidents have each classification."""
    c = t.incidents.c
    query = (
        select(c.classification, func.count())
        .where(and_(*matching_clauses(conn, f, audience)))
        .group_by(c.classification)
    )
    return {str(k): int(n) for k, n in conn.execute(query)}


def by_joint(conn: Connection, f: IncidentFilter, audience: Audience) -> dict[str, int]:
    """How many matching incidents have each joint finding; ``none``: not assessed, or
    assessed under an agreement the reader is not a party of."""
    c = t.incidents.c
    known = case((and_(c.joint.is_not(None), within(c.joint_agreement, audience)), c.joint))
    query = (
        select(known, func.count())
        .where(and_(*matching_clauses(conn, f, audience)))
        .group_by(known)
    )
    return {str(k) if k is not None else "none": int(n) for k, n in conn.execute(query)}


def regime_times(
    conn: Connection, f: IncidentFilter, audience: Audience, regime_ids: Sequence[str]
) -> list[tuple[str, datetime]]:
    """(regime, start time) of each matching incident each of these regimes bears on."""
    c, ir = t.incidents.c, t.incident_regimes
    query = (
        select(ir.c.regime_id, c.time_start)
        .join(ir, ir.c.incident_id == c.id)
        .where(
            and_(*matching_clauses(conn, f, audience)),
            ir.c.regime_id.in_(list(regime_ids)),
            ir.c.verdict != "outside",
        )
    )
    return [(str(r), _aware(s)) for r, s in conn.execute(query)]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
