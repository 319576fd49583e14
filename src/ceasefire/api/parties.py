"""/api/v1/parties/{party}/keys: a party registers a key it holds itself, and rotates it."""

from __future__ import annotations

import base64

from fastapi import APIRouter

from ceasefire.api import schemas as s
from ceasefire.api.convert import external_of, prepared_out
from ceasefire.api.deps import Log
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.ledger import PublicKey
from ceasefire.services import queries, rotations

router = APIRouter(tags=["parties"])


def _key(body: s.KeyIn) -> PublicKey:
    try:
        return PublicKey(body.name, base64.b64decode(body.public_key, validate=True))
    except ValueError:  # binascii.Error, or text that is not ASCII
        raise InvalidInputError("public_key", "is not base64") from None
    except CeasefireError as error:
        raise InvalidInputError("public_key", str(error)) from None


@router.post("/parties/{party_id}/keys/prepare", response_model=s.Prepared)
def prepare_key(party_id: str, body: s.KeyIn, ledger: Log) -> s.Prepared:
    """The `key.added` entry registering this key would append: sign it with the key."""
    return prepared_out(ledger.prepare_key(party_id, _key(body)))


@router.post("/parties/{party_id}/keys", response_model=s.KeyOut, status_code=201)
def register_key(party_id: str, body: s.KeyIn, ledger: Log) -> s.KeyOut:
    """Register a public key the party holds, with its own signature of the prepared
    `key.added` entry; from then on the party signs its writes itself."""
    external = external_of(body.signed)
    if external is None:
        raise InvalidInputError("signed", "sign the entry /keys/prepare gave, and send it here")
    key = _key(body)
    ledger.register_key(party_id, key, external)
    record = f"key:{party_id}/{key.key_id}"
    index = queries.ledger_indexes(ledger.db, [record]).get(record)
    return s.KeyOut(party_id=party_id, key_id=key.key_id, name=key.name, ledger_index=index)


@router.post("/parties/{party_id}/keys/rotate/prepare", response_model=s.Prepared)
def prepare_rotation(party_id: str, body: s.KeyIn, ledger: Log) -> s.Prepared:
    """The entries rotating the party's own key to this new one would append (`key.rotated`
    for the new key, `key.revoked` for the old): sign them with the party's current key."""
    return prepared_out(rotations.prepare_rotation(ledger, party_id, _key(body)))


@router.post("/parties/{party_id}/keys/rotate", response_model=s.KeyOut, status_code=201)
def rotate_key(party_id: str, body: s.KeyIn, ledger: Log) -> s.KeyOut:
    """Rotate the party's own key to this new one, with the signature by its current key of
    the prepared entries; from then on the party signs with the new key, and the old one
    signs nothing more."""
    external = external_of(body.signed)
    if external is None:
        raise InvalidInputError(
            "signed", "sign the entries /keys/rotate/prepare gave with the current key"
        )
    key = _key(body)
    done = rotations.rotate_own_key(ledger, party_id, key, external)
    return s.KeyOut(party_id=party_id, key_id=key.key_id, name=key.name, ledger_index=done.sequence)
