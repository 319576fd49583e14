"""The accession register's bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from ceasefire.api.schemas_base import Strict


class AccessionIn(Strict):
    regime: str = Field(min_length=1, max_length=64)
    date: date
    change: Literal["joined", "left"] = "joined"
    channel: str = Field(min_length=1, max_length=500, description="Through whom it was declared.")
    evidence: str = Field(default="", max_length=2_000)
    actor: str | None = Field(default=None, max_length=300, description="An actor's id or name.")
    settlement: str | None = Field(
        default=None, max_length=300, description="A settlement's place id or name."
    )
    lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)


class AccessionsIn(Strict):
    accessions: list[AccessionIn] = Field(min_length=1, max_length=10_000)


class RecordedOut(BaseModel):
    ids: list[int]
    settlements_added: list[str]


class AccessionOut(BaseModel):
    id: int
    regime_id: str
    date: date
    change: str
    actor_id: str | None
    place_id: str | None
    channel: str
    evidence: str
    recorded_by: str
    created: datetime


class CountOut(BaseModel):
    date: date
    settlements: int
    actors: int
