"""Actors with aliases, and places (the gazetteer of admin areas)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import shapely
from sqlalchemy import Connection, select

from ceasefire.domain.actors import Actor, Affiliation, normalize_name
from ceasefire.domain.regimes import Place
from ceasefire.store import tables as t
from ceasefire.store.upserts import Outcome, replace_children, upsert


def _alias_rows(owner: str, owner_id: str, names: tuple[str, ...]) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for name in names:
        key = normalize_name(name)
        if key and key not in rows:
            rows[key] = {owner: owner_id, "alias": name, "key": key}
    return list(rows.values())


def save_actor(conn: Connection, actor: Actor) -> Outcome:
    outcome = upsert(
        conn,
        t.actors,
        {
            "id": actor.id,
            "name": actor.name,
            "kind": actor.kind,
            "un_reference": actor.un_reference,
            "un_listed_on": actor.un_listed_on,
        },
    )
    aliases = _alias_rows("actor_id", actor.id, (actor.name, *actor.aliases))
    references = [
        {"actor_id": actor.id, "system": system, "name": name}
        for system, name in dict.fromkeys(actor.references)
    ]
    affiliations = [
        {
            "actor_id": actor.id,
            "relation": a.relation,
            "related_id": a.related_id,
            "since": a.since,
            "until": a.until,
        }
        for a in actor.affiliations
    ]
    changed = False
    for table, rows in (
        (t.actor_aliases, aliases),
        (t.actor_references, references),
        (t.actor_affiliations, affiliations),
    ):
        changed = replace_children(conn, table, "actor_id", actor.id, rows) or changed
    return Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome


def load_actors(conn: Connection) -> list[Actor]:
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute(select(t.actor_aliases).order_by(t.actor_aliases.c.alias)):
        aliases[row.actor_id].append(row.alias)
    references: dict[str, list[tuple[str, str]]] = defaultdict(list)
    query = select(t.actor_references).order_by(
        t.actor_references.c.system, t.actor_references.c.name
    )
    for row in conn.execute(query):
        references[row.actor_id].append((row.system, row.name))
    affiliations: dict[str, list[Affiliation]] = defaultdict(list)
    order = t.actor_affiliations.c
    for row in conn.execute(
        select(t.actor_affiliations).order_by(order.relation, order.related_id, order.since)
    ):
        affiliations[row.actor_id].append(
            Affiliation(row.relation, row.related_id, row.since, row.until)
        )
    return [
        Actor(
            id=r.id,
            name=r.name,
            aliases=tuple(a for a in aliases[r.id] if a != r.name),
            kind=r.kind,
            un_reference=r.un_reference,
            un_listed_on=r.un_listed_on,
            references=tuple(references[r.id]),
            affiliations=tuple(affiliations[r.id]),
        )
        for r in conn.execute(select(t.actors).order_by(t.actors.c.id))
    ]


def save_place(conn: Connection, place: Place) -> Outcome:
    outcome = upsert(
        conn,
        t.places,
        {
            "id": place.id,
            "name": place.name,
            "level": place.level,
            "country": place.country,
            "code": place.code,
            "geojson": shapely.to_geojson(place.geometry),
        },
    )
    aliases = _alias_rows("place_id", place.id, (place.name, *place.aliases))
    changed = replace_children(conn, t.place_aliases, "place_id", place.id, aliases)
    return Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome


def load_places(conn: Connection) -> list[Place]:
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute(select(t.place_aliases).order_by(t.place_aliases.c.alias)):
        aliases[row.place_id].append(row.alias)
    return [
        Place(
            id=r.id,
            name=r.name,
            level=r.level,
            geometry=shapely.from_geojson(r.geojson),
            country=r.country,
            aliases=tuple(a for a in aliases[r.id] if a != r.name),
            code=r.code,
        )
        for r in conn.execute(select(t.places).order_by(t.places.c.id))
    ]


def actor_names(conn: Connection, actor_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(actor_ids))
    if not ids:
        return {}
    query = select(t.actors.c.id, t.actors.c.name).where(t.actors.c.id.in_(ids))
    return {row.id: row.name for row in conn.execute(query)}


def load_mappings(conn: Connection) -> list[tuple[str, str | None]]:
    """Every name mapping, oldest first (the latest of a name wins)."""
    m = t.name_mappings.c
    query = select(m.name, m.actor_id).order_by(m.id)
    return [(row.name, row.actor_id) for row in conn.execute(query)]


@dataclass(frozen=True, slots=True)
class Mapping:
    name: str
    actor_id: str | None  # None: no actor of the register
    actor_name: str | None
    mapped_by: str
    created: datetime


def mapping(conn: Connection, mapping_id: int) -> Mapping | None:
    m, a = t.name_mappings, t.actors
    query = (
        select(m.c.name, m.c.actor_id, a.c.name.label("actor_name"), m.c.mapped_by, m.c.created)
        .select_from(m.outerjoin(a, a.c.id == m.c.actor_id))
        .where(m.c.id == mapping_id)
    )
    row = conn.execute(query).first()
    return None if row is None else Mapping(*row)


def save_mapping(
    conn: Connection,
    mapping_id: int,
    name: str,
    actor_id: str | None,
    mapped_by: str,
    created: datetime,
) -> None:
    conn.execute(
        t.name_mappings.insert().values(
            id=mapping_id,
            name=name,
            key=normalize_name(name),
            actor_id=actor_id,
            mapped_by=mapped_by,
            created=created,
        )
    )
