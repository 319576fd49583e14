"""Assessments (every revision a row) and response measures with their comments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, not_, select

from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.measures import MeasureKind, MeasureStatus
from ceasefire.domain.visibility import Audience
from ceasefire.domain.workflow import Confidence, Finding
from ceasefire.store import tables as t
from ceasefire.store.audiences import within


@dataclass(frozen=True)
class Assessment:
    id: int
    incident_id: int
    agreement_id: str
    party_id: str
    finding: Finding
    attributed_actor_id: str | None
    confidence: Confidence
    reasoning: str
    assessed_by: str
    created: datetime


@dataclass(frozen=True)
class Comment:
    party_id: str
    author: str
    text: str
    created: datetime


@dataclass(frozen=True)
class Measure:
    id: int
    incident_id: int
    agreement_id: str
    kind: MeasureKind
    description: str
    owner_party: str
    due: date | None
    status: MeasureStatus
    proposed_by: str
    created: datetime
    comments: tuple[Comment, ...] = ()


def agreements_of_incident(conn: Connection, incident_id: int) -> list[str]:
    """The agreements whose regimes the incident was classified against."""
    query = (
        select(t.regimes.c.agreement_id)
        .join(t.incident_regimes, t.incident_regimes.c.regime_id == t.regimes.c.id)
        .where(t.incident_regimes.c.incident_id == incident_id)
        .distinct()
        .order_by(t.regimes.c.agreement_id)
    )
    return list(conn.execute(query).scalars())


def add_assessment(conn: Connection, new_id: int, values: dict[str, Any]) -> int:
    conn.execute(t.assessments.insert().values(id=new_id, **values))
    return new_id


def _assessment(row: Row[Any]) -> Assessment:
    return Assessment(
        id=int(row.id),
        incident_id=int(row.incident_id),
        agreement_id=row.agreement_id,
        party_id=row.party_id,
        finding=Finding(row.finding),
        attributed_actor_id=row.attributed_actor_id,
        confidence=Confidence(row.confidence),
        reasoning=row.reasoning,
        assessed_by=row.assessed_by,
        created=row.created,
    )


def assessments_of(
    conn: Connection, incident_id: int, audience: Audience, agreement_id: str | None = None
) -> list[Assessment]:
    """Every revision of every party's assessment of the incident under the agreements the
    audience may read, oldest first."""
    a = t.assessments
    seen = within(a.c.agreement_id, audience)
    query = select(a).where(a.c.incident_id == incident_id, seen).order_by(a.c.id)
    if agreement_id is not None:
        query = query.where(a.c.agreement_id == agreement_id)
    return [_assessment(row) for row in conn.execute(query)]


def findings_on(conn: Connection, incident_ids: Sequence[int]) -> dict[str, list[tuple[int, str]]]:
    """The ``assessment`` and ``measure`` records on these incidents: (id, agreement) each."""
    found: dict[str, list[tuple[int, str]]] = {}
    for name, table in (("assessment", t.assessments), ("measure", t.response_measures)):
        query = (
            select(table.c.id, table.c.agreement_id)
            .where(table.c.incident_id.in_(incident_ids))
            .order_by(table.c.id)
        )
        found[name] = [(int(i), str(a)) for i, a in conn.execute(query)]
    return found


def move_findings(conn: Connection, incident_ids: Sequence[int], into: int) -> None:
    """Assessments and measures on these incidents go to incident ``into``."""
    for table in (t.assessments, t.response_measures):
        conn.execute(
            table.update().where(table.c.incident_id.in_(incident_ids)).values(incident_id=into)
        )


def add_measure(conn: Connection, new_id: int, values: dict[str, Any]) -> int:
    conn.execute(t.response_measures.insert().values(id=new_id, **values))
    return new_id


def set_measure_status(conn: Connection, measure_id: int, status: MeasureStatus) -> None:
    m = t.response_measures
    conn.execute(m.update().where(m.c.id == measure_id).values(status=status.value))


def add_comment(conn: Connection, new_id: int, values: dict[str, Any]) -> None:
    conn.execute(t.measure_comments.insert().values(id=new_id, **values))


@dataclass(frozen=True)
class MeasureFilter:
    """Which measures to list (every field optional); ``overdue``: only those still open
    (proposed or agreed) whose due date is before ``today`` (True), or only the others."""

    incident_id: int | None = None
    measure_id: int | None = None
    status: MeasureStatus | None = None
    owner: str | None = None
    agreement_id: str | None = None
    overdue: bool | None = None
    today: date | None = None
    limit: int | None = None


def measures(
    conn: Connection,
    audience: Audience,
    *,
    incident_id: int | None = None,
    measure_id: int | None = None,
    where: MeasureFilter | None = None,
) -> list[Measure]:
    """The measures under the agreements the audience may read, oldest first."""
    f = where or MeasureFilter(incident_id=incident_id, measure_id=measure_id)
    m, c = t.response_measures, t.measure_comments
    query = select(m).where(within(m.c.agreement_id, audience)).order_by(m.c.id)
    for column, value in (
        (m.c.incident_id, f.incident_id),
        (m.c.id, f.measure_id),
        (m.c.status, None if f.status is None else f.status.value),
        (m.c.owner_party, f.owner),
        (m.c.agreement_id, f.agreement_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if f.overdue is not None:
        assert f.today is not None, "overdue needs today"
        still_open = [s.value for s in MeasureStatus if s.open]
        late = and_(m.c.status.in_(still_open), m.c.due.is_not(None), m.c.due < f.today)
        query = query.where(late if f.overdue else not_(late))
    if f.limit is not None:
        query = query.limit(f.limit)
    rows = conn.execute(query).all()
    comments: dict[int, list[Comment]] = {}
    if rows:
        found = conn.execute(
            select(c).where(c.c.measure_id.in_([r.id for r in rows])).order_by(c.c.id)
        )
        for row in found:
            comments.setdefault(int(row.measure_id), []).append(
                Comment(row.party_id, row.author, row.text, row.created)
            )
    return [
        Measure(
            id=int(r.id),
            incident_id=int(r.incident_id),
            agreement_id=r.agreement_id,
            kind=MeasureKind(r.kind),
            description=r.description,
            owner_party=r.owner_party,
            due=r.due,
            status=MeasureStatus(r.status),
            proposed_by=r.proposed_by,
            created=r.created,
            comments=tuple(comments.get(int(r.id), [])),
        )
        for r in rows
    ]


def get_measure(conn: Connection, measure_id: int, audience: Audience) -> Measure:
    """One measure; one the audience may not read is as missing as one never made."""
    found = measures(conn, audience, measure_id=measure_id)
    if not found:
        raise NotFoundError(f"response measure {measure_id} does not exist")
    return found[0]
