"""Checkpoints and cosignatures are C2SP's: published checkpoints open and are reproduced.

Examples are copied from C2SP's ``tlog-checkpoint.md`` and ``tlog-cosignature.md``, from
sigsum-go's ``pkg/checkpoint/checkpoint_test.go`` (a checkpoint and a cosignature made
with a fixed key, and the sum.golang.org checkpoint of 2024-09-23 with the Go checksum
database key), and from transparency-dev/formats' ``note/note_cosigv1_test.go``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import (
    Checkpoint,
    CosignatureVerifier,
    Cosigner,
    MemoryTree,
    Note,
    NoteError,
    NoteSignature,
    ProofError,
    Signer,
    Verifier,
    add_cosignatures,
    cosign,
    cosignature_time,
    open_checkpoint,
    open_cosigned_checkpoint,
    sign_checkpoint,
    verify_checkpoint_consistency,
    verify_cosignature,
)
from ceasefire.ledger.checkpoints import cosigned_message

from .vectors import RFC6962_LEAVES

# C2SP tlog-checkpoint.md and tlog-cosignature.md
SOFA_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
SOFA_LOG_SIG = (
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5"
    "/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)
SOFA_WITNESS_SIG = (
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJ"
    "sX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)
SOFA_COSIGNED_MESSAGE = (
    "cosignature/v1\n"
    "time 1679315147\n"
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)

# sigsum-go pkg/checkpoint/checkpoint_test.go: crypto.PrivateKey{17} is the seed 17, 0, 0, ...
SIGSUM_SEED = bytes([17]) + bytes(31)
SIGSUM_ORIGIN = (
    "sigsum.org/v1/tree/e796172b92befd62d9dc67e41c2f5bc9d3100a3023b20b1ca40288dd1c679e69"
)
SIGSUM_ROOT = bytes([28, 14, 71]) + bytes(29)
SIGSUM_SIGNED = (
    f"{SIGSUM_ORIGIN}\n10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— {SIGSUM_ORIGIN} "
    "gJ2ho0n8F8olcerUF1FFdv235A/5as/coWrpLrtE7ovMeP5whgwouYExowG/lTznxu6OUGjjt5yJQ6bXtTcf718MqAQ=\n"
)
SIGSUM_COSIGNATURES = (
    "— example.org/witness yX8uUAAAAAAAAATSftMzceM8zssdZ9jin9SjwIxzx9iADMf63VqirX2hafol9RsqNqbo"
    "fIz0LVRqHXI2kpEBSki5RTXFtxz1vo9+Cg==\n"
    "— example.org/witness ys8uUAAAAAAAAATSftMzceM8zssdZ9jin9SjwIxzx9iADMf63VqirX2hafol9RsqNqbo"
    "fIz0LVRqHXI2kpEBSki5RTXFtxz1vo9+Cg==\n"
    "— example.org/witness-2 ys8uUAAAAAAAAATSftMzceM8zssdZ9jin9SjwIxzx9iADMf63VqirX2hafol9RsqNq"
    "bofIz0LVRqHXI2kpEBSki5RTXFtxz1vo9+Cg==\n"
)
SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_CHECKPOINT = (
    "go.sum database tree\n30055305\nmXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=\n\n"
    "— sum.golang.org Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWF"
    "JJYle3EJlDCrQ+y3A8=\n"
)

# Our own keys: made from fixed seeds so that docs/ledger.md can show their output.
HOST = Signer(
    "ceasefire.example/ledger",
    Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"ceasefire.example/ledger").digest()),
)
PARTY_A = Cosigner(
    "ceasefire.example/party-a",
    Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"ceasefire.example/party-a").digest()),
)
PARTY_B = Cosigner.generate("ceasefire.example/party-b")
TREE = MemoryTree.from_entries(RFC6962_LEAVES[:7])
SEVEN = Checkpoint("ceasefire.example/ledger", 7, TREE.root(7))
CESSATION = datetime(2016, 2, 27, tzinfo=timezone(timedelta(hours=2)))  # 00:00 in Damascus


def sigsum_checkpoint(origin: str) -> Checkpoint:
    return Checkpoint(origin, 10, SIGSUM_ROOT)


def test_the_c2sp_example_checkpoint_parses_into_origin_size_and_root_and_back() -> None:
    checkpoint = Checkpoint.parse(SOFA_BODY)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root_hash == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.body() == SOFA_BODY


def test_the_c2sp_example_cosignature_carries_the_time_of_the_specs_signed_message() -> None:
    note = Note.parse(SOFA_BODY + "\n" + SOFA_LOG_SIG + SOFA_WITNESS_SIG)
    log, witness = note.signatures
    assert log.name == "example.com/behind-the-sofa"
    assert witness.name == "witness.example.com/w1"
    assert cosignature_time(witness) == 1679315147
    expected = SOFA_COSIGNED_MESSAGE.encode()
    assert cosigned_message(1679315147, Checkpoint.parse(note.text).body().encode()) == expected
    with pytest.raises(NoteError, match="is 64 bytes; a cosignature/v1 is 72"):
        cosignature_time(log)


def test_signing_the_sigsum_checkpoint_with_the_sigsum_test_key_gives_its_note_exactly() -> None:
    host = Signer(SIGSUM_ORIGIN, Ed25519PrivateKey.from_private_bytes(SIGSUM_SEED))
    assert hashlib.sha256(host.verifier().public_bytes).hexdigest() in SIGSUM_ORIGIN
    assert sign_checkpoint(sigsum_checkpoint(SIGSUM_ORIGIN), host) == SIGSUM_SIGNED
    assert open_checkpoint(SIGSUM_SIGNED, host.verifier()) == sigsum_checkpoint(SIGSUM_ORIGIN)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda m: m.replace(f"{SIGSUM_ORIGIN}\n", f"{SIGSUM_ORIGIN}x\n", 1), "does not verify"),
        (lambda m: m.replace("\n10\n", "\n11\n"), "does not verify"),
        (lambda m: m.replace("HA5H", "HA5I"), "does not verify"),
        (lambda m: m.replace(" gJ2h", " gJ2i"), "no signature by a known key"),
        (lambda m: m.replace("MqAQ=", "MqBQ="), "does not verify"),
        (lambda m: m.replace(f"— {SIGSUM_ORIGIN}", "— example.org/log"), "no signature by a known"),
    ],
    ids=["origin", "size", "root", "key-id", "signature", "name"],
)
def test_a_tampered_sigsum_checkpoint_does_not_open(
    change: Callable[[str], str], error: str
) -> None:
    host = Verifier(SIGSUM_ORIGIN, Ed25519PrivateKey.from_private_bytes(SIGSUM_SEED).public_key())
    tampered = change(SIGSUM_SIGNED)
    assert tampered != SIGSUM_SIGNED
    with pytest.raises(NoteError, match=error):
        open_checkpoint(tampered, host)


def test_cosigning_the_sigsum_checkpoint_at_1234_gives_the_sigsum_cosignature_exactly() -> None:
    witness = Cosigner("example.org/witness", Ed25519PrivateKey.from_private_bytes(SIGSUM_SEED))
    line = cosign(sigsum_checkpoint("example.org/log"), witness, 1234).line()
    assert line == SIGSUM_COSIGNATURES.splitlines(keepends=True)[1]


def test_of_the_sigsum_cosignature_lines_only_the_one_by_the_witness_key_verifies() -> None:
    witness = CosignatureVerifier(
        "example.org/witness", Ed25519PrivateKey.from_private_bytes(SIGSUM_SEED).public_key()
    )
    checkpoint = sigsum_checkpoint("example.org/log")
    other_id, right, other_name = Note.parse("x\n\n" + SIGSUM_COSIGNATURES).signatures
    assert verify_cosignature(checkpoint, right, witness) == 1234
    for line in (other_id, other_name):
        with pytest.raises(NoteError, match=r"not by example\.org/witness\+cacf2e50"):
            verify_cosignature(checkpoint, line, witness)
    later = NoteSignature(right.name, right.key_id, (1235).to_bytes(8, "big") + right.signature[8:])
    with pytest.raises(NoteError, match="does not verify"):
        verify_cosignature(checkpoint, later, witness)
    with pytest.raises(NoteError, match="does not verify"):
        verify_cosignature(sigsum_checkpoint("example.org/log2"), right, witness)


def test_the_real_sum_golang_org_checkpoint_opens_with_the_go_checksum_database_key() -> None:
    sumdb = Verifier.from_key_string(SUMDB_VKEY)
    checkpoint = open_checkpoint(SUMDB_CHECKPOINT, sumdb)
    assert checkpoint.origin == "go.sum database tree"
    assert checkpoint.size == 30055305
    assert checkpoint.body() + "\n" == SUMDB_CHECKPOINT.split("— ")[0]
    with pytest.raises(NoteError, match="does not verify"):
        open_checkpoint(SUMDB_CHECKPOINT.replace("30055305", "30055306"), sumdb)


def test_cosigner_keys_are_type_4_and_note_keys_type_1_and_neither_reads_as_the_other() -> None:
    remora = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
    plain = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
    assert CosignatureVerifier.from_key_string(remora).key_string == remora
    assert Verifier.from_key_string(plain).key_string == plain
    with pytest.raises(NoteError, match="signature type is 0x04, expected 0x01"):
        Verifier.from_key_string(remora)
    with pytest.raises(NoteError, match="signature type is 0x01, expected 0x04"):
        CosignatureVerifier.from_key_string(plain)
    assert Cosigner.from_key_string(PARTY_A.key_string).key_id == PARTY_A.key_id
    assert PARTY_A.verifier().key_id != Verifier(PARTY_A.name, PARTY_A.verifier().public_key).key_id


def test_the_transparency_dev_cosignature_times_are_read_and_a_plain_signature_refused() -> None:
    cosigned = base64.b64decode(
        "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcF"
        "iEBYJXORmnFBOBA=="
    )
    plain = base64.b64decode(
        "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY="
    )
    assert cosignature_time(NoteSignature("w", cosigned[:4], cosigned[4:])) == 1727964367
    with pytest.raises(NoteError, match="64 bytes"):
        cosignature_time(NoteSignature("w", plain[:4], plain[4:]))


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("log\n7\n", "2 lines"),
        ("log\n7\n" + "A" * 43 + "=", "newline"),
        ("log\n07\n" + "A" * 43 + "=\n", "leading zeroes"),
        ("log\n+7\n" + "A" * 43 + "=\n", "not a decimal"),
        ("log\n-1\n" + "A" * 43 + "=\n", "not a decimal"),
        ("log\n7.0\n" + "A" * 43 + "=\n", "not a decimal"),
        ("log\n٧\n" + "A" * 43 + "=\n", "not a decimal"),  # an Arabic-Indic seven
        ("log\n18446744073709551616\n" + "A" * 43 + "=\n", "outside 0..2\\*\\*64-1"),
        ("log\n" + "9" * 5000 + "\n" + "A" * 43 + "=\n", "not a decimal"),
        ("\n7\n" + "A" * 43 + "=\n", "origin is empty"),
        ("log\n7\nAAAA\n", "3 bytes, not 32"),
        ("log\n7\n" + "A" * 42 + "B=\n", "not canonical base64"),
        ("log\n7\n" + "A" * 43 + "=\n\nextra\n", "extension line 1 is empty"),
    ],
)
def test_a_malformed_checkpoint_body_is_rejected_saying_what_is_wrong(
    body: str, error: str
) -> None:
    with pytest.raises(NoteError, match=error):
        Checkpoint.parse(body)


def test_extension_lines_are_kept_and_covered_by_the_host_signature() -> None:
    checkpoint = Checkpoint("ceasefire.example/ledger", 7, TREE.root(7), ("agreement 12",))
    message = sign_checkpoint(checkpoint, HOST)
    assert open_checkpoint(message, HOST.verifier()).extensions == ("agreement 12",)
    with pytest.raises(NoteError, match="does not verify"):
        open_checkpoint(message.replace("agreement 12", "agreement 13"), HOST.verifier())


def test_a_cosigned_checkpoint_names_each_known_cosigner_and_when_it_cosigned() -> None:
    message = add_cosignatures(
        sign_checkpoint(SEVEN, HOST), [cosign(SEVEN, PARTY_A, CESSATION), cosign(SEVEN, PARTY_B, 1)]
    )
    opened = open_cosigned_checkpoint(message, HOST.verifier(), [PARTY_A.verifier()])
    assert opened.checkpoint == SEVEN
    assert [(c.cosigner, c.time) for c in opened.cosignatures] == [(PARTY_A.name, 1456524000)]
    both = open_cosigned_checkpoint(
        message, HOST.verifier(), [PARTY_A.verifier(), PARTY_B.verifier()]
    )
    assert both.cosigners == {PARTY_A.name, PARTY_B.name}
    assert open_checkpoint(message, HOST.verifier()) == SEVEN


def test_cosigning_again_replaces_the_cosigners_earlier_line() -> None:
    message = add_cosignatures(sign_checkpoint(SEVEN, HOST), [cosign(SEVEN, PARTY_A, 100)])
    message = add_cosignatures(message, [cosign(SEVEN, PARTY_A, 200)])
    assert message.count(f"— {PARTY_A.name} ") == 1
    opened = open_cosigned_checkpoint(message, HOST.verifier(), [PARTY_A.verifier()])
    assert [c.time for c in opened.cosignatures] == [200]


def test_a_forged_cosignature_by_a_known_cosigner_rejects_the_checkpoint_naming_the_key() -> None:
    forged = cosign(Checkpoint(SEVEN.origin, 8, TREE.root(7)), PARTY_A, 100)
    message = add_cosignatures(sign_checkpoint(SEVEN, HOST), [forged])
    label = f"{PARTY_A.name}+{PARTY_A.key_id.hex()}"
    with pytest.raises(NoteError, match=rf"{re.escape(label)} does not verify"):
        open_cosigned_checkpoint(message, HOST.verifier(), [PARTY_A.verifier()])
    assert open_checkpoint(message, HOST.verifier()) == SEVEN  # an unknown cosigner is ignored


def test_a_checkpoint_without_the_hosts_signature_does_not_open_even_if_cosigned() -> None:
    only_cosigned = Note(SEVEN.body(), [cosign(SEVEN, PARTY_A, 100)]).format()
    with pytest.raises(NoteError, match="not signed by the host key"):
        open_cosigned_checkpoint(only_cosigned, HOST.verifier(), [PARTY_A.verifier()])
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_checkpoint(only_cosigned, HOST.verifier())


def test_a_cosignature_line_is_not_taken_for_the_hosts_signature_under_the_same_key() -> None:
    same_key = Verifier(PARTY_A.name, PARTY_A.verifier().public_key)
    message = Note(SEVEN.body(), [cosign(SEVEN, PARTY_A, 100)]).format()
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_checkpoint(message, same_key)


def test_cosignature_times_must_be_zoned_and_within_the_signed_range() -> None:
    assert cosign(SEVEN, PARTY_A, CESSATION) == cosign(SEVEN, PARTY_A, 1456524000)
    assert CESSATION.astimezone(UTC) == datetime(2016, 2, 26, 22, tzinfo=UTC)
    with pytest.raises(NoteError, match="no time zone"):
        cosign(SEVEN, PARTY_A, datetime(2016, 2, 27))
    with pytest.raises(NoteError, match="outside"):
        cosign(SEVEN, PARTY_A, 1 << 63)
    with pytest.raises(NoteError, match="outside"):
        cosign(SEVEN, PARTY_A, -1)
    too_late = cosign(SEVEN, PARTY_A, 1)
    too_late = NoteSignature(too_late.name, too_late.key_id, b"\xff" * 8 + too_late.signature[8:])
    with pytest.raises(NoteError, match="exceeds"):
        cosignature_time(too_late)


def test_adding_cosignatures_needs_a_signed_checkpoint() -> None:
    with pytest.raises(NoteError, match="lines"):
        add_cosignatures(sign_checkpoint(SEVEN, HOST).replace("7\n", "", 1), [])


def test_a_later_checkpoint_of_the_same_log_is_consistent_with_an_earlier_one() -> None:
    three = Checkpoint(SEVEN.origin, 3, TREE.root(3))
    verify_checkpoint_consistency(three, SEVEN, TREE.consistency_proof(3, 7))
    verify_checkpoint_consistency(SEVEN, SEVEN, [])
    proof = TREE.consistency_proof(3, 7)
    with pytest.raises(ProofError, match="leads to"):
        verify_checkpoint_consistency(three, SEVEN, [bytes(32), *proof[1:]])


def test_a_rollback_a_fork_and_another_log_are_each_refused_by_name() -> None:
    three = Checkpoint(SEVEN.origin, 3, TREE.root(3))
    with pytest.raises(
        ProofError, match="rolled back: a checkpoint of size 3 follows one of size 7"
    ):
        verify_checkpoint_consistency(SEVEN, three, [])
    fork = Checkpoint(SEVEN.origin, 7, TREE.root(6))
    with pytest.raises(ProofError, match="forked: two checkpoints of size 7"):
        verify_checkpoint_consistency(SEVEN, fork, [])
    with pytest.raises(InvalidInputError, match="two logs"):
        verify_checkpoint_consistency(Checkpoint("other", 3, TREE.root(3)), SEVEN, [])


@settings(max_examples=80, deadline=None)
@given(
    origin=st.text(st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), min_size=1),
    size=st.integers(0, (1 << 64) - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), min_size=1),
        max_size=3,
    ),
)
def test_any_checkpoint_body_parses_back_to_the_same_checkpoint(
    origin: str, size: int, root: bytes, extensions: list[str]
) -> None:
    checkpoint = Checkpoint(origin, size, root, tuple(extensions))
    assert Checkpoint.parse(checkpoint.body()) == checkpoint


@settings(max_examples=30, deadline=None)
@given(size=st.integers(1, 7), time=st.integers(0, (1 << 63) - 1))
def test_any_cosignature_verifies_for_its_checkpoint_only(size: int, time: int) -> None:
    checkpoint = Checkpoint(SEVEN.origin, size, TREE.root(size))
    signature = cosign(checkpoint, PARTY_B, time)
    assert verify_cosignature(checkpoint, signature, PARTY_B.verifier()) == time
    other = Checkpoint(SEVEN.origin, size - 1, TREE.root(size - 1))
    with pytest.raises(NoteError, match="does not verify"):
        verify_cosignature(other, signature, PARTY_B.verifier())


DOC = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")


def test_the_worked_checkpoint_example_in_the_docs_is_what_the_code_signs() -> None:
    message = add_cosignatures(sign_checkpoint(SEVEN, HOST), [cosign(SEVEN, PARTY_A, CESSATION)])
    for value in (
        HOST.key_string,
        HOST.verifier().key_string,
        PARTY_A.key_string,
        PARTY_A.verifier().key_string,
    ):
        assert f"`{value}`" in DOC
    assert f"```\n{message}```" in DOC
    assert f"```\n{cosigned_message(1456524000, SEVEN.body().encode()).decode()}```" in DOC
