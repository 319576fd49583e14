"""Drafts of reports, always read and written for one party: a query that does not name
the party cannot be written, so no draft is ever read across parties."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ceasefire.domain.errors import NotFoundError
from ceasefire.store import tables as t


@dataclass(frozen=True)
class Draft:
    id: int
    party_id: str
    author: str  # who kept it first
    body: dict[str, Any]
    created: datetime

    @property
    def version(self) -> str:
        """A digest of what the draft holds: it changes whenever the draft is kept with
        something else, so an editor can tell that a colleague changed it meanwhile."""
        text = json.dumps(self.body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def add_draft(
    conn: Connection, party_id: str, author: str, body: dict[str, Any], created: datetime
) -> Draft:
    d = t.report_drafts
    inserted = conn.execute(
        d.insert()
        .values(party_id=party_id, author=author, body=body, created=created)
        .returning(d.c.id)
    )
    return Draft(int(inserted.scalar_one()), party_id, author, body, created)


def drafts_of(conn: Connection, party_id: str) -> list[Draft]:
    d = t.report_drafts
    rows = conn.execute(select(d).where(d.c.party_id == party_id).order_by(d.c.id))
    return [Draft(int(r.id), r.party_id, r.author, dict(r.body), r.created) for r in rows]


def get_draft(conn: Connection, party_id: str, draft_id: int, *, lock: bool = False) -> Draft:
    """The party's draft; another party's draft does not exist for it (the same 404).
    ``lock``: held until the transaction ends, so that no one else writes it meanwhile."""
    d = t.report_drafts
    query = select(d).where(d.c.id == draft_id, d.c.party_id == party_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFoundError(f"draft {draft_id} does not exist")
    return Draft(int(row.id), row.party_id, row.author, dict(row.body), row.created)


def replace_draft(conn: Connection, party_id: str, draft_id: int, body: dict[str, Any]) -> Draft:
    """The party's draft holding ``body`` instead (who kept it first, and when, stay)."""
    d = t.report_drafts
    found = get_draft(conn, party_id, draft_id, lock=True)
    conn.execute(d.update().where(d.c.id == draft_id, d.c.party_id == party_id).values(body=body))
    return Draft(found.id, party_id, found.author, body, found.created)


def delete_draft(conn: Connection, party_id: str, draft_id: int) -> None:
    d = t.report_drafts
    done = conn.execute(d.delete().where(d.c.id == draft_id, d.c.party_id == party_id))
    if done.rowcount != 1:
        raise NotFoundError(f"draft {draft_id} does not exist")
