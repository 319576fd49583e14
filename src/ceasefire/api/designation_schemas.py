"""The designation lists' bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from ceasefire.api.schemas_base import ReclassifiedOut as ReclassifiedOut
from ceasefire.api.schemas_base import Strict

ListId = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


class DesignationListIn(Strict):
    id: str = ListId
    name: str = Field(min_length=1, max_length=300)
    members: list[str] = Field(min_length=1, max_length=100, description="Member party ids.")
    description: str = Field(default="", max_length=5_000)


class DesignationListOut(BaseModel):
    id: str
    name: str
    members: list[str]
    description: str
    version: int = Field(description="The latest version of its consolidated list (0: none).")


class DesignationIn(Strict):
    actor: str = Field(
        min_length=1,
        max_length=300,
        description="An actor's id, its UN reference as un:QDe.137, or a name in any script.",
    )
    position: Literal["listed", "not_listed"] = "listed"
    note: str | None = Field(
        default=None,
        max_length=2_000,
        description="Why. Left out or null: the member's earlier note on the actor is kept "
        'while its position stays the same; "": there is none.',
    )


class SubmissionIn(Strict):
    designations: list[DesignationIn] = Field(max_length=10_000)
    complete: bool = Field(
        default=True,
        description="The whole list of the member: actors it listed before and leaves out "
        "now are no longer listed by it. false: add to its list.",
    )


class SignedOut(BaseModel):
    actor_id: str
    position: str
    note: str


class WordOut(BaseModel):
    party_id: str
    before: str | None = Field(description="listed, not_listed, or null: it said nothing.")
    after: str | None


class LevelChangeOut(BaseModel):
    actor_id: str
    name: str
    change: str = Field(
        description="added (no member listed it; one does), removed (none lists it now), "
        "moved (another level of agreement), held (a position moved, the level did not)."
    )
    before: str = Field(description="The level before: unanimous, majority, some, ...")
    after: str
    words: list[WordOut] = Field(description="Each member whose position on it moved.")


class HeldDesignationOut(BaseModel):
    actor_id: str
    name: str
    position: str
    note: str


class HeldOut(BaseModel):
    list_id: str
    party_id: str
    version: str = Field(
        description="The member's list as it stands (also the ETag): send it as If-Match "
        "with the member's next submission, which is refused (412) if the list changed since."
    )
    designations: list[HeldDesignationOut]


class SubmittedOut(BaseModel):
    list_id: str
    party_id: str
    held_version: str = Field(
        description="The member's list as it now stands (also the ETag), for the next If-Match."
    )
    version: int | None = Field(
        description="The version it made; null: no position moved (a note alone makes none)."
    )
    changes: list[LevelChangeOut] = Field(
        description="What the version changed in the consolidated list (as /diff says)."
    )
    signed: list[SignedOut] = Field(
        description="Every designation it signed: each whose position or note changed."
    )
    reclassified: list[ReclassifiedOut] = Field(
        description="Incidents classified anew because a regime follows the list."
    )


class ListEntryOut(BaseModel):
    actor_id: str
    name: str
    level: str = Field(description="unanimous, majority, some, disputed or none.")
    listed_by: list[str]
    not_listed_by: list[str]
    silent: list[str]
    on_un_list: bool
    under: list[str] = Field(description="The rules under which it is on the list.")


class ConsolidatedOut(BaseModel):
    designation_list: DesignationListOut
    version: int
    entries: list[ListEntryOut]


class VersionOut(BaseModel):
    version: int
    party_id: str
    submitted: datetime
    changes: int = Field(
        description="How many actors it changed: as many as /diff from the version before."
    )
