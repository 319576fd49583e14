"""What every API body builds on: strict input, self-signed writes, scopes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ceasefire.api.deps import MAX_ID  # a larger start is a 422, not a 500
from ceasefire.domain.classification import Classification
from ceasefire.services.reports_in import Scope as Scope
from ceasefire.services.reports_in import Strict as Strict


class SignedWrite(Strict):
    """A write the author signed itself: what ``…/prepare`` returned, and the signature."""

    author: str = Field(description="The party that signs.")
    time: datetime = Field(description="The prepared entries' time.")
    start: int = Field(ge=0, le=MAX_ID, description="The sequence the prepared entries began at.")
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


class ReclassifiedOut(BaseModel):
    """An incident a write classified anew."""

    incident_id: int
    before: Classification = Field(description="Its classification before the write.")
    after: Classification = Field(description="Its classification now.")
