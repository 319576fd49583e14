"""Key rotation, as the verifier reads it: a party changes key only by an entry its old key
signs; every other change of signer is named."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ceasefire.ledger import (
    BatchSignature,
    Checkpoint,
    Cosigner,
    Entry,
    JsonValue,
    PartyKey,
    Signer,
    add_cosignatures,
    cosign,
    sign_checkpoint,
    sign_entry,
)
from ceasefire.ledger.verifier import LogVerifier

from .test_verifier import LOG, ORIGIN, RU, US, entry, key_added, run

US_NEW = PartyKey(ORIGIN, hashlib.sha256(b"us, second key").digest())


def key_change(sequence: int, signer: PartyKey, new: PartyKey, kind: str) -> Entry:
    change: dict[str, JsonValue] = {"name": new.name, "public_key": new.public_bytes.hex()}
    return entry(sequence, "us", signer, kind, f"key:us/{new.key_id}", change)


FIRST = key_added(0, "us", US).state_hash()  # the state us's key record was left in


def rotation(
    start: int, old: PartyKey, new: PartyKey, signer: PartyKey, previous: str = FIRST
) -> list[bytes]:
    """us's rotation from ``old`` to ``new`` as the server writes it: the new key's
    ``key.rotated`` entry and the old key's ``key.revoked`` entry, one batch by ``signer``."""
    revoked: dict[str, JsonValue] = {
        "name": old.name,
        "public_key": old.public_bytes.hex(),
        "revoked": "2016-02-28T00:00:00Z",
    }
    batch = [
        key_change(start, signer, new, "key.rotated"),
        entry(start + 1, "us", signer, "key.revoked", f"key:us/{old.key_id}", revoked, previous),
    ]
    return [s.leaf() for s in BatchSignature.sign(batch, signer).signed_entries(batch)]


def report(sequence: int, key: PartyKey) -> bytes:
    change: dict[str, JsonValue] = {"narrative": f"report {sequence}"}
    return sign_entry(
        entry(sequence, "us", key, "report.created", f"report:{sequence}", change), key
    ).leaf()


def note(key: PartyKey, size: int, root: bytes) -> str:
    signer = Signer(key.name, Ed25519PrivateKey.from_private_bytes(key.private_bytes))
    return sign_checkpoint(Checkpoint(ORIGIN, size, root), signer)


def test_a_rotation_signed_by_the_old_key_verifies_and_is_reported() -> None:
    leaves = [*LOG, *rotation(5, US, US_NEW, US), report(7, US_NEW)]
    verifier = run(leaves)
    assert verifier.problems == []
    (rotated,) = verifier.chain.rotations
    assert str(rotated) == (
        f"party us: key rotated at entry 5, signed by the old key ({US.key_id} → {US_NEW.key_id})"
    )


def test_a_checkpoint_after_a_rotation_verifies_with_the_new_host_key_only() -> None:
    leaves = [*LOG, *rotation(5, US, US_NEW, US)]
    root = run(leaves).root()
    assert run(leaves, (note(US_NEW, 7, root),)).problems == []
    (problem,) = run(leaves, (note(US, 7, root),)).problems
    assert problem.where == "checkpoint of size 7"
    assert f"signed with the host's key {US.key_id}, replaced at entry 5" in problem.reason
    verifier = LogVerifier(roots_at=[5])  # the old key still signs what came before it
    for leaf in leaves:
        verifier.add(leaf)
    verifier.check_checkpoint(note(US, 5, run(LOG).root()), ORIGIN)
    assert verifier.finish() == []


def test_a_rotation_signed_by_the_new_key_is_named() -> None:
    forged = sign_entry(key_change(5, US_NEW, US_NEW, "key.rotated"), US_NEW).leaf()
    problems = run([*LOG, forged, report(6, US_NEW)]).problems
    assert problems[0].where == f"entry 5 (key.rotated key:us/{US_NEW.key_id} by us)"
    assert "signed by the new key itself, not by a key us held before it" in problems[0].reason
    assert any(
        p.where.startswith("entry 6 ") and "no entry before it registered" in p.reason
        for p in problems
    )
    assert run([*LOG, forged]).chain.rotations == []


