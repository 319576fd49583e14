"""What a write group's members read about their authors: that the party exists, its keys,
its agreements. Each is read once per group and party, not once per write.

A group holds the log's lock for its whole transaction (``services.commits``), and
parties, keys and agreements are records, changed only by ledger writes, which take that
lock: no other process changes them while the group lasts. A member of the group may,
so the cache is forgotten whole as soon as a write says it changed a party, a key or an
agreement (``Writer.changed``), and when a member is rolled back or only prepared (what
it read inside its savepoint may be gone). The next read goes to the database again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from ceasefire.domain.visibility import Audience
from ceasefire.store import agreements as agreement_store
from ceasefire.store import ledger as log_store
from ceasefire.store.audiences import audience_of
from ceasefire.store.ledger import RegisteredKey


@dataclass(eq=False)
class Authors:
    """The authors' facts as one write group's transaction reads them."""

    _exists: dict[str, bool] = field(default_factory=dict)
    _keys: dict[str | None, tuple[RegisteredKey, ...]] = field(default_factory=dict)
    _audiences: dict[str, Audience] = field(default_factory=dict)
    reads: int = 0  # how many reads went to the database (what the tests count)

    def party_exists(self, conn: Connection, party_id: str) -> bool:
        found = self._exists.get(party_id)
        if found is None:
            self.reads += 1
            found = self._exists[party_id] = agreement_store.party_exists(conn, party_id)
        return found

    def keys_of(self, conn: Connection, party_id: str | None) -> Sequence[RegisteredKey]:
        """The party's keys (None: every party's), revoked ones included, oldest first
        (``load_party_keys``). Every party's are read at once, in one query: a group needs
        its authors' keys and, for its checkpoint, every party's (to find the host) and the
        host's, which were three reads a group."""
        found = self._keys.get(party_id)
        if found is None:
            every = self._keys.get(None)
            if every is None:
                self.reads += 1
                every = self._keys[None] = tuple(log_store.load_party_keys(conn, None))
            if party_id is None:
                return every
            found = self._keys[party_id] = tuple(k for k in every if k.party_id == party_id)
        return found

    def audience_of(self, conn: Connection, party_id: str) -> Audience:
        """What the party's users read: the agreements it is a party of."""
        found = self._audiences.get(party_id)
        if found is None:
            self.reads += 1
            found = self._audiences[party_id] = audience_of(conn, party_id)
        return found

    def forget(self) -> None:
        """Read everything from the database again from now on."""
        self._exists.clear()
        self._keys.clear()
        self._audiences.clear()
