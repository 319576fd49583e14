"""Which key a party signs with, where in the log: its first key, and its rotations.

A party's **first** key is registered by a ``key.added`` entry signed by that key itself;
from then on the party's identity is pinned to it. A **later** key comes only through a
``key.rotated`` entry that names the new key and is signed by the party's current key:
the old key is revoked at that entry, and the party's later entries are signed by the new
one. A second ``key.added`` for a party (signed by the new key itself, whatever happened
to the old one), or a ``key.rotated`` entry not signed by the party's current key, is a
change of signer with no rotation, and the verifier names it.

The host's key is the first the log registered under the log's origin; its later keys
come by rotation, like any party's, so a checkpoint is checked with the host key that was
current at its size.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Set
from dataclasses import dataclass, field

from ceasefire.domain.errors import CeasefireError

from .checkpoints import CosignatureVerifier
from .digests import KEY_ROTATED, LeafFacts
from .keys import PublicKey
from .notes import Verifier


@dataclass
class LoggedKey:
    """A party's key as the log registered it (store.ledger.RegisteredKey is the database's row)."""

    party: str
    key: PublicKey
    added: int
    revoked: int | None = None


@dataclass(frozen=True)
class Rotation:
    """A party's key replaced by the entry at ``sequence``, signed by the old key."""

    party: str
    sequence: int
    old: PublicKey
    new: PublicKey

    def __str__(self) -> str:
        return (
            f"party {self.party}: key rotated at entry {self.sequence}, signed by the old key "
            f"({self.old.key_id} → {self.new.key_id})"
        )


