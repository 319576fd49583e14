"""The actors reports name, as their ``actors`` column holds them (a JSON array of
mentions: ``store.reports.mention_json``), read without building the reports."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select, true

from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import visible


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
    )
    return Counter({row.name: row.mentions for row in conn.execute(query) if row.name})
