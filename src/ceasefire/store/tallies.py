"""What the daily report counts, read as of a checkpoint: the incidents a reader may read
that began in a window, each regime's incidents over time, and the co-chairs' findings.

"As of the checkpoint of size N" is read from ids: a record's id comes from the ledger's
sequence of the write that made it (docs/ledger.md §5, "Ids"), so a report, incident,
assessment, measure or restriction existed at the checkpoint exactly when its id is at
most N.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, select

from ceasefire.domain.classification import Classification
from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.incidents import matching_clauses
from ceasefire.store.reports import CHUNK


def began_in(
    conn: Connection,
    f: IncidentFilter,
    audience: Audience,
    start: datetime,
    end: datetime,
    upto: int,
) -> list[tuple[int, Classification]]:
    """(id, classification) of each matching incident that began in ``[start, end)`` and
    existed at the checkpoint of size ``upto``, in id order."""
    c = t.incidents.c
    query = (
        select(c.id, c.classification)
        .where(
            and_(*matching_clauses(conn, f, audience)),
            c.time_start >= start,
            c.time_start < end,
            c.id <= upto,
        )
        .order_by(c.id)
    )
    return [(int(i), Classification(k)) for i, k in conn.execute(query)]


def regime_times(
    conn: Connection, f: IncidentFilter, audience: Audience, regime_ids: Sequence[str], upto: int
) -> list[tuple[str, datetime]]:
    """(regime, start time) of each matching incident, existing at the checkpoint of size
    ``upto``, that each of these regimes bears on."""
    c, ir = t.incidents.c, t.incident_regimes
    query = (
        select(ir.c.regime_id, c.time_start)
        .join(ir, ir.c.incident_id == c.id)
        .where(
            and_(*matching_clauses(conn, f, audience)),
            ir.c.regime_id.in_(list(regime_ids)),
            ir.c.verdict != "outside",
            c.id <= upto,
        )
    )
    return [(str(r), _aware(s)) for r, s in conn.execute(query)]


def findings_upto(
    conn: Connection, incident_ids: Sequence[int], agreement_id: str, upto: int
) -> dict[int, dict[str, str]]:
    """Each incident's latest finding by each party under the agreement, of the
    assessments recorded by the checkpoint of size ``upto`` (the caller checks that the
    reader may read the agreement's findings)."""
    a = t.assessments
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for start in range(0, len(incident_ids), CHUNK):
        query = (
            select(a.c.incident_id, a.c.party_id, a.c.finding)
            .where(
                a.c.incident_id.in_(incident_ids[start : start + CHUNK]),
                a.c.agreement_id == agreement_id,
                a.c.id <= upto,
            )
            .order_by(a.c.id)
        )
        for incident, party, finding in conn.execute(query):
            found[int(incident)][str(party)] = str(finding)
    return found


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def assessed_between(
    conn: Connection, agreement_id: str, start: datetime, end: datetime, upto: int
) -> list[int]:
    """The incidents a finding under the agreement was recorded on in ``[start, end)``, by
    the checkpoint of size ``upto``, in id order (the caller checks that the reader may
    read the agreement's findings)."""
    a = t.assessments
    query = (
        select(a.c.incident_id)
        .where(
            a.c.agreement_id == agreement_id,
            a.c.created >= start,
            a.c.created < end,
            a.c.id <= upto,
        )
        .distinct()
        .order_by(a.c.incident_id)
    )
    return [int(i) for i in conn.execute(query).scalars()]