@dataclass
class KeyChain:
    """The keys the log's entries registered so far, in order."""

    keys: dict[tuple[str, str], LoggedKey] = field(default_factory=dict)
    rotations: list[Rotation] = field(default_factory=list)
    changed: bool = False  # since the verifier last read ``lookup``

    def lookup(self) -> dict[tuple[str, str], PublicKey]:
        self.changed = False
        return {k: r.key for k, r in self.keys.items()}

    def register(self, facts: LeafFacts, index: int, start: int) -> str | None:
        """Register the key a ``key.added`` or ``key.rotated`` entry at ``index`` adds (its
        write began at ``start``: a batch's first entry); what is wrong with it, or None."""
        assert facts.added_key is not None
        party, _, key_id = facts.record.removeprefix("key:").partition("/")
        name, public_hex = facts.added_key
        try:
            key = PublicKey(name, bytes.fromhex(public_hex))
        except (ValueError, CeasefireError) as error:
            return f"does not describe a key: {error}"
        if key.key_id != key_id:
            return f"adds key {key_id} of {party}, but the key's id is {key.key_id}"
        if party != facts.author:
            return f"adds a key of {party}, but is signed by {facts.author}"
        if (party, key_id) in self.keys:
            return None if facts.kind != KEY_ROTATED else f"rotates to key {key_id}, known already"
        if facts.kind == KEY_ROTATED:
            wrong = self._rotate(facts, index, start, key)
        else:
            wrong = self._first(party, key, facts.key_id)
        if wrong is None:
            self.keys[(party, key_id)] = LoggedKey(
                party, key, index, index if facts.revoked else None
            )
            self.changed = True
        return wrong

    def _first(self, party: str, key: PublicKey, signer: str) -> str | None:
        earlier = [k for k in self.keys.values() if k.party == party]
        if earlier:
            last = earlier[-1]
            had = (
                f"has key {last.key.name} ({last.key.key_id})"
                if last.revoked is None
                else f"had key {last.key.name} ({last.key.key_id}), revoked at entry {last.revoked}"
            )
            return (
                f"adds a second key for {party}, signed by itself: {party} {had}; a new key "
                "needs a key.rotated entry signed by the old one"
            )
        if signer != key.key_id:
            return f"adds the first key of {party}, but is signed by key {signer}, not by it"
        return None

    def _rotate(self, facts: LeafFacts, index: int, start: int, new: PublicKey) -> str | None:
        party = facts.author
        old = self.keys.get((party, facts.key_id))
        if old is None:
            signer = "the new key itself" if facts.key_id == new.key_id else f"key {facts.key_id}"
            return (
                f"rotates {party}'s key to {new.key_id}, signed by {signer}, not by a key "
                f"{party} held before it: a change of signer with no rotation by the old key"
            )
        if old.revoked is not None and old.revoked < start:
            return (
                f"rotates {party}'s key to {new.key_id}, signed by key {old.key.key_id}, "
                f"revoked at entry {old.revoked}"
            )
        if old.revoked is None or old.revoked > index:
            old.revoked = index
        self.rotations.append(Rotation(party, index, old.key, new))
        return None

    def revoke(self, party: str, key_id: str, index: int) -> None:
        """A ``key`` record's entry saying the key is revoked, from ``index`` on."""
        found = self.keys.get((party, key_id))
        if found is not None and found.revoked is None:
            found.revoked = index

    def valid(self, author: str, key_id: str, index: int) -> tuple[PublicKey | None, str]:
        """The key an entry of ``author``'s, at ``index``, is signed with; or why none is."""
        found = self.keys.get((author, key_id))
        if found is None:
            return (
                None,
                f"is signed with key {key_id}, which no entry before it registered for {author}",
            )
        if found.revoked is not None and found.revoked < index:
            return None, f"is signed with key {found.key.name}, revoked at entry {found.revoked}"
        return found.key, ""

    def host_keys(self, origin: str) -> list[LoggedKey]:
        """The host's keys: those of the party whose key, named as the log's ``origin``,
        the log registered first (its first key, then its rotations)."""
        named = [k for k in self.keys.values() if k.key.name == origin]
        if not named:
            return []
        host = min(named, key=lambda k: k.added).party
        return sorted((k for k in self.keys.values() if k.party == host), key=lambda k: k.added)

    def host_signer(
        self, signed: Set[tuple[str, bytes]], size: int, origin: str, host: Verifier | None
    ) -> tuple[Verifier | None, str]:
        """The host key that signed a checkpoint of ``size`` (``signed``: the (name, key
        id) of its signature lines): one of the host's keys (its first, or one a rotation
        made), and what is wrong if it was not current at that size. A ``host`` key given
        to trust (``--host-key``) must be one of the host's keys — then each checkpoint is
        checked with the one of its rotations that signed it; one the log does not register
        for its host is used as given, for every checkpoint."""
        hosts = self.host_keys(origin)
        if host is not None and not any(_as_verifier(k.key).key_id == host.key_id for k in hosts):
            return host, ""
        for logged in hosts:
            verifier = _as_verifier(logged.key)
            if (verifier.name, verifier.key_id) not in signed:
                continue
            if logged.revoked is not None and size > logged.revoked:
                return verifier, (
                    f"is signed with the host's key {logged.key.key_id}, replaced at entry "
                    f"{logged.revoked}: a checkpoint of a larger log needs the key after it"
                )
            if size <= logged.added:
                return verifier, (
                    f"is signed with the host's key {logged.key.key_id}, which the log "
                    f"registers only at entry {logged.added}"
                )
            return verifier, ""
        if not hosts:
            return None, f"is not signed by any key the log registered as {origin!r}"
        keys = ", ".join(k.key.key_id for k in hosts)
        return (
            None,
            f"is not signed by the host's key: the log's host is {hosts[0].party}, "
            f"whose keys are {keys}",
        )


def _as_verifier(key: PublicKey) -> Verifier:
    return Verifier.from_key_string(note_key_string(key))


def note_key_string(key: PublicKey, cosigner: bool = False) -> str:
    """A party key as a C2SP verifier key string (type 0x01, or 0x04 as a cosigner)."""
    kind = CosignatureVerifier if cosigner else Verifier
    kind_byte = bytes([kind.signature_type])
    key_id = hashlib.sha256(key.name.encode() + b"\n" + kind_byte + key.public_bytes).digest()
    encoded = base64.b64encode(kind_byte + key.public_bytes).decode()
    return f"{key.name}+{key_id[:4].hex()}+{encoded}"
