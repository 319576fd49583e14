"""Reading the ledger for the API: checkpoints, leaves, proofs; and parties' cosignatures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.domain.visibility import Audience
from ceasefire.ledger import (
    CosignatureVerifier,
    Note,
    NoteError,
    cosign,
    cosignature_time,
    leaf_hash,
    verify_checkpoint_consistency,
    verify_cosignature,
)
from ceasefire.ledger.keychain import note_key_string
from ceasefire.services.ledger import Ledger
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import ledger as log_store
from ceasefire.store import openings as opening_store
from ceasefire.store import proofs as proof_store
from ceasefire.store.checkpoints import SavedCheckpoint
from ceasefire.store.database import Database
from ceasefire.store.openings import StoredOpening

MAX_LEAVES = 1_000  # leaves per /ledger/entries request


@dataclass(frozen=True)
class Proof:
    index: int  # the leaf index (inclusion) or the old size (consistency)
    size: int
    hashes: list[bytes]
    root: bytes
    leaf_hash: bytes | None = None  # inclusion
    old_root: bytes | None = None  # consistency


def checkpoint(db: Database, size: int | None = None) -> SavedCheckpoint:
    with db.read() as conn:
        saved = checkpoint_store.load_checkpoint(conn, size)
    if saved is None:
        raise NotFoundError(
            "the ledger has no checkpoint" + ("" if size is None else f" of size {size}")
        )
    return saved


def leaves(db: Database, start: int, end: int | None) -> tuple[int, list[bytes]]:
    """The log's size and its leaves ``[start, end)`` (at most ``MAX_LEAVES``)."""
    with db.read() as conn:
        size, stop = _range(conn, start, end)
        return size, log_store.entries(conn, start, stop)


def _range(conn: Connection, start: int, end: int | None) -> tuple[int, int]:
    """The log's size and where a range asked for from ``start`` ends (at most
    ``MAX_LEAVES`` entries on, and never past the log's end)."""
    size = log_store.DatabaseLog(conn).size
    if end is not None and end - start > MAX_LEAVES:
        raise InvalidInputError("end", f"ask for at most {MAX_LEAVES} entries at a time")
    stop = min(size, start + MAX_LEAVES if end is None else end)
    if start > stop:
        raise InvalidInputError("start", f"{start} is past the log's {size} entries")
    return size, stop


def openings(
    db: Database, start: int, end: int | None, audience: Audience
) -> tuple[int, int, list[StoredOpening]]:
    """The openings the audience may read of sealed entries ``[start, end)`` (at most
    ``MAX_LEAVES`` entries' worth), with the range's actual end and the log's size."""
    with db.read() as conn:
        size, stop = _range(conn, start, end)
        return size, stop, opening_store.openings_between(conn, start, stop, audience)


def inclusion(db: Database, index: int, size: int | None) -> Proof:
    with db.read() as conn:
        size = log_store.DatabaseLog(conn).size if size is None else size
        hashes = proof_store.inclusion_proof(conn, index, size)
        (leaf,) = log_store.entries(conn, index, index + 1)
        return Proof(index, size, hashes, proof_store.root(conn, size), leaf_hash=leaf_hash(leaf))


def consistency(db: Database, old: int, new: int | None) -> Proof:
    with db.read() as conn:
        new = log_store.DatabaseLog(conn).size if new is None else new
        hashes = proof_store.consistency_proof(conn, old, new)
        old_root = proof_store.root(conn, old)
        return Proof(old, new, hashes, proof_store.root(conn, new), old_root=old_root)


def add_cosignature(ledger: Ledger, size: int, line: str) -> SavedCheckpoint:
    """Save a party's cosignature line of the checkpoint of ``size`` once it verifies with
    a registered, unrevoked key of that name (the party holds the key; no one else signs)."""
    with ledger.db.transaction() as conn:
        saved = checkpoint_store.load_checkpoint(conn, size)
        if saved is None:
            raise NotFoundError(f"no checkpoint of size {size} is saved")
        try:
            (signature,) = Note.parse(saved.note + line.rstrip("\n") + "\n").signatures[-1:]
        except NoteError as error:
            raise InvalidInputError("signature", str(error)) from None
        keys = [
            k
            for k in log_store.load_party_keys(conn, None)
            if k.key.name == signature.name and k.revoked is None
        ]
        verifiers = [
            CosignatureVerifier.from_key_string(note_key_string(k.key, True)) for k in keys
        ]
        verifier = next((v for v in verifiers if v.key_id == signature.key_id), None)
        if verifier is None:
            raise InvalidInputError(
                "signature", f"{signature.name} is not the name of a party's registered key"
            )
        try:
            verify_cosignature(saved.checkpoint, signature, verifier)
        except NoteError as error:
            raise InvalidInputError("signature", str(error)) from None
        checkpoint_store.save_cosignature(conn, size, signature)
        found = checkpoint_store.load_checkpoint(conn, size)
        assert found is not None
        return found


def cosign_as(ledger: Ledger, parties: Sequence[str]) -> SavedCheckpoint:
    """Cosign the latest checkpoint with keys the server holds for these parties (each
    party without a key gets one first, with its ``key.added`` entry). Each key first
    checks that the checkpoint is consistent with the last one it cosigned."""
    for party in parties:
        with ledger.write(party) as writer:
            ledger.keys.party_key(writer)
    now = datetime.now(UTC)
    with ledger.db.transaction() as conn:
        latest = checkpoint_store.load_checkpoint(conn)
        if latest is None:
            raise NotFoundError("the ledger has no checkpoint to cosign")
        for party in parties:
            cosigner = ledger.keys.cosigner(conn, party)
            last = checkpoint_store.last_cosigned(conn, cosigner.name)
            if last is not None:
                proof = proof_store.consistency_proof(conn, last.size, latest.checkpoint.size)
                verify_checkpoint_consistency(last, latest.checkpoint, proof)
            checkpoint_store.save_cosignature(
                conn, latest.checkpoint.size, cosign(latest.checkpoint, cosigner, now)
            )
        found = checkpoint_store.load_checkpoint(conn, latest.checkpoint.size)
        assert found is not None
        return found


@dataclass(frozen=True)
class Signer:
    party: str | None  # None: a key the log does not register
    key: str  # its name
    time: datetime | None  # when it cosigned (None: the host's own signature)


@dataclass(frozen=True)
class LedgerSummary:
    """The latest checkpoint, as a reader sees it: how many entries, which root, and
    who signed and cosigned it."""

    size: int
    root: str  # hex
    origin: str
    created: datetime
    signers: list[Signer]
    note: str


def summary(db: Database, *, cosigned: bool = False) -> LedgerSummary | None:
    """The latest checkpoint (``cosigned``: the latest one a party cosigned) and its
    signers; None before there is one."""
    with db.read() as conn:
        size = checkpoint_store.last_cosigned_size(conn) if cosigned else None
        if cosigned and size is None:
            return None
        saved = checkpoint_store.load_checkpoint(conn, size)
        if saved is None:
            return None
        parties = {k.key.name: k.party_id for k in log_store.load_party_keys(conn, None)}
    signers = [Signer(parties.get(s.name), s.name, None) for s in Note.parse(saved.note).signatures]
    for line in saved.cosignatures:
        when = datetime.fromtimestamp(cosignature_time(line), UTC)
        signers.append(Signer(parties.get(line.name), line.name, when))
    checkpoint = saved.checkpoint
    return LedgerSummary(
        checkpoint.size,
        checkpoint.root_hash.hex(),
        checkpoint.origin,
        saved.created,
        signers,
        saved.cosigned_note(),
    )
