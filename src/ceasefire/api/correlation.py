"""/api/v1/correlation/candidates: the analysts' queue of pairs of incidents that may be one
event (docs/correlation.md), and confirming (a merge) or rejecting each."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller, Reader
from ceasefire.api.convert import merge_out
from ceasefire.api.deps import Db, Id, Log
from ceasefire.services.candidates import confirm_candidate, list_candidates, reject_candidate
from ceasefire.store.candidates import Candidate

router = APIRouter(tags=["correlation"])


class CandidateOut(BaseModel):
    incident_id: int = Field(description="The pair's smaller incident id.")
    other_id: int
    score: float = Field(description="0 to 1: how alike the two accounts are.")
    reasons: str = Field(
        description="Why they were proposed: \"3.2 km apart, same day, 'Armed clash' vs "
        "'Shelling/artillery/missile attack', same actors (dpr, ua-gov)\"."
    )
    agreement_id: str | None = Field(description="The scope both incidents share (null: open).")
    proposed: str


class CandidatesOut(BaseModel):
    candidates: list[CandidateOut]
    total: int = Field(description="Pending candidates the caller's party reads, on every page.")
    limit: int
    offset: int


class RejectionOut(BaseModel):
    id: int = Field(description="The rejection's id (record candidate_rejection:<id>).")
    incident_id: int
    other_id: int


def candidate_out(c: Candidate) -> CandidateOut:
    return CandidateOut(
        incident_id=c.incident_id,
        other_id=c.other_id,
        score=c.score,
        reasons=c.reasons,
        agreement_id=c.agreement_id,
        proposed=c.proposed.isoformat().replace("+00:00", "Z"),
    )


@router.get("/correlation/candidates", response_model=CandidatesOut)
def candidates(
    db: Db,
    audience: Reader,
    limit: int = Query(default=50, ge=1, le=1_000),
    offset: int = Query(default=0, ge=0, le=1_000_000),
    min_score: float = Query(default=0.0, ge=0.0, le=1.0),
) -> CandidatesOut:
    """Pairs of incidents correlation proposes as one event (their score between the
    proposing and joining thresholds), best first; only pairs the caller's party reads."""
    queue = list_candidates(db, audience, limit=limit, offset=offset, min_score=min_score)
    return CandidatesOut(
        candidates=[candidate_out(c) for c in queue.candidates],
        total=queue.total,
        limit=limit,
        offset=offset,
    )


@router.post("/correlation/candidates/{incident_id}/{other_id}/confirm", response_model=s.MergeOut)
def confirm(
    incident_id: Id, other_id: Id, ledger: Log, user: Caller, audience: Reader
) -> s.MergeOut:
    """The two incidents are one event: they are merged into the smaller id, as
    ``POST /incidents/merge`` merges (signed ``incident.merged`` entries)."""
    merged = confirm_candidate(
        ledger, incident_id, other_id, author=user.party_id, audience=audience
    )
    return merge_out(merged)


@router.post(
    "/correlation/candidates/{incident_id}/{other_id}/reject",
    response_model=RejectionOut,
    status_code=201,
)
def reject(
    incident_id: Id, other_id: Id, ledger: Log, user: Caller, audience: Reader
) -> RejectionOut:
    """The two incidents are two events: the rejection is signed by the caller's party
    (``candidate_rejection.recorded``) and the pair is never proposed again."""
    rejection = reject_candidate(
        ledger, incident_id, other_id, author=user.party_id, audience=audience
    )
    low, high = sorted((incident_id, other_id))
    return RejectionOut(id=rejection, incident_id=low, other_id=high)
