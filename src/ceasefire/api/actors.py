"""/api/v1/actors: the actor register, and which actor a name refers to."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ceasefire.api.actor_schemas import ActorOut, CandidateOut, ResolutionOut
from ceasefire.api.auth import Caller, Reader
from ceasefire.api.deps import Id, Log
from ceasefire.api.schemas_base import Strict
from ceasefire.domain.actors import Actor
from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.resolution import Resolution
from ceasefire.services.actors import (
    actor_of,
    candidate_document,
    map_name,
    record_mapping,
    resolution_document,
    resolve_names,
    unresolved_names,
)
from ceasefire.services.mapping_runs import MappingRunner, progress_of

router = APIRouter(tags=["actors"])


def resolution_out(resolution: Resolution, log: Log) -> ResolutionOut:
    return ResolutionOut.model_validate(resolution_document(log, resolution))


@router.get("/actors/resolve", response_model=ResolutionOut)
def resolve_actor(
    log: Log,
    name: Annotated[
        str, Query(min_length=1, max_length=300, description="A name as a report writes it.")
    ],
) -> ResolutionOut:
    """Which actor a name refers to, with a score from 0 to 1 and the nearest candidates;
    the same answer as ``ceasefire actors resolve NAME --json``."""
    return resolution_out(resolve_names(log, [name])[0], log)


def actor_out(actor: Actor) -> ActorOut:
    return ActorOut.model_validate(
        {
            "id": actor.id,
            "name": actor.name,
            "kind": actor.kind,
            "aliases": list(actor.aliases),
            "un_reference": actor.un_reference,
            "un_listed_on": actor.un_listed_on,
            "references": [{"system": s, "name": n} for s, n in actor.references],
            "affiliations": [
                {
                    "relation": a.relation,
                    "related_id": a.related_id,
                    "since": a.since,
                    "until": a.until,
                }
                for a in actor.affiliations
            ],
        }
    )


class UnresolvedOut(BaseModel):
    name: str
    mentions: int
    nearest: CandidateOut | None


class UnresolvedPage(BaseModel):
    names: list[UnresolvedOut]
    total: int = Field(description="How many names resolve to no actor.")


class MappingIn(Strict):
    name: str = Field(min_length=1, max_length=300, description="The name as reports write it.")
    actor_id: str | None = Field(
        max_length=64, description="The actor it is; null: no actor of the register."
    )


class MappedOut(BaseModel):
    mapping_id: int
    name: str
    actor_id: str | None
    incidents_changed: int | None = Field(
        description="Incidents the mapping changed that your party reads (null: not counted, "
        "when its run was stopped and taken up again)."
    )


class MappingOut(BaseModel):
    mapping_id: int
    name: str
    actor_id: str | None
    mapped_by: str = Field(description="The party that signed the mapping.")
    progress: float | None = Field(
        ge=0,
        le=1,
        description="The share of the reports giving the name whose actors change that were "
        "resolved again; null until they are found. No count of reports is given: some may be "
        "of agreements your party does not read.",
    )
    finished: datetime | None = Field(description="When every such report was resolved again.")
    incidents_changed: int | None = Field(
        description="Incidents the mapping changed that the mapping party reads: given to that "
        "party once finished; null otherwise, and when the run was stopped and taken up again."
    )
    failures: int = Field(description="Times the run failed; the server tries again.")


@router.get("/actors/unresolved", response_model=UnresolvedPage)
def unresolved(
    log: Log, audience: Reader, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> UnresolvedPage:
    """The names the reports your party reads give that resolve to no actor, most mentioned
    first."""
    found, total = unresolved_names(log, audience, limit=limit)
    return UnresolvedPage(
        names=[
            UnresolvedOut(
                name=u.name,
                mentions=u.mentions,
                nearest=None
                if u.nearest is None
                else CandidateOut.model_validate(candidate_document(log, u.nearest)),
            )
            for u in found
        ],
        total=total,
    )


@router.post(
    "/actors/mappings",
    response_model=MappedOut,
    status_code=201,
    responses={
        202: {
            "model": MappingOut,
            "description": "Asked with `Prefer: respond-async` (RFC 7240): the mapping is "
            "signed and its reports are resolved again apart; the answer is the mapping as "
            "`GET` gives it, and `Location` names where to follow it.",
        }
    },
)
def map_actor_name(
    body: MappingIn,
    log: Log,
    user: Caller,
    request: Request,
    prefer: Annotated[str | None, Header(max_length=500)] = None,
) -> MappedOut | JSONResponse:
    """Say once which actor a name is (or that it is none), signed by the caller's
    party; every stored report naming it is resolved again, and the answer waits for
    that (at a million reports, minutes) unless asked with `Prefer: respond-async`."""
    runner = request.app.state.mapping_runner
    if _respond_async(prefer) and isinstance(runner, MappingRunner):
        mapping_id = record_mapping(log, body.name, body.actor_id, author=user.party_id)
        runner.wake()
        location = request.url_for("get_mapping", mapping_id=mapping_id).path
        return JSONResponse(
            _mapping_out(log, mapping_id, user.party_id).model_dump(mode="json"),
            status_code=202,
            headers={"Location": location, "Preference-Applied": "respond-async"},
        )
    mapped = map_name(log, body.name, body.actor_id, author=user.party_id)
    return MappedOut(
        mapping_id=mapped.mapping_id,
        name=body.name,
        actor_id=body.actor_id,
        incidents_changed=mapped.changed,
    )


def _respond_async(prefer: str | None) -> bool:
    """Whether a ``Prefer`` header asks for ``respond-async`` (RFC 7240: preferences
    separated by commas, each a token with optional parameters, its name in any case)."""
    return prefer is not None and any(
        part.split(";", 1)[0].split("=", 1)[0].strip().lower() == "respond-async"
        for part in prefer.split(",")
    )


@router.get("/actors/mappings/{mapping_id}", response_model=MappingOut)
def get_mapping(mapping_id: Id, log: Log, user: Caller) -> MappingOut:
    """A name mapping and how far the resolution of the reports giving the name again got
    (the workspace maps a name and resolves its reports apart, with this as its progress)."""
    return _mapping_out(log, mapping_id, user.party_id)


def _mapping_out(log: Log, mapping_id: int, party: str) -> MappingOut:
    found = progress_of(log, mapping_id, party)
    if found is None:
        raise NotFoundError(f"no name mapping {mapping_id}")
    return MappingOut(
        mapping_id=mapping_id,
        name=found.mapping.name,
        actor_id=found.mapping.actor_id,
        mapped_by=found.mapping.mapped_by,
        progress=found.fraction,
        finished=found.finished,
        incidents_changed=found.changed,
        failures=found.failures,
    )


@router.get("/actors/{actor_id}", response_model=ActorOut)
def get_actor(actor_id: str, log: Log) -> ActorOut:
    actor = actor_of(log, actor_id)
    if actor is None:
        raise NotFoundError(f"no actor {actor_id!r}")
    return actor_out(actor)
