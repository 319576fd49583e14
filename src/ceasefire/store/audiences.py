"""Reads filtered by who reads: a party's audience, and the clause every scoped query adds.

A record scoped to an agreement (``domain.visibility``) is readable by that agreement's
parties alone. Every store query of a scoped table takes an ``Audience`` and adds
``visible(column, audience)`` to its WHERE clause, so a record the reader may not see
never leaves the database; a route or template has nothing to filter.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, false, or_, select, true

from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t


def audience_of(conn: Connection, party_id: str) -> Audience:
    """What a party's users read: open records and those of the agreements it is in."""
    ap = t.agreement_parties
    found = conn.execute(select(ap.c.agreement_id).where(ap.c.party_id == party_id)).scalars()
    return Audience.of_party(party_id, found)


def visible(column: ColumnElement[str | None], audience: Audience) -> ColumnElement[bool]:
    """The rows of a scope column that the audience may read."""
    if audience.everything:
        return true()
    if not audience.agreements:
        return column.is_(None)
    return or_(column.is_(None), column.in_(sorted(audience.agreements)))


def within(column: ColumnElement[str], audience: Audience) -> ColumnElement[bool]:
    """The rows of a column that names an agreement (never open) the audience may read."""
    if audience.everything:
        return true()
    if not audience.agreements:
        return false()
    return column.in_(sorted(audience.agreements))
