"""The actor register's bodies: an actor, and which actor a name refers to."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CandidateOut(BaseModel):
    id: str
    name: str = Field(description="The actor's own name.")
    un_reference: str | None = Field(description="Its UN list reference, such as QDe.137.")
    score: float = Field(ge=0, le=1, description="How alike the names are, 0 to 1.")
    alias: str = Field(description="The name of the actor that matched best.")


class MatchOut(BaseModel):
    id: str
    name: str
    un_reference: str | None
    score: float = Field(ge=0, le=1)


class ResolutionOut(BaseModel):
    """What ``ceasefire actors resolve --json`` prints for the name."""

    name: str
    match: MatchOut | None = Field(
        description="The actor the name refers to; null when none matches well enough, "
        "or two match alike."
    )
    candidates: list[CandidateOut] = Field(description="The nearest actors, best first.")


class AffiliationOut(BaseModel):
    relation: str = Field(description="part_of, offshoot_of, allied_with or renamed_to.")
    related_id: str
    since: date | None
    until: date | None


class ReferenceOut(BaseModel):
    system: str = Field(description="acled, ucdp, un or other.")
    name: str


class ActorOut(BaseModel):
    id: str
    name: str
    kind: str | None
    aliases: list[str]
    un_reference: str | None
    un_listed_on: date | None
    references: list[ReferenceOut]
    affiliations: list[AffiliationOut]
