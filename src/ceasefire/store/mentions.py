"""The actors reports name, as their ``actors`` column holds them (a JSON array of
mentions: ``store.reports.mention_json``), read without building the reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, TableValuedAlias, func, literal, select, true

from ceasefire.domain.events import ActorMention
from ceasefire.store import tables as t
from ceasefire.store.reports import mention_from_json


@dataclass(frozen=True, slots=True)
class Mentions:
    report_id: int
    incident_id: int
    actors: tuple[ActorMention, ...]


def _each(conn: Connection) -> tuple[TableValuedAlias, ColumnElement[Any], ColumnElement[Any]]:
    """Each mention of a report's ``actors``, as a table beside it: the table, the
    mention's name and its actor's id (JSON ``null`` where none was resolved)."""
    value: ColumnElement[Any]
    if conn.dialect.name == "postgresql":
        each = func.json_array_elements(t.reports.c.actors).table_valued("value").alias("mention")
        value = each.c.value
        return each, value.op("->>")("name"), value.op("->>")("actor_id")
    each = func.json_each(t.reports.c.actors).table_valued("value").alias("mention")
    value = each.c.value
    return each, func.json_extract(value, "$.name"), func.json_extract(value, "$.actor_id")


def names_by_scope(
    conn: Connection, *, after_id: int | None = None
) -> tuple[Counter[tuple[str, str | None]], int | None]:
    """How many mentions give each name, by the scope of the reports giving it (an
    agreement's id; None: open), in the reports after ``after_id`` in id order (every
    report: None), counted by the database; and the highest of those reports' ids (None:
    none after it). The highest is read first and bounds the count: reports commit in id
    order, so a statement reading later (PostgreSQL's read committed) counts no report
    the first did not see."""
    r = t.reports.c
    highest = select(func.max(r.id))
    if after_id is not None:
        highest = highest.where(r.id > after_id)
    last = conn.execute(highest).scalar()
    if last is None:
        return Counter(), None
    each, name, _ = _each(conn)
    query = (
        select(name.label("name"), r.agreement_id, func.count().label("mentions"))
        .select_from(t.reports.join(each, true()))
        .where(r.id <= last)
        .group_by(name, r.agreement_id)
    )
    if after_id is not None:
        query = query.where(r.id > after_id)
    found = conn.execute(query)
    return Counter({(row.name, row.agreement_id): row.mentions for row in found}), int(last)


def report_key(conn: Connection, report_id: int) -> tuple[str, str] | None:
    """The source and source id of the report of that id (None: none is stored)."""
    r = t.reports.c
    found = conn.execute(select(r.source, r.source_id).where(r.id == report_id)).first()
    return None if found is None else (found.source, found.source_id)


def names_given(
    conn: Connection, *, after_id: int | None = None, limit: int | None = None
) -> tuple[set[str], int | None]:
    """Every name the stored reports give, as they give it (resolved or not), or (``limit``)
    those of the next ``limit`` reports in id order after ``after_id``; and the last of
    those reports' ids (None: no report left)."""
    r = t.reports.c
    page = select(r.id).order_by(r.id)
    if after_id is not None:
        page = page.where(r.id > after_id)
    if limit is not None:
        page = page.limit(limit)
    last = conn.execute(select(func.max(page.subquery().c.id))).scalar()
    if last is None:
        return set(), None
    each, name, _ = _each(conn)
    query = select(name).distinct().select_from(t.reports.join(each, true())).where(r.id <= last)
    if after_id is not None:
        query = query.where(r.id > after_id)
    return {found for (found,) in conn.execute(query) if found}, int(last)


def mentions_page(
    conn: Connection, *, after_id: int | None, limit: int, names: Collection[str] | None = None
) -> list[Mentions]:
    """The next ``limit`` reports' actors in id order after ``after_id``: every report's,
    or (``names``) only those of reports giving one of these names as written."""
    r = t.reports.c
    query = select(r.id, r.incident_id, r.actors).order_by(r.id).limit(limit)
    if after_id is not None:
        query = query.where(r.id > after_id)
    if names is not None:
        each, name, _ = _each(conn)
        query = query.where(select(literal(1)).select_from(each).where(name.in_(names)).exists())
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
