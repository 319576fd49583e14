"""Checkpoints (c2sp.org/tlog-checkpoint) and their cosignatures (c2sp.org/tlog-cosignature).

A checkpoint is the signed note of a tree head: the log's origin, the tree size in
decimal and the base64 root hash, one per line, then optional extension lines. The host
signs it with its Ed25519 note key; each party that has checked it is consistent with
everything it saw before cosigns it: a signature line of type ``0x04`` whose bytes are
the time (8 bytes, big-endian POSIX seconds) and an Ed25519 signature of
``"cosignature/v1\\ntime <seconds>\\n"`` followed by the checkpoint body.

The Ed25519 cosignature does not cover the cosigner's name, so one cosigner key must
never be used under two names.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ceasefire.domain.errors import InvalidInputError

from .errors import ProofError
from .hashing import HASH_SIZE
from .notes import (
    ED25519_SIGNATURE_SIZE,
    Note,
    NoteError,
    NoteSignature,
    NoteSigner,
    NoteSigningKey,
    NoteVerifier,
    Verifier,
    decode_base64,
    key_label,
    open_note,
    sign_note,
    verify_ed25519,
)
from .proofs import verify_consistency

SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04
"""The signature type byte of timestamped Ed25519 cosignatures (cosignature/v1)."""

COSIGNATURE_HEADER = "cosignature/v1"
TIMESTAMP_SIZE = 8
MAX_TIMESTAMP = (1 << 63) - 1
MAX_TREE_SIZE = (1 << 64) - 1

_DECIMAL = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: which log, how many leaves, which root, and any extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line("origin", self.origin)
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise NoteError(f"checkpoint size {self.size} is outside 0..2**64-1")
        if len(self.root_hash) != HASH_SIZE:
            raise NoteError(f"checkpoint root hash is {len(self.root_hash)} bytes, not 32")
        for number, line in enumerate(self.extensions, 1):
            _check_line(f"extension line {number}", line)

    def body(self) -> str:
        """The note text: origin, size and root hash lines, then the extension lines."""
        root = base64.b64encode(self.root_hash).decode()
        return "".join(
            f"{line}\n" for line in (self.origin, str(self.size), root, *self.extensions)
        )

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        """Read a checkpoint body: at least three non-empty lines, each ending in a newline."""
        if not body.endswith("\n"):
            raise NoteError("checkpoint body does not end in a newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3:
            raise NoteError(
                f"checkpoint body has {len(lines)} lines; it needs origin, size and root hash"
            )
        origin, size, root, *extensions = lines
        if len(size) > len(str(MAX_TREE_SIZE)) or not _DECIMAL.fullmatch(size):
            shown = size if len(size) <= 24 else size[:24] + "…"
            raise NoteError(
                f"checkpoint size {shown!r} is not a decimal number without leading zeroes"
            )
        root_hash = decode_base64("checkpoint root hash", root)
        return cls(origin, int(size), root_hash, tuple(extensions))


def _check_line(what: str, line: str) -> None:
    if not line:
        raise NoteError(f"checkpoint {what} is empty")
    for char in line:
        if ord(char) < 0x20:
            raise NoteError(f"checkpoint {what} {line!r} holds control character {char!r}")


def sign_checkpoint(checkpoint: Checkpoint, host_signer: NoteSigner) -> str:
    """The signed note of the checkpoint, signed by the host's note key (a ``Signer``)."""
    return sign_note(checkpoint.body(), [host_signer])


def open_checkpoint(message: str | bytes, host_verifier: NoteVerifier) -> Checkpoint:
    """The checkpoint in a signed note that ``host_verifier``'s key has signed."""
    return open_cosigned_checkpoint(message, host_verifier, []).checkpoint


