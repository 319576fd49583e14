"""The keys the server holds for parties, sealed with the configured secret.

Each party signs its writes with its own Ed25519 key. A party that does not hold its key
itself gets one the first time it writes: stored sealed with ``CEASEFIRE_LEDGER_SECRET``
(never in the clear; the secret is never in the database), its ``key.added`` entry signed
by the new key itself, first in that write's batch. The host's key, named as the log's
origin, signs checkpoints; the log has one host, the party whose key it registered first
under that name. The secret also derives the salts of sealed entries (``salt``).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection

from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.domain.regimes import Party
from ceasefire.ledger import (
    Cosigner,
    PartyKey,
    PublicKey,
    Signer,
    canonical_json,
    format_time,
    seal,
    unseal,
)
from ceasefire.ledger.keys import DEFAULT_SEAL_COST
from ceasefire.services.authors import Authors
from ceasefire.store import agreements as agreement_store
from ceasefire.store import ledger as log_store
from ceasefire.store.ledger import RegisteredKey
from ceasefire.store.records import KEY, PARTY

if TYPE_CHECKING:
    from ceasefire.services.writers import Writer

HOST_PARTY_KIND = "host"


class Keyring:
    """The parties' keys the server holds, unsealed once per process and key."""

    def __init__(
        self,
        secret: str | None,
        *,
        origin: str,
        host_party: str,
        seal_cost: int = DEFAULT_SEAL_COST,
    ) -> None:
        self._secret = secret
        self.origin = origin
        self.host_party = host_party
        self._seal_cost = seal_cost
        self._keys: dict[tuple[str, str], PartyKey] = {}
        self._lock = threading.Lock()

    @property
    def has_secret(self) -> bool:
        """Whether the server can sign: it holds the secret its parties' keys are sealed with."""
        return bool(self._secret)

    def key_name(self, party_id: str) -> str:
        """The name of a party's key: the log's origin for the host, else origin/party."""
        return self.origin if party_id == self.host_party else f"{self.origin}/{party_id}"

    def party_key(self, writer: Writer) -> PartyKey:
        """The author's key, unsealed (once per process); a party writing for the first
        time gets one, and the writer records its ``key.added`` (and for the host, its
        ``party.created``) entry."""
        conn, party_id = writer.conn, writer.author
        usable = [k for k in writer.authors.keys_of(conn, party_id) if k.revoked is None]
        held = [k for k in usable if k.sealed_private is not None]
        if held:
            return self._unsealed(party_id, held[-1])
        if usable:
            raise InvalidInputError(
                "author", f"party {party_id!r} holds its own key; it signs its entries itself"
            )
        known = {p.id for p in agreement_store.load_parties(conn)}
        if party_id == self.host_party:
            self._check_host(conn)
        if party_id == self.host_party and party_id not in known:
            agreement_store.save_party(conn, Party(party_id, "Host", HOST_PARTY_KIND))
            writer.changed("party.created", PARTY, [(party_id,)], new=True, first=True)
        elif party_id not in known:
            raise NotFoundError(f"party {party_id!r} does not exist")
        key = self.new_key(conn, party_id)
        writer.changed("key.added", KEY, [(party_id, key.key_id)], new=True, first=True)
        return key

    def new_key(self, conn: Connection, party_id: str) -> PartyKey:
        """Make a party a new key, stored sealed (its entry is the caller's to write)."""
        key = PartyKey.generate(self.key_name(party_id))
        log_store.save_party_key(
            conn,
            RegisteredKey(party_id, key.public_key, datetime.now(UTC), self._seal(key)),
        )
        with self._lock:
            self._keys[(party_id, key.key_id)] = key
        return key

    def own_key(self, conn: Connection, party_id: str) -> PublicKey:
        """The latest key a party holds itself (not the server)."""
        own = [
            k
            for k in log_store.load_party_keys(conn, party_id)
            if k.revoked is None and k.sealed_private is None
        ]
        if not own:
            raise InvalidInputError(
                "author", f"party {party_id!r} has registered no key that it holds itself"
            )
        return own[-1].key

    def _check_host(self, conn: Connection, authors: Authors | None = None) -> None:
        """Refuse to make a second host: the log's host is the party whose key, named as
        the log's origin, the log registered first."""
        host = host_in(conn, self.origin, authors) or self.host_party
        if host != self.host_party:
            raise InvalidInputError(
                "host_party",
                f"this log's host is {host!r}, not {self.host_party!r}: set "
                f"CEASEFIRE_HOST_PARTY={host}",
            )

    def salt(self, sequence: int, record: str, time: datetime) -> bytes:
        """The salt of a sealed entry's commitment: secret (an HMAC under the ledger
        secret), and the same when a prepared write runs again to be signed."""
        key = hashlib.sha256(b"ceasefire/opening-salt/v1\x00" + self._require_secret().encode())
        message = canonical_json([sequence, record, format_time(time)], field="salt")
        return hmac.new(key.digest(), message, hashlib.sha256).digest()

    def _seal(self, key: PartyKey) -> bytes:
        return seal(key, self._require_secret(), cost=self._seal_cost)

    def _require_secret(self) -> str:
        if not self._secret:
            raise InvalidInputError(
                "ledger_secret",
                "CEASEFIRE_LEDGER_SECRET is not set; it seals the keys the server signs with",
            )
        return self._secret

    def _unsealed(self, party_id: str, registered: RegisteredKey) -> PartyKey:
        cache_key = (party_id, registered.key.key_id)
        with self._lock:
            found = self._keys.get(cache_key)
        if found is None:
            assert registered.sealed_private is not None
            found = unseal(registered.sealed_private, self._require_secret())
            with self._lock:
                self._keys[cache_key] = found
        return found

    def signing_key(
        self, conn: Connection, party_id: str, authors: Authors | None = None
    ) -> PartyKey:
        """A party's unsealed key, for checkpoints and cosignatures the server makes
        (``authors``: a write group's cache of the keys)."""
        held = [
            k
            for k in _keys_of(conn, party_id, authors)
            if k.revoked is None and k.sealed_private is not None
        ]
        if not held:
            raise NotFoundError(f"the server holds no key of party {party_id!r}")
        return self._unsealed(party_id, held[-1])

    def host_signer(self, conn: Connection, authors: Authors | None = None) -> Signer:
        """The host's key, to sign checkpoints: refused when the configured host is not the
        log's (a second host is never registered, nor another party's key used as one).
        ``authors``: the write group's cache of the keys, when a group signs it."""
        self._check_host(conn, authors)
        key = self.signing_key(conn, self.host_party, authors)
        return Signer(key.name, Ed25519PrivateKey.from_private_bytes(key.private_bytes))

    def cosigner(self, conn: Connection, party_id: str) -> Cosigner:
        key = self.signing_key(conn, party_id)
        return Cosigner(key.name, Ed25519PrivateKey.from_private_bytes(key.private_bytes))


def host_in(conn: Connection, origin: str, authors: Authors | None = None) -> str | None:
    """The party that hosts this log: the first to register a key named as its origin
    (None before any has)."""
    keys = [k for k in _keys_of(conn, None, authors) if k.key.name == origin]
    return min(keys, key=lambda k: k.created).party_id if keys else None


def _keys_of(
    conn: Connection, party_id: str | None, authors: Authors | None
) -> Sequence[RegisteredKey]:
    if authors is None:
        return log_store.load_party_keys(conn, party_id)
    return authors.keys_of(conn, party_id)
