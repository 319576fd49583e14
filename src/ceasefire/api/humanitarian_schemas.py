"""The bodies of /api/v1/humanitarian: locations, requests, decisions, deliveries."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ceasefire.api.schemas_base import Strict
from ceasefire.domain.humanitarian import MAX_COUNT

LocationId = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
Count = Field(default=None, ge=0, le=MAX_COUNT)
Status = Literal["besieged", "hard_to_reach", "accessible"]


class StatusIn(Strict):
    status: Status
    since: date = Field(description="The day it holds from.")
    source: str = Field(default="", max_length=300, description="Who says so (OCHA, a party).")
    note: str = Field(default="", max_length=2_000)


class StatusOut(BaseModel):
    status: str
    since: date
    source: str
    note: str


class LocationIn(Strict):
    id: str = LocationId
    name: str = Field(min_length=1, max_length=300)
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    place_id: str | None = Field(default=None, max_length=64, description="A gazetteer place.")
    agreement_id: str | None = Field(default=None, max_length=64)
    statuses: list[StatusIn] = Field(default_factory=list, max_length=1_000)


class LocationOut(BaseModel):
    id: str
    name: str
    lon: float
    lat: float
    place_id: str | None
    agreement_id: str | None
    status: StatusOut | None = Field(description="The latest status (null: none recorded).")
    statuses: list[StatusOut]
    ledger_index: int | None = None


class RequestIn(Strict):
    location_id: str = LocationId
    kind: Literal["convoy", "corridor"] = "convoy"
    requested_by: str = Field(
        min_length=1, max_length=300, description="Who asks for access, as named."
    )
    requested: date
    people: int | None = Count
    trucks: int | None = Count
    destination: str | None = Field(default=None, max_length=300)
    destination_lon: float | None = Field(default=None, ge=-180, le=180)
    destination_lat: float | None = Field(default=None, ge=-90, le=90)
    note: str = Field(default="", max_length=2_000)


class DecisionIn(Strict):
    decision: Literal["approved", "partially_approved", "denied"]
    decided: date
    decided_by: str = Field(min_length=1, max_length=300)
    reason: str = Field(default="", max_length=2_000, description="Required for a denial.")
    approved_people: int | None = Count
    approved_trucks: int | None = Count


class RequestOut(BaseModel):
    id: int
    location_id: str
    kind: str
    requested_by: str
    requested: date
    people: int | None
    trucks: int | None
    destination: str | None
    destination_lon: float | None
    destination_lat: float | None
    decision: str
    decided: date | None
    decided_by: str | None
    reason: str
    approved_people: int | None
    approved_trucks: int | None
    source: str
    source_id: str | None
    source_status: str | None
    note: str
    ledger_index: int | None = None


class DeliveryIn(Strict):
    delivered: date
    people_reached: int | None = Count
    trucks: int | None = Count
    items: str = Field(default="", max_length=2_000)
    note: str = Field(default="", max_length=2_000)


class DeliveryOut(BaseModel):
    id: int
    request_id: int
    delivered: date
    people_reached: int | None
    trucks: int | None
    items: str
    note: str
    ledger_index: int | None = None


class LocationFileOut(BaseModel):
    location: LocationOut
    requests: list[RequestOut]
    deliveries: list[DeliveryOut]


class SummaryOut(BaseModel):
    location_id: str
    name: str
    status: StatusOut | None = Field(description="The status at the period's end.")
    requests: int = Field(description="Requests made in the period.")
    approved: int = Field(description="Of them, approved in full or in part.")
    denied: int
    pending: int
    deliveries: int = Field(description="Deliveries in the period.")
    people_reached: int = Field(description="By the deliveries that say how many.")
    deliveries_without_count: int
    last_delivery: date | None = Field(description="The latest up to the period's end.")
