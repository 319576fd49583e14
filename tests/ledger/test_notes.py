"""Signed notes are C2SP's and Go's: the published examples parse, verify and re-sign exactly.

The keys, texts and signatures below are copied from golang.org/x/mod's
``sumdb/note/note_test.go`` (and the package documentation in ``sumdb/note/note.go``)
and from C2SP's ``signed-note.md``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain.errors import CeasefireError
from ceasefire.ledger import (
    Note,
    NoteError,
    NoteSignature,
    Signer,
    Verifier,
    open_note,
    sign_note,
)
from ceasefire.ledger.notes import MAX_NOTE_SIZE, compute_key_id

# golang.org/x/mod sumdb/note/note_test.go
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
    "qfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGw"
    "nWLox33WWd1RvMc+QQ=\n"
)
SIGNED = TEXT + "\n" + PETER_SIG

# C2SP signed-note.md, the opening example
QUASIMODO = (
    "Ognuno sta solo sul cuor della terra\n"
    "trafitto da un raggio di sole:\n"
    "\n"
    "ed è subito sera.\n"
    "\n"
    "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrM"
    "ouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
)

PETER = Verifier.from_key_string(PETER_VKEY)
ENOCH = Verifier.from_key_string(ENOCH_VKEY)
OTHER = Signer("example.org/other", Ed25519PrivateKey.from_private_bytes(bytes(range(32))))


def test_the_go_example_verifier_key_names_its_key_and_id_and_encodes_back_unchanged() -> None:
    assert PETER.name == "PeterNeumann"
    assert PETER.key_id == bytes.fromhex("c74f20a3")
    assert PETER.key_id == compute_key_id("PeterNeumann", 0x01, PETER.public_bytes)
    assert PETER.key_string == PETER_VKEY
    assert ENOCH.key_id == bytes.fromhex("af0cfe78")


def test_every_substring_and_every_bumped_byte_of_the_go_example_verifier_key_is_rejected() -> None:
    raw = PETER_VKEY.encode()
    for start in range(len(raw) + 1):
        for end in range(start + 1, len(raw) + 1):
            if (start, end) != (0, len(raw)):
                with pytest.raises(NoteError):
                    Verifier.from_key_string(raw[start:end].decode())
    for index in range(len(raw)):
        bumped = raw[:index] + bytes([raw[index] + 1]) + raw[index + 1 :]
        with pytest.raises(NoteError):
            Verifier.from_key_string(bumped.decode())


def test_the_go_examples_of_a_wrong_length_and_an_unknown_algorithm_are_rejected() -> None:
    with pytest.raises(NoteError, match="PeterNeumann"):
        Verifier.from_key_string(
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
        )
    longer = base64.b64encode(b"\x01" + bytes(35)).decode()
    with pytest.raises(NoteError, match="32 bytes, not 35"):
        Verifier.from_key_string(f"PeterNeumann+cc469956+{longer}")
    with pytest.raises(NoteError, match="signature type is 0x65"):
        Verifier.from_key_string(
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
        )


def test_the_go_example_signer_key_derives_the_example_verifier_key() -> None:
    signer = Signer.from_key_string(PETER_SKEY)
    assert signer.verifier().key_string == PETER_VKEY
    assert signer.key_string == PETER_SKEY


def test_every_substring_and_every_bumped_byte_of_the_go_example_signer_key_is_rejected() -> None:
    raw = PETER_SKEY.encode()
    for start in range(len(raw) + 1):
        for end in range(start + 1, len(raw) + 1):
            if (start, end) != (0, len(raw)):
                with pytest.raises(NoteError):
                    Signer.from_key_string(raw[start:end].decode())
    for index in range(len(raw)):
        bumped = raw[:index] + bytes([raw[index] + 1]) + raw[index + 1 :]
        with pytest.raises(NoteError):
            Signer.from_key_string(bumped.decode())


def test_signing_the_go_example_text_gives_the_go_signed_note_byte_for_byte() -> None:
    assert sign_note(TEXT, [Signer.from_key_string(PETER_SKEY)]) == SIGNED


def test_the_go_example_signed_note_opens_with_the_example_verifier_key() -> None:
    note = open_note(SIGNED, [PETER])
    assert note.text == TEXT
    assert [(s.name, s.key_id.hex()) for s in note.signatures] == [("PeterNeumann", "c74f20a3")]
    assert note.format() == SIGNED


def test_a_note_signed_by_two_keys_opens_with_either_and_keeps_the_other_signature() -> None:
    message = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    for verifiers in ([PETER], [ENOCH], [PETER, ENOCH]):
        note = open_note(message, verifiers)
        assert [s.name for s in note.signatures] == ["PeterNeumann", "EnochRoot"]
        assert note.format() == message


def test_a_note_signed_only_by_unknown_keys_is_rejected_and_the_error_lists_them() -> None:
    with pytest.raises(NoteError, match=r"PeterNeumann\+c74f20a3, EnochRoot\+af0cfe78"):
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [OTHER.verifier()])
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(SIGNED, [])


def test_a_signature_changed_inside_its_base64_is_rejected_naming_the_key() -> None:
    raw = SIGNED.encode()
    at = len((TEXT + "\n").encode()) + 60  # where Go's test splices "ABCD" into peterSig
    with pytest.raises(NoteError, match=r"PeterNeumann\+c74f20a3 does not verify"):
        open_note(raw[:at] + b"ABCD" + raw[at:], [PETER])


def test_more_than_a_hundred_signatures_are_rejected_before_any_is_checked() -> None:
    with pytest.raises(NoteError, match="101 signatures"):
        open_note(TEXT + "\n" + PETER_SIG * 101, [PETER])
    assert len(open_note(TEXT + "\n" + PETER_SIG * 100, [PETER]).signatures) == 100


@pytest.mark.parametrize(
    "message",
    [
        TEXT.encode(),
        (TEXT + "\n").encode(),
        (TEXT + "\n" + PETER_SIG[:-1]).encode(),
        b"\x01" + SIGNED.encode(),
        b"\xff" + SIGNED.encode(),
        (TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name")[:-1]).encode(),
        (SIGNED + "Unexpected line.\n").encode(),
    ],
    ids=["no-signatures", "blank-only", "no-final-newline", "control", "not-utf8", "space", "junk"],
)
def test_the_go_examples_of_malformed_notes_are_rejected(message: bytes) -> None:
    with pytest.raises(NoteError):
        open_note(message, [PETER])


def test_the_c2sp_example_note_parses_into_its_poem_and_one_signature() -> None:
    note = Note.parse(QUASIMODO)
    assert note.text.endswith("ed è subito sera.\n")
    assert note.text.count("\n") == 4
    (signature,) = note.signatures
    assert signature.name == "quasimodo.example/salvatore"
    assert len(signature.signature) == 64
    assert note.format() == QUASIMODO
    with pytest.raises(NoteError, match=r"quasimodo\.example/salvatore"):
        open_note(QUASIMODO, [PETER])


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda m: m.replace("problem,", "problems,"), "does not verify"),
        (lambda m: m.replace("— PeterNeumann", "— PeterNeumans"), "no signature by a known key"),
        (lambda m: m.replace("x08go", "x08gp"), "no signature by a known key"),  # the key ID
        (lambda m: m.replace("JnAM=", "JnAQ="), "does not verify"),
    ],
    ids=["text", "name", "key-id", "signature"],
)
def test_a_tampered_note_does_not_open(change: Callable[[str], str], error: str) -> None:
    tampered = change(SIGNED)
    assert tampered != SIGNED
    with pytest.raises(NoteError, match=error):
        open_note(tampered, [PETER])


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (SIGNED.replace("— ", "- "), "em dash"),
        (SIGNED.replace("— PeterNeumann ", "— PeterNeumann"), "no space"),
        (SIGNED.replace("PeterNeumann", "Peter+Neumann"), "'\\+' is not allowed"),
        (SIGNED.replace("JnAM=", "JnAN="), "not canonical base64"),
        (SIGNED.replace("x08go", "x08g!"), "not standard base64"),
        (TEXT + "\n— PeterNeumann AAAA\n", "too short"),
        (SIGNED.replace("\n", "\r\n"), "control character"),
        (SIGNED + "\n", "no signature lines"),
    ],
)
def test_a_malformed_note_is_rejected_saying_what_is_wrong(message: str, error: str) -> None:
    with pytest.raises(NoteError, match=error):
        Note.parse(message)


def test_a_note_larger_than_the_limit_is_rejected() -> None:
    text = "x" * MAX_NOTE_SIZE + "\n"
    with pytest.raises(NoteError, match="bytes; at most"):
        Note.parse(text + "\n" + PETER_SIG)


def test_a_text_that_does_not_end_in_a_newline_cannot_be_signed() -> None:
    with pytest.raises(NoteError, match="newline"):
        sign_note(TEXT.rstrip("\n"), [OTHER])
    with pytest.raises(NoteError, match="at least one signer"):
        sign_note(TEXT, [])


def test_two_different_keys_with_one_name_and_key_id_are_refused_as_ambiguous() -> None:
    class Impostor:
        name = PETER.name
        key_id = PETER.key_id

        def verify(self, text: bytes, signature: bytes) -> bool:
            return True

    with pytest.raises(NoteError, match=r"share the key PeterNeumann\+c74f20a3"):
        open_note(SIGNED, [PETER, Impostor()])
    assert open_note(SIGNED, [PETER, Verifier.from_key_string(PETER_VKEY)]).text == TEXT


def test_adding_a_signature_by_a_key_already_present_replaces_it() -> None:
    note = Note.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG)
    fresh = NoteSignature("EnochRoot", bytes.fromhex("af0cfe78"), b"\x00" * 64)
    updated = note.with_signatures([fresh])
    assert [s.name for s in updated.signatures] == ["PeterNeumann", "EnochRoot"]
    assert updated.signatures[1] == fresh


def test_note_errors_are_ceasefire_errors_and_a_signer_never_prints_its_private_key() -> None:
    assert issubclass(NoteError, CeasefireError)
    signer = Signer.from_key_string(PETER_SKEY)
    assert repr(signer) == "Signer('PeterNeumann+c74f20a3')"
    assert "AYEKF" not in repr(signer) + str(signer)


NOTE_TEXT = st.lists(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), max_size=40),
    min_size=1,
    max_size=6,
).map(lambda lines: "".join(f"{line}\n" for line in lines))
KEY_NAME = st.text(st.characters(min_codepoint=0x21, max_codepoint=0xD7FF), min_size=1).filter(
    lambda name: "+" not in name and not any(c.isspace() for c in name)
)


@settings(max_examples=60, deadline=None)
@given(
    text=NOTE_TEXT,
    signatures=st.lists(
        st.builds(
            NoteSignature, KEY_NAME, st.binary(min_size=4, max_size=4), st.binary(min_size=1)
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_any_note_formats_into_a_message_that_parses_back_to_it(
    text: str, signatures: list[NoteSignature]
) -> None:
    note = Note(text, signatures)
    assert Note.parse(note.format()) == note
    assert Note.parse(note.format().encode()) == note


@settings(max_examples=40, deadline=None)
@given(text=NOTE_TEXT)
def test_any_text_signed_opens_to_the_same_text_and_not_with_a_changed_one(text: str) -> None:
    message = sign_note(text, [OTHER])
    assert open_note(message, [OTHER.verifier()]).text == text
    with pytest.raises(NoteError, match="does not verify"):
        open_note("x" + message, [OTHER.verifier()])
