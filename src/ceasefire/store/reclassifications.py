"""The incidents a write classified anew (``reclassifications``), as its author reads them.

A write that classifies incidents anew without an entry about their reports (a regime
added or extended, a designation list changed) notes each one at the write's first
entry's sequence, for the live feed. What a page shows of them afterwards is filtered by
the reader's audience like every read: an incident the reader may not see is not counted.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, exists, select

from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import visible
from ceasefire.store.reports import CHUNK

LEAD = 2  # entries a write may sign before its own: its party's and its key's, the first time


def readable(conn: Connection, incident_ids: Collection[int], audience: Audience) -> set[int]:
    """Those of these incidents the audience may read."""
    if audience.everything:
        return set(incident_ids)
    i = t.incidents.c
    ids = sorted(incident_ids)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        query = select(i.id).where(
            i.id.in_(ids[start : start + CHUNK]), visible(i.agreement_id, audience)
        )
        found.update(int(v) for v in conn.execute(query).scalars())
    return found


def written_at(
    conn: Connection, sequence: int, record: str, audience: Audience
) -> list[tuple[int, str, str]] | None:
    """The incidents (id, before, after) the write whose first entry is ``sequence``
    classified anew, those the audience reads, in id order; None when that write did not
    write ``record`` (the sequence names another write, or none). A write's entries share
    their author and time; the first is the one before which no entry shares them, and the
    record's comes first but for ``LEAD``."""
    e, rc, i = t.ledger_entries.c, t.reclassifications.c, t.incidents.c
    first = conn.execute(select(e.time, e.author_party).where(e.sequence == sequence)).first()
    if first is None:
        return None
    same_write = (e.time == first.time) & (e.author_party == first.author_party)
    began = ~exists().where(e.sequence == sequence - 1, same_write)
    wrote = exists().where(
        e.record == record, e.sequence.between(sequence, sequence + LEAD), same_write
    )
    if not conn.execute(select(began & wrote)).scalar():
        return None
    rows = conn.execute(
        select(rc.incident_id, rc.before, rc.after)
        .join_from(t.reclassifications, t.incidents, i.id == rc.incident_id)
        .where(rc.sequence == sequence, visible(i.agreement_id, audience))
        .order_by(rc.incident_id)
    ).all()
    return [(int(r.incident_id), str(r.before), str(r.after)) for r in rows]
