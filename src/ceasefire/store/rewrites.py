"""Incidents derived again, written where they changed: the columns whose values differ,
and the regime pairs of the incidents whose pairs differ (``services.derivations``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from ceasefire.domain.classification import Assessment
from ceasefire.store import tables as t
from ceasefire.store.bulk import insert_columns
from ceasefire.store.incidents import update_incidents
from ceasefire.store.reports import CHUNK


def update_changed(conn: Connection, rows: Mapping[int, Mapping[str, Any]]) -> None:
    """``update_incidents`` with only the columns whose values differ from those stored
    (none: the incident is not written). An UPDATE naming a column rewrites each index
    holding it, and naming its place or time, its R*Tree entry, even when the value is
    the same: resolving a report's actors again changed neither."""
    if not rows:
        return
    names = sorted({c for row in rows.values() for c in row})
    columns = [t.incidents.c[c] for c in names]
    stored: dict[int, tuple[Any, ...]] = {}
    ids = list(rows)
    for start in range(0, len(ids), CHUNK):
        query = select(t.incidents.c.id, *columns).where(
            t.incidents.c.id.in_(ids[start : start + CHUNK])
        )
        stored.update((row[0], tuple(row[1:])) for row in conn.execute(query))
    changed: dict[int, dict[str, Any]] = {}
    for incident_id, row in rows.items():
        was = dict(zip(names, stored.get(incident_id, ()), strict=False))
        differ = {c: v for c, v in row.items() if c not in was or was[c] != v}
        if differ:
            changed[incident_id] = differ
    update_incidents(conn, changed)


def set_changed_regimes(
    conn: Connection, incident_ids: Sequence[int], assessment: Assessment
) -> None:
    """``set_regimes`` for the incidents whose pairs differ from those stored."""
    columns = assessment.columns(incident_ids)
    now: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for pair in zip(*(columns[c] for c in _PAIR), strict=True):
        now[pair[0]].add(pair[1:])
    ir = t.incident_regimes
    was: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for start in range(0, len(incident_ids), CHUNK):
        query = select(*(ir.c[c] for c in _PAIR)).where(
            ir.c.incident_id.in_(incident_ids[start : start + CHUNK])
        )
        for pair in conn.execute(query):
            was[pair[0]].add(tuple(pair[1:]))
    differ = [i for i in incident_ids if now[i] != was[i]]
    if differ:
        for start in range(0, len(differ), CHUNK):
            conn.execute(ir.delete().where(ir.c.incident_id.in_(differ[start : start + CHUNK])))
        keep = set(differ)
        rows = [i for i, incident in enumerate(columns["incident_id"]) if incident in keep]
        insert_columns(conn, ir, {c: [columns[c][r] for r in rows] for c in columns})


_PAIR = ("incident_id", "regime_id", "verdict", "space", "timing")
