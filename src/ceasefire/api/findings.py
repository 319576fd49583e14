"""/api/v1/incidents/{id}/findings|assessments|measures and /api/v1/measures/{id}/…"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller, Reader
from ceasefire.api.convert import external_of, prepared_out, with_ledger_index
from ceasefire.api.deps import Db, Id, Log
from ceasefire.domain.measures import MeasureStatus, is_overdue
from ceasefire.services import findings as service
from ceasefire.services import queries
from ceasefire.store.assessments import Measure, MeasureFilter
from ceasefire.store.database import Database

router = APIRouter(tags=["assessments and response measures"])


def findings_out(db: Database, found: service.Findings) -> s.FindingsOut:
    history = [
        s.AssessmentOut(
            id=a.id,
            party_id=a.party_id,
            finding=a.finding,
            attributed_actor_id=a.attributed_actor_id,
            confidence=a.confidence,
            reasoning=a.reasoning,
            assessed_by=a.assessed_by,
            created=a.created,
        )
        for a in found.history
    ]
    return s.FindingsOut(
        incident_id=found.incident_id,
        agreement_id=found.agreement_id,
        co_chairs=list(found.co_chairs),
        joint=found.joint.status,
        agreed_finding=found.joint.finding,
        by_party=dict(found.joint.by_party),
        waiting_for=list(found.joint.waiting_for),
        history=with_ledger_index(db, "assessment", history),
    )


def measures_out(db: Database, found: list[Measure]) -> list[s.MeasureOut]:
    today = datetime.now(UTC).date()
    items = [
        s.MeasureOut(
            id=m.id,
            incident_id=m.incident_id,
            agreement_id=m.agreement_id,
            kind=m.kind,
            description=m.description,
            owner_party=m.owner_party,
            due=m.due,
            status=m.status,
            overdue=is_overdue(m.status, m.due, today),
            proposed_by=m.proposed_by,
            created=m.created,
            comments=[
                s.CommentOut(party_id=c.party_id, author=c.author, text=c.text, created=c.created)
                for c in m.comments
            ],
        )
        for m in found
    ]
    return with_ledger_index(db, "measure", items)


@router.get("/incidents/{incident_id}/findings", response_model=s.FindingsOut)
def get_findings(
    incident_id: Id, db: Db, audience: Reader, agreement_id: str | None = None
) -> s.FindingsOut:
    """Each co-chair's latest finding, the joint finding, and every revision."""
    return findings_out(db, service.findings(db, incident_id, audience, agreement_id))


@router.post("/incidents/{incident_id}/assessments", response_model=s.FindingsOut, status_code=201)
def assess(incident_id: Id, body: s.AssessmentIn, ledger: Log, user: Caller) -> s.FindingsOut:
    """Record (or revise) your party's finding: officers of a co-chair only. A party that
    holds its own key sends `signed`, its signature of what /assessments/prepare gave."""
    external = external_of(body.signed)
    found = service.assess(ledger, user, incident_id, _assessing(body), external=external)
    return findings_out(ledger.db, found)


@router.post("/incidents/{incident_id}/assessments/prepare", response_model=s.Prepared)
def prepare_assessment(
    incident_id: Id, body: s.AssessmentIn, ledger: Log, user: Caller
) -> s.Prepared:
    """The entry your party's assessment would append, for a party that holds its own
    key to sign; nothing is stored."""
    prepared = service.prepare_assessment(ledger, user, incident_id, _assessing(body))
    return prepared_out(prepared)


def _assessing(body: s.AssessmentIn) -> service.Assessing:
    return service.Assessing(
        finding=body.finding,
        confidence=body.confidence,
        reasoning=body.reasoning,
        attributed_actor_id=body.attributed_actor_id,
        agreement_id=body.agreement_id,
    )


@router.get("/incidents/{incident_id}/measures", response_model=list[s.MeasureOut])
def list_measures(incident_id: Id, db: Db, audience: Reader) -> list[s.MeasureOut]:
    return measures_out(db, service.measures_of(db, incident_id, audience))


@router.post("/incidents/{incident_id}/measures", response_model=s.MeasureOut, status_code=201)
def propose(incident_id: Id, body: s.MeasureIn, ledger: Log, user: Caller) -> s.MeasureOut:
    """Propose a response measure (a co-chair's officer), owned by a party of the agreement."""
    measure = service.propose_measure(
        ledger,
        user,
        incident_id,
        kind=body.kind,
        description=body.description,
        owner_party=body.owner_party,
        due=body.due,
        agreement_id=body.agreement_id,
    )
    return measures_out(ledger.db, [measure])[0]


@router.get("/measures", response_model=list[s.MeasureOut])
def measure_register(
    db: Db,
    audience: Reader,
    status: MeasureStatus | None = None,
    overdue: Annotated[
        bool | None, Query(description="true: only measures still open after their due date")
    ] = None,
    owner: Annotated[str | None, Query(max_length=64, description="The owning party.")] = None,
    agreement: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 200,
) -> list[s.MeasureOut]:
    """The measures register: every measure the caller's party may read, across incidents,
    oldest first; ``overdue=false`` leaves the overdue ones out. An owner or agreement that
    does not exist is an error naming it."""
    queries.check_named(db, party=(owner, "owner"), agreement=(agreement, "agreement"))
    where = MeasureFilter(
        status=status,
        owner=owner,
        agreement_id=agreement,
        overdue=overdue,
        today=datetime.now(UTC).date(),
        limit=limit,
    )
    return measures_out(db, service.measure_register(db, audience, where))


@router.post("/measures/{measure_id}/status", response_model=s.MeasureOut)
def set_status(measure_id: Id, body: s.StatusIn, ledger: Log, user: Caller) -> s.MeasureOut:
    """Agree a measure (a co-chair's officer) or mark it done (an officer of its owner)."""
    return measures_out(ledger.db, [service.set_status(ledger, user, measure_id, body.status)])[0]


@router.post("/measures/{measure_id}/comments", response_model=s.MeasureOut, status_code=201)
def add_comment(measure_id: Id, body: s.CommentIn, ledger: Log, user: Caller) -> s.MeasureOut:
    return measures_out(ledger.db, [service.comment(ledger, user, measure_id, body.text)])[0]
