"""The API's request and response bodies: agreements, regimes, reports and incidents here,
the rest in their own modules (each re-exported, so routes use ``schemas.X`` alone)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from ceasefire.api.account_schemas import Me as Me
from ceasefire.api.account_schemas import SessionOut as SessionOut
from ceasefire.api.account_schemas import SignIn as SignIn
from ceasefire.api.account_schemas import TokenIn as TokenIn
from ceasefire.api.account_schemas import TokenOut as TokenOut
from ceasefire.api.deps import MAX_ID
from ceasefire.api.ledger_schemas import ConsistencyProof as ConsistencyProof
from ceasefire.api.ledger_schemas import CosignIn as CosignIn
from ceasefire.api.ledger_schemas import InclusionProof as InclusionProof
from ceasefire.api.ledger_schemas import KeyIn as KeyIn
from ceasefire.api.ledger_schemas import KeyOut as KeyOut
from ceasefire.api.ledger_schemas import LedgerEntries as LedgerEntries
from ceasefire.api.ledger_schemas import LedgerOpenings as LedgerOpenings
from ceasefire.api.ledger_schemas import OpeningOut as OpeningOut
from ceasefire.api.schemas_base import Prepared as Prepared
from ceasefire.api.schemas_base import ReclassifiedOut as ReclassifiedOut
from ceasefire.api.schemas_base import Scope as Scope
from ceasefire.api.schemas_base import SignedWrite as SignedWrite
from ceasefire.api.schemas_base import Strict as Strict
from ceasefire.api.workflow_schemas import AssessmentIn as AssessmentIn
from ceasefire.api.workflow_schemas import AssessmentOut as AssessmentOut
from ceasefire.api.workflow_schemas import CommentIn as CommentIn
from ceasefire.api.workflow_schemas import CommentOut as CommentOut
from ceasefire.api.workflow_schemas import DeliveryOut as DeliveryOut
from ceasefire.api.workflow_schemas import DraftOut as DraftOut
from ceasefire.api.workflow_schemas import FindingsOut as FindingsOut
from ceasefire.api.workflow_schemas import MeasureIn as MeasureIn
from ceasefire.api.workflow_schemas import MeasureOut as MeasureOut
from ceasefire.api.workflow_schemas import RestrictionIn as RestrictionIn
from ceasefire.api.workflow_schemas import RestrictionOut as RestrictionOut
from ceasefire.api.workflow_schemas import StatusIn as StatusIn
from ceasefire.api.workflow_schemas import WebhookIn as WebhookIn
from ceasefire.api.workflow_schemas import WebhookMade as WebhookMade
from ceasefire.api.workflow_schemas import WebhookOut as WebhookOut
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.services.reports_in import ActorIn as ActorIn
from ceasefire.services.reports_in import DraftBody, ReportBody
from ceasefire.services.reports_in import FatalitiesIn as FatalitiesIn
from ceasefire.services.views import IncidentOut as IncidentOut  # re-exported: one form


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
    note: str = Field(default="", max_length=5_000)


class EndingIn(Strict):
    end: datetime = Field(
        description="When the regime ended: after its start and before the end in force, "
        "with its offset (naive: the agreement's time zone)."
    )
    decided: datetime | None = None
    note: str = Field(default="", max_length=5_000)


class ExtensionOut(BaseModel):
    kind: Literal["extension", "ending"] = Field(
        description="extension: the end moved later or made open-ended; ending: brought "
        "forward (the regime was declared over)."
    )
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
    excluded_actors: list[str] = Field(default_factory=list, max_length=1000)
    exclusion_list: str | None = Field(
        default=None, max_length=64, description="A designation list whose actors it excludes."
    )
    exclusion_rule: Literal["unanimous", "majority", "any", "un_listed"] | None = Field(
        default=None, description="Which of the list's actors it excludes."
    )
    exclusion_follows: list[Literal["part_of", "offshoot_of", "allied_with", "renamed_to"]] = Field(
        default_factory=list,
        max_length=4,
        description="Relations through which groups connected with those it excludes are "
        "excluded too.",
    )
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
    exclusion_list: str | None
    exclusion_rule: str | None
    exclusion_follows: list[str]
    extensions: list[ExtensionOut]
    area_name: str | None
    description: str
    geometry: dict[str, Any]
    ledger_index: int | None = Field(
        default=None, description="Sequence of the latest ledger entry that wrote this record."
    )


class RegimeChangedOut(RegimeOut):
    reclassified: list[ReclassifiedOut] = Field(
        description="The incidents in the regime's area that the change classified anew and "
        "the caller's party may read, in id order (also sent on the live feed)."
    )


class ReportIn(ReportBody):
    signed: SignedWrite | None = Field(
        default=None,
        description="The author's own signature of this write, prepared with /reports/prepare.",
    )


class DraftIn(DraftBody):
    """A report as POST /reports takes it, which may leave out the place (lon and lat) and
    the time (time or date_start) until it is filed."""

    signed: SignedWrite | None = Field(
        default=None, description="Refused: a draft is not signed; it is signed when filed."
    )


class ActorMentionOut(BaseModel):
    name: str
    role: str
    actor_id: str | None
    score: float | None = Field(
        default=None, description="How well the name matched the actor, 0 to 1 (docs/actors.md)."
    )


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
    incident_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=2)
    confirm_far: bool = Field(
        default=False,
        strict=True,  # a confirmation is true, not "yes" nor 1
        description="The incidents are one event although they are far apart: more than ten "
        "times correlation's distance tolerance, or seven times its time gap, between them "
        "(100 km between exact places, or 7 days, at the defaults). Without it such a merge "
        "is refused (422, naming this field).",
    )


class MergeOut(IncidentOut):
    merged_ids: list[int] = Field(
        description="The incidents merged into this one: their ids answer 410 from now on."
    )
    moved: dict[str, list[int]] = Field(
        description="The records that moved to this incident: reports, assessments, measures."
    )


class SplitIn(Strict):
    report_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1)


class SplitOut(BaseModel):
    kept: IncidentOut
    new: IncidentOut


class PrepareReportIn(Strict):
    author: str = Field(description="The party that will sign the report's entry itself.")
    report: ReportIn
