"""Each incident's joint finding, as stored on it (``services.joints`` derives it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from ceasefire.store import tables as t
from ceasefire.store.reports import CHUNK


def set_joint(conn: Connection, incident_id: int, joint: str | None, agreement: str | None) -> None:
    """Store an incident's joint finding (``services.joints``)."""
    i = t.incidents
    conn.execute(
        i.update().where(i.c.id == incident_id).values(joint=joint, joint_agreement=agreement)
    )


def stored_joints(conn: Connection, incident_ids: Sequence[int]) -> dict[int, tuple[Any, Any]]:
    """The joint finding and its agreement each of these incidents holds."""
    i = t.incidents
    found: dict[int, tuple[Any, Any]] = {}
    for start in range(0, len(incident_ids), CHUNK):
        query = select(i.c.id, i.c.joint, i.c.joint_agreement).where(
            i.c.id.in_(incident_ids[start : start + CHUNK])
        )
        found.update({int(r.id): (r.joint, r.joint_agreement) for r in conn.execute(query)})
    return found
