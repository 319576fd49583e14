"""The API's bodies of the joint workflow: assessments, findings, response measures,
drafts, access restrictions and webhooks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from ceasefire.api.schemas_base import Scope, SignedWrite, Strict
from ceasefire.domain.classification import Classification
from ceasefire.domain.measures import MeasureKind, MeasureStatus
from ceasefire.domain.workflow import Confidence, Finding, JointStatus


class AssessmentIn(Strict):
    finding: Finding
    confidence: Confidence = Confidence.MEDIUM
    reasoning: str = Field(min_length=1, max_length=20_000)
    attributed_actor_id: str | None = None
    agreement_id: str | None = Field(
        default=None, description="Needed only when the incident falls under several."
    )
    signed: SignedWrite | None = Field(
        default=None,
        description="Your party's own signature of the entry /assessments/prepare gave.",
    )


class AssessmentOut(BaseModel):
    id: int
    party_id: str
    finding: Finding
    attributed_actor_id: str | None
    confidence: Confidence
    reasoning: str
    assessed_by: str
    created: datetime
    ledger_index: int | None = None


class FindingsOut(BaseModel):
    incident_id: int
    agreement_id: str
    co_chairs: list[str]
    joint: JointStatus = Field(description="pending, agreed or disputed")
    agreed_finding: Finding | None
    by_party: dict[str, Finding]
    waiting_for: list[str]
    history: list[AssessmentOut] = Field(description="Every revision, oldest first.")


class MeasureIn(Strict):
    kind: MeasureKind
    description: str = Field(min_length=1, max_length=20_000)
    owner_party: str
    due: date | None = None
    agreement_id: str | None = None


class StatusIn(Strict):
    status: MeasureStatus


class CommentIn(Strict):
    text: str = Field(min_length=1, max_length=20_000)


class CommentOut(BaseModel):
    party_id: str
    author: str
    text: str
    created: datetime


class MeasureOut(BaseModel):
    id: int
    incident_id: int
    agreement_id: str
    kind: MeasureKind
    description: str
    owner_party: str
    due: date | None
    status: MeasureStatus = Field(
        description="proposed → agreed (a co-chair) → done (the owner); proposed → withdrawn "
        "(the proposer)"
    )
    overdue: bool = Field(description="Still proposed or agreed after its due date.")
    proposed_by: str
    created: datetime
    comments: list[CommentOut]
    ledger_index: int | None = None


class DraftOut(BaseModel):
    id: int
    party_id: str
    author: str = Field(description="Who of the party kept it first.")
    created: datetime
    version: str = Field(
        description="Changes whenever the draft is kept with something else: give it as "
        "If-Match to PUT or share, and a draft someone kept since is refused (412)."
    )
    report: dict[str, Any] = Field(
        description="The report, as POST /api/v1/reports takes it, less what the draft leaves "
        "out (lon and lat, time or date_start)."
    )
    still_needed: list[str] = Field(
        description="What filing it needs that it leaves out: lon, lat, time (empty: ready)."
    )


class RestrictionIn(Strict):
    patrol: str = Field(min_length=1, max_length=200, description="The team denied access.")
    time: datetime = Field(description="When, with its UTC offset.")
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    place: str | None = None
    denied_by: str = Field(min_length=1, description="Who denied access, as the team saw them.")
    reason: str = Field(default="none given", max_length=5_000)
    duration_minutes: int | None = Field(default=None, ge=0)
    agreement: Scope = None


class RestrictionOut(BaseModel):
    id: int
    reported_by: str
    patrol: str
    time: datetime
    lon: float
    lat: float
    place: str | None
    denied_by: str
    actor_id: str | None
    reason: str
    duration_minutes: int | None
    agreement: str | None = Field(description="Whose parties alone read it (null: every party).")
    ledger_index: int | None = None


class WebhookIn(Strict):
    url: str = Field(min_length=1, max_length=2_000, description="Where to POST (http or https).")
    bbox: str | None = Field(default=None, description="min_lon,min_lat,max_lon,max_lat")
    classification: Classification | None = None
    regime: str | None = None
    event_type: str | None = None


class WebhookOut(BaseModel):
    id: int
    party_id: str
    url: str
    filter: dict[str, Any]
    active: bool
    failures: int = Field(description="Deliveries failed in a row (disabled at 5).")
    created: datetime


class WebhookMade(WebhookOut):
    secret: str = Field(description="Shown only now: check X-Ceasefire-Signature with it.")


class DeliveryOut(BaseModel):
    id: int
    sequence: int
    incident_id: int
    attempts: int
    status_code: int | None
    error: str | None
    created: datetime
    delivered: datetime | None
