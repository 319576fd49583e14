"""Party keys: signed-note key ids, signatures that name their key, keys sealed at rest."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.ledger.keys import (
    DEFAULT_SEAL_COST,
    PartyKey,
    PublicKey,
    SealedKeyError,
    SignatureError,
    key_id,
    seal,
    unseal,
)

# The example key and note of golang.org/x/mod/sumdb/note (PeterNeumann).
GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    b"If you think cryptography is the answer to your problem,\n"
    b"then you don't know what your problem is.\n"
)
GO_SIGNATURE = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
FAST = 10  # scrypt cost for tests that unseal many times; the default is tested once


def fixed_key(name: str) -> PartyKey:
    return PartyKey(name, hashlib.sha256(name.encode()).digest())


def go_key() -> PartyKey:
    name, _, encoded = GO_SIGNER_KEY.removeprefix("PRIVATE+KEY+").split("+", 2)
    seed = base64.b64decode(encoded)
    assert seed[0] == 0x01  # the signature type byte, then the 32-byte seed
    return PartyKey(name, seed[1:])


def test_the_go_note_key_has_the_key_id_and_public_key_go_computes() -> None:
    key = go_key()
    name, hex_id, encoded = GO_VERIFIER_KEY.split("+", 2)
    assert key.key_id == hex_id == "c74f20a3"
    assert base64.b64encode(b"\x01" + key.public_bytes).decode() == encoded
    assert key_id(name, key.public_bytes) == hex_id
    assert key.public_key == PublicKey(name, key.public_bytes)


def test_signing_the_go_note_text_gives_the_signature_go_gives() -> None:
    blob = base64.b64decode(GO_SIGNATURE)
    assert blob[:4].hex() == go_key().key_id
    assert go_key().sign(GO_TEXT) == blob[4:]
    go_key().public_key.verify(GO_TEXT, blob[4:])


def test_the_key_id_hashes_name_newline_type_byte_and_public_key() -> None:
    key = fixed_key("un-dppa.example/ceasefire")
    material = b"un-dppa.example/ceasefire\n\x01" + key.public_bytes
    assert key.key_id == hashlib.sha256(material).digest()[:4].hex()
    assert fixed_key("other").key_id != key.key_id


def test_a_signature_by_party_a_does_not_verify_as_party_b() -> None:
    a, b = fixed_key("ru-mod"), fixed_key("us-state")
    signature = a.sign(b"incident 42: violation")
    a.public_key.verify(b"incident 42: violation", signature)
    with pytest.raises(
        SignatureError, match=rf"^signature does not verify with key us-state \({b.key_id}\)"
    ):
        b.public_key.verify(b"incident 42: violation", signature)


def test_the_same_key_under_another_name_is_another_key() -> None:
    a = fixed_key("ru-mod")
    renamed = PublicKey("ru-mod-2", a.public_bytes)
    assert renamed.key_id != a.key_id
    renamed.verify(b"x", a.sign(b"x"))  # the name is an identity, not part of the signature


def test_an_altered_message_or_signature_does_not_verify() -> None:
    key = fixed_key("ru-mod")
    signature = key.sign(b"truce extended to 07 May")
    with pytest.raises(SignatureError, match=r"does not verify"):
        key.public_key.verify(b"truce extended to 08 May", signature)
    altered = bytes([signature[0] ^ 1]) + signature[1:]
    with pytest.raises(SignatureError, match=r"does not verify"):
        key.public_key.verify(b"truce extended to 07 May", altered)
    with pytest.raises(SignatureError, match=r"is 63 bytes; an Ed25519 signature is 64"):
        key.public_key.verify(b"truce extended to 07 May", signature[:-1])


def test_a_party_that_registers_only_its_public_key_can_be_verified() -> None:
    own_device = fixed_key("sy-rc.example")
    registered = PublicKey("sy-rc.example", bytes(own_device.public_bytes))
    registered.verify(b"accession of Kafr Batna", own_device.sign(b"accession of Kafr Batna"))
    assert registered.key_id == own_device.key_id
    assert issubclass(SignatureError, CeasefireError)


@pytest.mark.parametrize(
    "name", ["", "a b", "a+b", "tab\there", "nbsp\u00a0", "ideo\u3000", "nul\x00"]
)
def test_key_names_the_signed_note_format_cannot_carry_are_refused(name: str) -> None:
    with pytest.raises(InvalidInputError, match=r"^name: "):
        PartyKey(name, bytes(32))
    with pytest.raises(InvalidInputError, match=r"^name: "):
        PublicKey(name, fixed_key("x").public_bytes)


def test_keys_of_the_wrong_size_are_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^private: "):
        PartyKey("ru-mod", bytes(31))
    with pytest.raises(InvalidInputError, match=r"^public_bytes: is 33 bytes"):
        PublicKey("ru-mod", bytes(33))


def test_a_party_key_never_shows_its_private_key() -> None:
    key = fixed_key("ru-mod")
    shown = repr(key)
    assert key.key_id in shown
    assert key.private_bytes.hex() not in shown
    assert repr(key.private_bytes) not in shown
    assert PartyKey.generate("ru-mod").private_bytes != key.private_bytes


def test_a_sealed_key_unseals_to_the_same_key_with_the_default_cost() -> None:
    key = fixed_key("ru-mod")
    blob = seal(key, "correct horse battery staple")
    assert blob[1] == DEFAULT_SEAL_COST
    restored = unseal(blob, "correct horse battery staple")
    assert restored == key
    assert restored.private_bytes == key.private_bytes
    assert restored.name == "ru-mod"


def test_a_sealed_key_holds_no_private_key_in_the_clear_and_never_repeats() -> None:
    key = fixed_key("ru-mod")
    first, second = seal(key, "secret", cost=FAST), seal(key, "secret", cost=FAST)
    assert first != second  # fresh salt and nonce
    assert key.private_bytes not in first
    assert key.private_bytes not in second
    assert unseal(first, b"secret") == unseal(second, "secret") == key


def test_a_wrong_secret_does_not_unseal() -> None:
    blob = seal(fixed_key("ru-mod"), "secret", cost=FAST)
    with pytest.raises(SealedKeyError, match=r"the secret is wrong or the sealed key was altered"):
        unseal(blob, "Secret")


def test_flipping_any_byte_of_a_sealed_key_is_detected() -> None:
    blob = seal(fixed_key("ru-mod"), "secret", cost=FAST)
    for position in range(len(blob)):
        flipped = bytearray(blob)
        flipped[position] ^= 0x01
        with pytest.raises(SealedKeyError):
            unseal(bytes(flipped), "secret")


SEALED_FOR_PROPERTY = seal(fixed_key("ru-mod"), "secret", cost=FAST)


@given(st.integers(0, 200), st.integers(1, 255))
@settings(deadline=None)  # each example runs scrypt, slow on a loaded machine
def test_any_change_to_a_sealed_key_is_detected(position: int, mask: int) -> None:
    changed = bytearray(SEALED_FOR_PROPERTY)
    changed[position % len(changed)] ^= mask
    with pytest.raises(SealedKeyError):
        unseal(bytes(changed), "secret")


def test_a_truncated_or_extended_sealed_key_is_refused() -> None:
    blob = seal(fixed_key("ru-mod"), "secret", cost=FAST)
    with pytest.raises(SealedKeyError, match=r"too short"):
        unseal(blob[:40], "secret")
    with pytest.raises(SealedKeyError, match=r"altered"):
        unseal(blob[:-1], "secret")
    with pytest.raises(SealedKeyError, match=r"altered"):
        unseal(blob + b"\x00", "secret")


def test_an_unknown_version_or_an_unbounded_cost_is_named() -> None:
    blob = seal(fixed_key("ru-mod"), "secret", cost=FAST)
    with pytest.raises(SealedKeyError, match=r"format version 2; this version reads 1"):
        unseal(b"\x02" + blob[1:], "secret")
    with pytest.raises(SealedKeyError, match=r"scrypt cost 2\*\*40"):
        unseal(blob[:1] + bytes([40]) + blob[2:], "secret")


def test_sealing_needs_a_secret_and_a_bounded_cost() -> None:
    with pytest.raises(InvalidInputError, match=r"^secret: is empty"):
        seal(fixed_key("ru-mod"), "", cost=FAST)
    with pytest.raises(InvalidInputError, match=r"^cost: 30 is outside 10..20"):
        seal(fixed_key("ru-mod"), "secret", cost=30)
