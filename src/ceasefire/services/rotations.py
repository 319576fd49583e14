"""Rotating a party's key: a new key, named by an entry the old key signs.

A rotation is one write of the party, signed by its **old** key, with two entries: a
``key.rotated`` entry for the new key's record (its name and public key) and a
``key.revoked`` entry for the old key's record (now revoked). From the next entry on the
party signs with the new key; an entry signed with the old one after the rotation fails
verification ("revoked at entry N"). ``ceasefire ledger verify`` accepts a party's change
of key only through such an entry, and lists each one (``ledger.keychain``).

For a party whose key the server holds, the server makes the new key and signs the
rotation with the old one (``rotate_key``: ``ceasefire ledger rotate-key --party P``, the
host included). A party that holds its own key prepares the rotation to its new public
key and signs it with its old key itself (``prepare_rotation``, ``rotate_own_key``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.ledger import PartyKey, PublicKey
from ceasefire.ledger.digests import KEY_ROTATED
from ceasefire.services.keyring import Keyring
from ceasefire.services.ledger import Ledger
from ceasefire.services.signing import External, Prepared
from ceasefire.services.writers import Writer
from ceasefire.store import ledger as log_store
from ceasefire.store.ledger import RegisteredKey
from ceasefire.store.records import KEY

REVOKED = "key.revoked"


@dataclass(frozen=True)
class Rotated:
    """A rotation done: the party, its old and new keys, and the rotation's entry."""

    party: str
    old: PublicKey
    new: PublicKey
    sequence: int


def rotate_key(ledger: Ledger, party_id: str) -> Rotated:
    """Give a party whose key the server holds a new key, by an entry its old key signs."""
    with ledger.write(party_id) as writer:
        old, new = rotate_held_key(writer, ledger.keys)
    return Rotated(party_id, old, new, writer.appended[0])


def rotate_held_key(writer: Writer, keys: Keyring) -> tuple[PublicKey, PublicKey]:
    """``rotate_key`` inside a write of the party: its old key and its new one."""
    party_id, conn = writer.author, writer.conn
    current = _current(writer)
    if current.sealed_private is None:
        raise InvalidInputError(
            "party",
            f"{party_id!r} holds its own key: it rotates it itself, signing with the old "
            f"key (POST /api/v1/parties/{party_id}/keys/rotate/prepare)",
        )
    old = keys.signing_key(conn, party_id)
    new = keys.new_key(conn, party_id)
    _rotate(writer, old, new.public_key)
    return old.public_key, new.public_key


def prepare_rotation(ledger: Ledger, party_id: str, key: PublicKey) -> Prepared:
    """What rotating a party's own key to ``key`` asks it to sign, with its old key."""
    return ledger.prepare(party_id, lambda writer: _rotate_own(writer, key))


def rotate_own_key(ledger: Ledger, party_id: str, key: PublicKey, external: External) -> Rotated:
    """Rotate a party's own key to ``key``: ``external`` is the prepared rotation signed
    with its old key."""
    if external.author != party_id:
        raise InvalidInputError("author", f"only {party_id!r} can rotate its key")
    with ledger.write(external=external) as writer:
        old = _rotate_own(writer, key)
    return Rotated(party_id, old, key, writer.appended[0])


def _current(writer: Writer) -> RegisteredKey:
    party = writer.author
    usable = [k for k in log_store.load_party_keys(writer.conn, party) if k.revoked is None]
    if not usable:
        raise NotFoundError(f"party {party!r} has no key to rotate: it gets one when it writes")
    return usable[-1]


def _rotate_own(writer: Writer, key: PublicKey) -> PublicKey:
    current = _current(writer)
    if current.sealed_private is not None:
        raise InvalidInputError(
            "party",
            f"the server holds {writer.author!r}'s key: rotate it with "
            f"`ceasefire ledger rotate-key --party {writer.author}`",
        )
    assert writer.external is not None and writer.external.time is not None
    log_store.save_party_key(writer.conn, RegisteredKey(writer.author, key, writer.external.time))
    _rotate(writer, current.key, key)
    return current.key


def _rotate(writer: Writer, old: PartyKey | PublicKey, new: PublicKey) -> None:
    """Revoke ``old``, and write the rotation's two entries, signed by ``old``."""
    party = writer.author
    now = datetime.now(UTC) if writer.external is None else writer.external.time
    assert now is not None
    log_store.revoke_party_key(writer.conn, party, old.key_id, now)
    writer.sign_with = old
    writer.changed(KEY_ROTATED, KEY, [(party, new.key_id)], new=True)
    writer.changed(REVOKED, KEY, [(party, old.key_id)])
