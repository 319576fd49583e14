"""Which agreement a new record is scoped to, and whom a read is for.

A party files a report or an access restriction under one agreement, whose parties alone
then read it; or open (``None``), for every party. Left unsaid, the scope is the author's
party's one agreement; a party in several must name one, and a party in none files open.
"""

from __future__ import annotations

from sqlalchemy import Connection

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.visibility import Audience, Default, ScopeChoice
from ceasefire.store import agreements as agreement_store
from ceasefire.store.audiences import audience_of
from ceasefire.store.database import Database

FIELD = "agreement"
EVERYTHING = Audience.operator()  # what the services read for themselves, and the CLI


def choose_scope(
    conn: Connection,
    author: str,
    choice: ScopeChoice,
    *,
    host: str | None = None,
    audience: Audience | None = None,
) -> str | None:
    """The agreement a record the author writes is scoped to (None: open). A party may
    scope a record only to an agreement it is a party of; ``host`` (the host's operator
    importing event data at the command line), to any. ``audience``: the author's, when
    the caller has read it (a write group reads it once: ``services.authors``)."""
    mine = sorted((audience or audience_of(conn, author)).agreements)
    if choice is Default.AGREEMENT:
        if len(mine) > 1:
            raise InvalidInputError(
                FIELD,
                f"{author} is a party of {', '.join(mine)}: name the agreement whose parties "
                "may read it, or null to open it to every party",
            )
        return mine[0] if mine else None
    if choice is None or choice in mine:  # (an agreement the author is a party of exists)
        return choice
    if not agreement_store.load_agreements(conn, choice):
        raise InvalidInputError(FIELD, f"agreement {choice!r} does not exist")
    if author != host:
        raise InvalidInputError(
            FIELD, f"{author} is not a party of {choice}, so it cannot file under it"
        )
    return choice


def audience(db: Database, party: str) -> Audience:
    """What a party's users may read."""
    with db.read() as conn:
        return audience_of(conn, party)


def audience_for(db: Database, party: str | None) -> Audience:
    """What a party's users may read (``--party`` of the CLI; the party must exist), or
    everything when no party is named (the host's operator)."""
    if party is None:
        return EVERYTHING
    with db.read() as conn:
        if party not in {p.id for p in agreement_store.load_parties(conn)}:
            raise InvalidInputError("--party", f"party {party!r} does not exist")
        return audience_of(conn, party)