def test_a_new_key_with_no_rotation_is_named_even_after_the_old_one_was_revoked() -> None:
    revoked: dict[str, JsonValue] = {"name": US.name, "revoked": "2016-02-28T00:00:00Z"}
    revoke = sign_entry(
        entry(5, "us", US, "key.revoked", f"key:us/{US.key_id}", revoked, FIRST), US
    ).leaf()
    added = sign_entry(key_added(6, "us", US_NEW), US_NEW).leaf()
    problems = run([*LOG, revoke, added]).problems
    assert problems[0].where == f"entry 6 (key.added key:us/{US_NEW.key_id} by us)"
    assert "adds a second key for us, signed by itself" in problems[0].reason
    assert "revoked at entry 5; a new key needs a key.rotated entry" in problems[0].reason


def test_entries_after_a_rotation_signed_by_the_old_key_are_refused() -> None:
    leaves = [*LOG, *rotation(5, US, US_NEW, US), report(7, US)]
    (problem,) = run(leaves).problems
    assert problem.where == "entry 7 (report.created report:7 by us)"
    assert problem.reason == f"is signed with key {US.name}, revoked at entry 5"


def test_a_second_rotation_by_the_key_the_first_replaced_is_refused() -> None:
    third = PartyKey(ORIGIN, hashlib.sha256(b"us, third key").digest())
    leaves = [*LOG, *rotation(5, US, US_NEW, US), *rotation(7, US, third, US)]
    problems = run(leaves).problems
    assert problems[0].where == f"entry 7 (key.rotated key:us/{third.key_id} by us)"
    assert f"signed by key {US.key_id}, revoked at entry 5" in problems[0].reason


def test_a_first_key_signed_by_another_key_is_named() -> None:
    stranger = PartyKey(f"{ORIGIN}/fr", hashlib.sha256(b"fr").digest())
    change: dict[str, JsonValue] = {
        "name": stranger.name,
        "public_key": stranger.public_bytes.hex(),
    }
    added = entry(5, "fr", US, "key.added", f"key:fr/{stranger.key_id}", change)
    problems = run([*LOG, sign_entry(added, US).leaf()]).problems
    assert problems[0].reason.startswith("adds the first key of fr, but is signed by key")


RU_NEW = PartyKey(f"{ORIGIN}/ru", hashlib.sha256(b"ru, second key").digest())


def cosigned(note_text: str, key: PartyKey, checkpoint: Checkpoint) -> str:
    cosigner = Cosigner(key.name, Ed25519PrivateKey.from_private_bytes(key.private_bytes))
    return add_cosignatures(note_text, [cosign(checkpoint, cosigner, 1_700_000_000)])


def test_a_cosignature_by_a_replaced_key_after_its_rotation_is_named() -> None:
    """ru rotates at entry 5; its old key may cosign the checkpoint of size 5, not 7."""
    revoked: dict[str, JsonValue] = {
        "name": RU.name,
        "public_key": RU.public_bytes.hex(),
        "revoked": "2016-02-28T00:00:00Z",
    }
    change: dict[str, JsonValue] = {"name": RU_NEW.name, "public_key": RU_NEW.public_bytes.hex()}
    batch = [
        entry(5, "ru", RU, "key.rotated", f"key:ru/{RU_NEW.key_id}", change),
        entry(6, "ru", RU, "key.revoked", f"key:ru/{RU.key_id}", revoked,
              key_added(3, "ru", RU).state_hash()),
    ]  # fmt: skip
    leaves = [*LOG, *(s.leaf() for s in BatchSignature.sign(batch, RU).signed_entries(batch))]
    verifier = LogVerifier(roots_at=[5, 7])
    for leaf in leaves:
        verifier.add(leaf)
    assert verifier.finish() == []
    before, after = (
        Checkpoint(ORIGIN, 5, verifier.roots[5]),
        Checkpoint(ORIGIN, 7, verifier.roots[7]),
    )
    verifier.check_checkpoint(cosigned(note(US, 5, before.root_hash), RU, before), ORIGIN)
    verifier.check_checkpoint(cosigned(note(US, 7, after.root_hash), RU_NEW, after), ORIGIN)
    assert verifier.problems == []
    verifier.check_checkpoint(cosigned(note(US, 7, after.root_hash), RU, after), ORIGIN)
    (problem,) = verifier.problems
    assert problem.where == "checkpoint of size 7"
    assert problem.reason == f"is cosigned with ru's key {RU.key_id}, replaced at entry 5"
