"""Actors with aliases, and places (the gazetteer of admin areas)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import shapely
from sqlalchemy import Connection, select

from ceasefire.domain.actors import Actor, normalize_name
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
        {"id": actor.id, "name": actor.name, "kind": actor.kind, "parent_id": actor.parent_id},
    )
    aliases = _alias_rows("actor_id", actor.id, actor.names())
    changed = replace_children(conn, t.actor_aliases, "actor_id", actor.id, aliases)
    return Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome


def load_actors(conn: Connection) -> list[Actor]:
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute(select(t.actor_aliases).order_by(t.actor_aliases.c.alias)):
        aliases[row.actor_id].append(row.alias)
    return [
        Actor(
            id=r.id,
            name=r.name,
            aliases=tuple(a for a in aliases[r.id] if a != r.name),
            kind=r.kind,
            parent_id=r.parent_id,
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
