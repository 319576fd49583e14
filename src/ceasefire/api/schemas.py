"""The API's request and response bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ceasefire.domain.classification import Classification
from ceasefire.domain.measures import MeasureKind, MeasureStatus
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.workflow import Confidence, Finding, JointStatus


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgreementOut(BaseModel):
    id: str
    name: str
    time_zone: str
    signed: datetime | None
    co_chairs: list[str]
    members: list[str]
    description: str
    source: str
    regime_ids: list[str]
    ledger_index: int | None = Field(
        default=None, description="Sequence of the latest ledger entry that wrote this record."
    )


class ExtensionIn(Strict):
    new_end: datetime | None = Field(
        description="The new end, with its offset (naive: the agreement's time zone); "
        "null makes the regime indefinite."
    )
    decided: datetime | None = None
    note: str = ""


class ExtensionOut(BaseModel):
    new_end: datetime | None
    decided: datetime | None
    note: str


class RegimeIn(Strict):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    agreement_id: str
    name: str = Field(min_length=1)
    geometry: dict[str, Any] = Field(description="A GeoJSON Polygon or MultiPolygon (WGS84).")
    start: datetime = Field(description="With its offset, or naive = the agreement's time zone.")
    end: datetime | None = None
    excluded_actors: list[str] = []
    description: str = ""


class RegimeOut(BaseModel):
    id: str
    agreement_id: str
    name: str
    start: datetime
    end: datetime | None
    effective_end: datetime | None
    time_zone: str
    excluded_actors: list[str]
    extensions: list[ExtensionOut]
    area_name: str | None
    description: str
    geometry: dict[str, Any]
    ledger_index: int | None = Field(
        default=None, description="Sequence of the latest ledger entry that wrote this record."
    )


class ActorIn(Strict):
    name: str = Field(min_length=1)
    role: str = "actor"


class FatalitiesIn(Strict):
    low: int | None = Field(default=None, ge=0)
    best: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)


class SignedWrite(Strict):
    """A write the author signed itself: what ``…/prepare`` returned, and the signature."""

    author: str = Field(description="The party that signs.")
    time: datetime = Field(description="The prepared entries' time.")
    start: int = Field(ge=0, description="The sequence the prepared entries began at.")
    signature: str = Field(description="Base64 Ed25519 signature of the prepared message.")


class Prepared(BaseModel):
    author: str
    key_id: str
    time: datetime
    start: int
    entries: list[str] = Field(description="The entries to be appended (RFC 8785 JSON).")
    message: str = Field(
        description="Base64 of the bytes to sign with Ed25519: one entry's signed message, "
        "or the batch's (docs/ledger.md, Entries and Batches)."
    )
    openings: list[str] = Field(
        default_factory=list,
        description="The salt and state each sealed entry among them commits to "
        "(docs/ledger.md, Sealed entries): check them before signing.",
    )


Scope = Annotated[
    str | None,
    Field(
        max_length=64,
        description="The agreement whose parties alone may read it; null: every party. "
        "Left out: your party's agreement, if it is a party of just one.",
    ),
]


class ReportIn(Strict):
    source: str = Field(min_length=1, max_length=64)
    source_id: str = Field(min_length=1, max_length=128)
    time: datetime | None = Field(default=None, description="Exact time, with its offset.")
    date_start: date | None = Field(
        default=None, description="First date, when no exact time is known."
    )
    date_end: date | None = Field(default=None, description="Last date (defaults to date_start).")
    time_precision: TimePrecision | None = None
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    location_precision: LocationPrecision = LocationPrecision.EXACT
    place: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actors: list[ActorIn] = []
    fatalities: FatalitiesIn = FatalitiesIn()
    narrative: str = ""
    citations: list[str] = []
    agreement: Scope = None
    signed: SignedWrite | None = Field(
        default=None,
        description="The author's own signature of this write, prepared with /reports/prepare.",
    )


class ActorMentionOut(BaseModel):
    name: str
    role: str
    actor_id: str | None


class ReportOut(BaseModel):
    id: int
    incident_id: int
    source: str
    source_id: str
    time_start: datetime
    time_end: datetime
    time_precision: TimePrecision
    time_precision_code: str | None
    lon: float
    lat: float
    location_precision: LocationPrecision
    location_precision_code: str | None
    place: str | None
    admin1: str | None
    admin2: str | None
    country: str | None
    event_type: str | None
    sub_event_type: str | None
    actors: list[ActorMentionOut]
    fatalities: dict[str, int | None]
    narrative: str
    citations: list[str]
    attributes: dict[str, str]
    agreement: str | None = Field(description="Whose parties alone read it (null: every party).")
    ledger_index: int | None = Field(
        default=None, description="Sequence of the latest ledger entry that wrote this record."
    )


class IncidentOut(BaseModel):
    id: int
    time_start: datetime
    time_end: datetime
    time_precision: TimePrecision
    lon: float
    lat: float
    location_precision: LocationPrecision
    place: str | None
    admin1: str | None
    event_type: str | None
    sub_event_type: str | None
    actor_ids: list[str]
    classification: Classification
    regime_ids: list[str]
    reasons: list[str] | None = Field(
        default=None, description="Why, regime by regime (lists give them with ?reasons=true)."
    )
    report_count: int
    agreement: str | None = Field(
        default=None, description="Whose parties alone read it and its reports (null: all)."
    )


class IncidentDetail(IncidentOut):
    reports: list[ReportOut]


class IncidentPage(BaseModel):
    items: list[IncidentOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end."
    )


class ReportPage(BaseModel):
    items: list[ReportOut]
    next_cursor: str | None


class MergeIn(Strict):
    incident_ids: list[int] = Field(min_length=2)


class MergeOut(IncidentOut):
    merged_ids: list[int] = Field(
        description="The incidents merged into this one: their ids answer 410 from now on."
    )
    moved: dict[str, list[int]] = Field(
        description="The records that moved to this incident: reports, assessments, measures."
    )


class SplitIn(Strict):
    report_ids: list[int] = Field(min_length=1)


class SplitOut(BaseModel):
    kept: IncidentOut
    new: IncidentOut


class OpeningOut(BaseModel):
    sequence: int = Field(description="The sealed entry it opens.")
    agreement: str = Field(description="Whose parties alone read it.")
    salt: str = Field(description="32 bytes, hex.")
    state: dict[str, Any] = Field(description="The record's state the entry commits to.")
    line: str = Field(
        description="The opening as a bundle's openings.jsonl holds it (RFC 8785 JSON)."
    )


class LedgerOpenings(BaseModel):
    start: int
    end: int
    size: int = Field(description="How many entries the log holds now.")
    openings: list[OpeningOut]


class LedgerEntries(BaseModel):
    start: int
    end: int
    size: int = Field(description="How many entries the log holds now.")
    leaves: list[str] = Field(
        description="Each leaf's text (RFC 8785 JSON); its UTF-8 bytes are the Merkle leaf."
    )


class InclusionProof(BaseModel):
    index: int
    size: int
    leaf_hash: str = Field(description="Hex SHA-256(0x00 || leaf).")
    root: str = Field(description="Hex root of the tree of `size` entries.")
    proof: list[str] = Field(description="Hex hashes, RFC 9162 §2.1.3, bottom first.")


class ConsistencyProof(BaseModel):
    old: int
    new: int
    old_root: str
    new_root: str
    proof: list[str] = Field(description="Hex hashes, RFC 9162 §2.1.4.")


class CosignIn(Strict):
    size: int = Field(ge=1, description="The size of the checkpoint cosigned.")
    signature: str = Field(
        description="The C2SP tlog-cosignature line: '— <key name> <base64(key id || time || "
        "signature)>'.",
        max_length=1_000,
    )


class PrepareReportIn(Strict):
    author: str = Field(description="The party that will sign the report's entry itself.")
    report: ReportIn


class KeyIn(Strict):
    name: str = Field(min_length=1, max_length=200, description="The key's name (no spaces or +).")
    public_key: str = Field(description="Base64 of the 32-byte Ed25519 public key.")
    signed: SignedWrite | None = Field(
        default=None, description="Absent to prepare; the signature of the key itself to register."
    )


class KeyOut(BaseModel):
    party_id: str
    key_id: str
    name: str
    ledger_index: int | None


class SignIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1_000)


class Me(BaseModel):
    username: str
    display_name: str
    party_id: str
    role: str


class SessionOut(Me):
    csrf_token: str = Field(description="Send it as X-CSRF-Token with every unsafe request.")
    expires: datetime


class TokenIn(Strict):
    name: str = Field(default="", max_length=200)
    days: int = Field(default=90, ge=1, le=3650)


class TokenOut(BaseModel):
    id: int
    token: str = Field(description="Shown only now: the server keeps only its hash.")
    expires_in_days: int


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
    author: str
    created: datetime
    report: dict[str, Any] = Field(description="The report, as POST /api/v1/reports takes it.")


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
