"""How an incident is shown to a reader: the one form the API's lists and incident file,
the live feed (Server-Sent Events) and webhooks all send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ceasefire.domain.classification import Classification
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.store.incident_rows import StoredIncident


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
    attribution_disputed: bool = Field(
        default=False,
        description="Its sources disagree on whether an actor a regime excludes was "
        "involved; the reasons name who claims what.",
    )
    regime_ids: list[str]
    reasons: list[str] | None = Field(
        default=None, description="Why, regime by regime (lists give them with ?reasons=true)."
    )
    report_count: int
    agreement: str | None = Field(
        default=None, description="Whose parties alone read it and its reports (null: all)."
    )
    joint: str | None = Field(
        default=None,
        description="The co-chairs' joint finding: pending, disputed, or the agreed finding "
        "(violation, no_violation, insufficient_information); null: not assessed, or made "
        "under an agreement your party is not in.",
    )
    summary: str | None = Field(
        default=None,
        description="The first report's narrative, cut at 160 characters (null: none).",
    )


def incident_view(i: StoredIncident) -> IncidentOut:
    return IncidentOut(
        id=i.id,
        time_start=i.time_start,
        time_end=i.time_end,
        time_precision=TimePrecision(i.time_precision),
        lon=i.lon,
        lat=i.lat,
        location_precision=LocationPrecision(i.location_precision),
        place=i.place,
        admin1=i.admin1,
        event_type=i.event_type,
        sub_event_type=i.sub_event_type,
        actor_ids=list(i.actor_ids),
        classification=i.classification,
        attribution_disputed=i.attribution_disputed,
        regime_ids=list(i.regime_ids),
        reasons=list(i.reasons) if i.reasons else None,
        report_count=i.report_count,
        agreement=i.agreement_id,
        joint=i.joint,
        summary=i.summary,
    )


def incident_json(i: StoredIncident) -> dict[str, Any]:
    """The incident as JSON, exactly as the API's incident list writes it."""
    return incident_view(i).model_dump(mode="json")
