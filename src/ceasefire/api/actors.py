"""/api/v1/actors: the actor register, and which actor a name refers to."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ceasefire.api.actor_schemas import ActorOut, ResolutionOut
from ceasefire.api.deps import Log
from ceasefire.domain.actors import Actor
from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.resolution import Candidate, Resolution
from ceasefire.services.actors import actor_of, resolve_names

router = APIRouter(tags=["actors"])


def _candidate(candidate: Candidate, log: Log) -> dict[str, Any]:
    actor = actor_of(log, candidate.actor_id)
    return {
        "id": candidate.actor_id,
        "name": candidate.name,
        "un_reference": actor.un_reference if actor else None,
        "score": candidate.score,
        "alias": candidate.alias,
    }


def resolution_out(resolution: Resolution, log: Log) -> ResolutionOut:
    match = None
    if resolution.match is not None:
        match = {k: v for k, v in _candidate(resolution.match, log).items() if k != "alias"}
    return ResolutionOut.model_validate(
        {
            "name": resolution.name,
            "match": match,
            "candidates": [_candidate(c, log) for c in resolution.candidates],
        }
    )


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


@router.get("/actors/{actor_id}", response_model=ActorOut)
def get_actor(actor_id: str, log: Log) -> ActorOut:
    actor = actor_of(log, actor_id)
    if actor is None:
        raise NotFoundError(f"no actor {actor_id!r}")
    return actor_out(actor)
