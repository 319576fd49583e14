"""Actors as FollowTheMoney entities (followthemoney.tech), one JSON object a line, as
OpenSanctions and Aleph read them: each actor an ``Organization`` with its name, every
alias in any script and its UN reference, and each affiliation (part of, offshoot of,
allied with, renamed to) an ``UnknownLink`` with its dates.

Actors are open records: every party reads them, so the export needs no audience. What
the actor register claims about an actor (a party's designation) is not exported here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from ceasefire.domain.actors import Actor
from ceasefire.store.actors import load_actors
from ceasefire.store.database import Database

PREFIX = "ceasefire-actor-"


def actor_entities(actors: Iterable[Actor]) -> Iterator[dict[str, object]]:
    for actor in actors:
        properties: dict[str, list[str]] = {"name": [actor.name]}
        if actor.aliases:
            properties["alias"] = sorted(actor.aliases)
        if actor.kind:
            properties["classification"] = [actor.kind]
        if actor.un_reference:
            properties["registrationNumber"] = [actor.un_reference]
        yield {"id": PREFIX + actor.id, "schema": "Organization", "properties": properties}
        for a in actor.affiliations:
            link: dict[str, list[str]] = {
                "subject": [PREFIX + actor.id],
                "object": [PREFIX + a.related_id],
                "role": [a.relation.replace("_", " ")],
            }
            if a.since:
                link["startDate"] = [a.since.isoformat()]
            if a.until:
                link["endDate"] = [a.until.isoformat()]
            yield {
                "id": f"{PREFIX}{actor.id}-{a.relation}-{a.related_id}",
                "schema": "UnknownLink",
                "properties": link,
            }


def write_ftm(db: Database, out: TextIO) -> int:
    """Every actor as FollowTheMoney entities, one a line; how many entities."""
    with db.read() as conn:
        actors = load_actors(conn)
    count = 0
    for entity in actor_entities(actors):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
