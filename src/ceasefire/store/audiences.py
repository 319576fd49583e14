"""Reads filtered by who reads: a party's audience, and the clause every scoped query adds.

A record scoped to an agreement (``domain.visibility``) is readable by that agreement's
parties alone. Every store query of a scoped table takes an ``Audience`` and adds
``visible(column, audience)`` to its WHERE clause, so a record the reader may not see
never leaves the database; a route or template has nothing to filter.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, bindparam, or_, select, true

from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t


def audience_of(conn: Connection, party_id: str) -> Audience:
    """What a party's users read: open records and those of the agreements it is in."""
    found = conn.execute(_AGREEMENTS_OF, {"party_id": party_id}).scalars()
    return Audience.of_party(party_id, found)


_AGREEMENTS_OF = select(t.agreement_parties.c.agreement_id).where(
    t.agreement_parties.c.party_id == bindparam("party_id")
)  # built once: every filed report and every read asks


def visible(column: ColumnElement[str | None], audience: Audience) -> ColumnElement[bool]:
    """The rows of a scope column (NULL: open) that the audience may read."""
    if audience.everything:
        return true()
    return or_(column.is_(None), within(column, audience))


def within(column: ColumnElement[str | None], audience: Audience) -> ColumnElement[bool]:
    """The rows of a column naming an agreement that the audience may read (an empty IN is
    false: a party of no agreement reads none)."""
    if audience.everything:
        return true()
    return column.in_(sorted(audience.agreements))
