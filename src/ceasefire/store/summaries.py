"""An incident's summary: the start of its first report's narrative, for lists, the map
and the live feed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select

from ceasefire.store import tables as t
from ceasefire.store.reports import CHUNK

SUMMARY = 160  # characters of an incident's first narrative shown in lists and the feed


def summaries(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    """The first report's narrative of each incident, cut at ``SUMMARY`` characters
    (an incident whose narratives are empty has none)."""
    reports = t.reports
    found: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        first = (
            select(func.min(reports.c.id))
            .where(reports.c.incident_id.in_(ids[i : i + CHUNK]))
            .group_by(reports.c.incident_id)
        )
        query = select(reports.c.incident_id, func.substr(reports.c.narrative, 1, SUMMARY + 1))
        for incident_id, narrative in conn.execute(query.where(reports.c.id.in_(first))):
            words = " ".join(narrative.split())
            if words:
                found[incident_id] = words if len(words) <= SUMMARY else words[: SUMMARY - 1] + "…"
    return found
