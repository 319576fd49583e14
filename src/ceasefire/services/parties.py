"""Adding a party (a co-chair state, a UN office, a monitoring mission, a member state)."""

from __future__ import annotations

from ceasefire.domain.errors import ConflictError, InvalidInputError
from ceasefire.domain.regimes import Party
from ceasefire.services.ledger import Ledger
from ceasefire.store import agreements as agreement_store
from ceasefire.store.records import PARTY

KINDS = ("state", "un_office", "monitoring_mission", "member_state", "host")


def add_party(ledger: Ledger, party: Party, *, author: str | None = None) -> Party:
    if party.kind not in KINDS:
        raise InvalidInputError("kind", f"{party.kind!r} is not one of {', '.join(KINDS)}")
    if not party.id or " " in party.id or len(party.id) > 64:
        raise InvalidInputError("id", f"{party.id!r}: up to 64 characters, no spaces")
    with ledger.write(author) as writer:
        if party.id in {p.id for p in agreement_store.load_parties(writer.conn)}:
            raise ConflictError(f"party {party.id!r} exists already")
        agreement_store.save_party(writer.conn, party)
        writer.changed("party.created", PARTY, [(party.id,)], new=True)
    return party
