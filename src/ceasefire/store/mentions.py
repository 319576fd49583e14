"""The actors reports name, as their ``actors`` column holds them (a JSON array of
mentions: ``store.reports.mention_json``), read without building the reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select, true

from ceasefire.domain.events import ActorMention
from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import visible
from ceasefire.store.reports import mention_from_json


@dataclass(frozen=True, slots=True)
class Mentions:
    report_id: int
    incident_id: int
    actors: tuple[ActorMention, ...]


def unresolved_counts(conn: Connection, audience: Audience) -> Counter[str]:
    """How many mentions in the reports ``audience`` reads give each name no actor was
    resolved for, counted by the database (a million reports: one pass in its own code,
    no report built)."""
    r = t.reports
    name: ColumnElement[Any]
    actor: ColumnElement[Any]
    if conn.dialect.name == "postgresql":
        each = func.json_array_elements(r.c.actors).table_valued("value").alias("mention")
        name = each.c.value.op("->>")("name")
        actor = each.c.value.op("->>")("actor_id")
    else:
        each = func.json_each(r.c.actors).table_valued("value").alias("mention")
        name = func.json_extract(each.c.value, "$.name")
        actor = func.json_extract(each.c.value, "$.actor_id")
    query = (
        select(name.label("name"), func.count().label("mentions"))
        .select_from(r.join(each, true()))
        .where(visible(r.c.agreement_id, audience), actor.is_(None))
        .group_by(name)
        .order_by(func.count().desc(), name)  # ties in one order, on both databases
    )
    return Counter({row.name: row.mentions for row in conn.execute(query) if row.name})


def mentions_page(conn: Connection, *, after_id: int | None, limit: int) -> list[Mentions]:
    """The next ``limit`` reports' actors, every report's, in id order after ``after_id``."""
    r = t.reports.c
    query = select(r.id, r.incident_id, r.actors).order_by(r.id).limit(limit)
    if after_id is not None:
        query = query.where(r.id > after_id)
    return [Mentions(row.id, row.incident_id, _mentions(row.actors)) for row in conn.execute(query)]


def mentions_of(conn: Connection, report_ids: Sequence[int]) -> list[Mentions]:
    """These reports' actors as stored now, in id order."""
    r = t.reports.c
    found: list[Mentions] = []
    for start in range(0, len(report_ids), 900):  # below SQLite's bound parameters
        chunk = report_ids[start : start + 900]
        query = select(r.id, r.incident_id, r.actors).where(r.id.in_(chunk))
        found += [
            Mentions(row.id, row.incident_id, _mentions(row.actors)) for row in conn.execute(query)
        ]
    return sorted(found, key=lambda m: m.report_id)


def _mentions(stored: Sequence[dict[str, Any]]) -> tuple[ActorMention, ...]:
    return tuple(mention_from_json(m) for m in stored)