class CosignatureVerifier(Verifier):
    """The public key of a cosigner: checks cosignature/v1 signatures (type ``0x04``)."""

    signature_type = SIGNATURE_TYPE_COSIGNATURE_V1

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` (time || Ed25519 signature) cosigns the note ``text``."""
        if len(signature) != TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE:
            return False
        time = int.from_bytes(signature[:TIMESTAMP_SIZE], "big")
        if time > MAX_TIMESTAMP:
            return False
        message = cosigned_message(time, text)
        return verify_ed25519(self.public_key, message, signature[TIMESTAMP_SIZE:])


class Cosigner(NoteSigningKey):
    """A party's cosigning key (type ``0x04``); ``cosign`` signs a checkpoint with it."""

    signature_type = SIGNATURE_TYPE_COSIGNATURE_V1
    verifier_type = CosignatureVerifier

    def verifier(self) -> CosignatureVerifier:
        verifier = super().verifier()
        assert isinstance(verifier, CosignatureVerifier)
        return verifier


@dataclass(frozen=True)
class Cosignature:
    """A checked cosignature: who cosigned and when (POSIX seconds)."""

    cosigner: str
    key_id: bytes
    time: int


@dataclass(frozen=True)
class CosignedCheckpoint:
    """A checkpoint whose host signature holds, with the known cosignatures that hold."""

    checkpoint: Checkpoint
    cosignatures: tuple[Cosignature, ...]

    @property
    def cosigners(self) -> frozenset[str]:
        return frozenset(c.cosigner for c in self.cosignatures)


def cosigned_message(time: int, body: bytes) -> bytes:
    """``cosignature/v1``, ``time <seconds>``, then the checkpoint body: what a cosigner signs."""
    return f"{COSIGNATURE_HEADER}\ntime {time}\n".encode() + body


def cosign(checkpoint: Checkpoint, cosigner: Cosigner, time: int | datetime) -> NoteSignature:
    """The cosigner's signature line on the checkpoint, made at ``time``."""
    seconds = _seconds(time)
    message = cosigned_message(seconds, checkpoint.body().encode())
    signature = seconds.to_bytes(TIMESTAMP_SIZE, "big") + cosigner.private_key.sign(message)
    return NoteSignature(cosigner.name, cosigner.key_id, signature)


def cosignature_time(signature: NoteSignature) -> int:
    """The time (POSIX seconds) a cosignature/v1 signature line claims, unverified."""
    if len(signature.signature) != TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE:
        raise NoteError(
            f"cosignature by key {signature.label} is {len(signature.signature)} bytes;"
            f" a cosignature/v1 is {TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE}"
        )
    time = int.from_bytes(signature.signature[:TIMESTAMP_SIZE], "big")
    if time > MAX_TIMESTAMP:
        raise NoteError(f"cosignature by key {signature.label}: time {time} exceeds 2**63-1")
    return time


def verify_cosignature(
    checkpoint: Checkpoint, signature: NoteSignature, verifier: CosignatureVerifier
) -> int:
    """Check that ``verifier``'s key cosigned the checkpoint; return when (POSIX seconds)."""
    if (signature.name, signature.key_id) != (verifier.name, verifier.key_id):
        raise NoteError(
            f"cosignature is by key {signature.label},"
            f" not by {key_label(verifier.name, verifier.key_id)}"
        )
    time = cosignature_time(signature)
    if not verifier.verify(checkpoint.body().encode(), signature.signature):
        raise NoteError(
            f"the cosignature by key {signature.label} does not verify for checkpoint"
            f" {checkpoint.origin} at size {checkpoint.size}"
        )
    return time


def add_cosignatures(message: str | bytes, cosignatures: Iterable[NoteSignature]) -> str:
    """The signed checkpoint with the cosignature lines added (replacing any by the same key).

    Checks the form, not the signatures: check each with ``verify_cosignature`` first.
    """
    note = Note.parse(message)
    Checkpoint.parse(note.text)
    return note.with_signatures(cosignatures).format()


def open_cosigned_checkpoint(
    message: str | bytes,
    host_verifier: NoteVerifier,
    cosigners: Sequence[CosignatureVerifier],
) -> CosignedCheckpoint:
    """Check the host's signature and every known cosignature; return who cosigned when.

    The host must have signed. A cosignature by a key in ``cosigners`` that fails is an
    error naming the key; cosignatures by other keys are ignored. How many cosigners are
    enough is the caller's policy.
    """
    verifiers: list[NoteVerifier] = [host_verifier, *cosigners]
    note = open_note(message, verifiers)
    host = (host_verifier.name, host_verifier.key_id)
    if not any((s.name, s.key_id) == host for s in note.signatures):
        raise NoteError(f"checkpoint is not signed by the host key {key_label(*host)}")
    checkpoint = Checkpoint.parse(note.text)
    known = {(c.name, c.key_id) for c in cosigners}
    cosignatures = tuple(
        Cosignature(s.name, s.key_id, cosignature_time(s))
        for s in note.signatures
        if (s.name, s.key_id) in known
    )
    return CosignedCheckpoint(checkpoint, cosignatures)


def verify_checkpoint_consistency(old: Checkpoint, new: Checkpoint, proof: Sequence[bytes]) -> None:
    """Check that ``new`` extends ``old`` (same log) with an RFC 9162 consistency proof.

    A smaller new size is a rollback and the same size with another root a fork: both
    are ``ProofError``, as is a proof that fails. Checkpoints of two logs are a question
    with no answer (``InvalidInputError``).
    """
    if old.origin != new.origin:
        raise InvalidInputError(
            "origin", f"checkpoints of {old.origin!r} and {new.origin!r} are of two logs"
        )
    if new.size < old.size:
        raise ProofError(
            f"log {old.origin} rolled back: a checkpoint of size {new.size} follows one of"
            f" size {old.size}"
        )
    if new.size == old.size and new.root_hash != old.root_hash:
        raise ProofError(
            f"log {old.origin} forked: two checkpoints of size {old.size} have roots"
            f" {old.root_hash.hex()} and {new.root_hash.hex()}"
        )
    verify_consistency(
        old_size=old.size,
        new_size=new.size,
        old_root=old.root_hash,
        new_root=new.root_hash,
        proof=proof,
    )


def _seconds(time: int | datetime) -> int:
    if isinstance(time, datetime):
        if time.tzinfo is None:
            raise NoteError(f"cosignature time {time.isoformat()} has no time zone")
        time = math.floor(time.timestamp())
    if not 0 <= time <= MAX_TIMESTAMP:
        raise NoteError(f"cosignature time {time} is outside 0..2**63-1 seconds")
    return time
