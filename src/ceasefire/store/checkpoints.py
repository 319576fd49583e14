"""Checkpoints the host signed and the parties' cosignatures, in the database.

``save_checkpoint`` stores a host-signed note only if its root is the log's at its size;
``save_cosignature`` stores a line (check it first with ``verify_cosignature``), replacing
that key's earlier one; ``load_checkpoint`` gives the note with its cosignatures. See
docs/ledger.md §4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from ceasefire.domain.errors import ConflictError, NotFoundError
from ceasefire.ledger import Checkpoint, Note, NoteSignature, cosignature_time
from ceasefire.store import tables as t
from ceasefire.store.bulk import insert_many
from ceasefire.store.proofs import root as log_root


@dataclass(frozen=True)
class SavedCheckpoint:
    """A stored checkpoint: the host-signed note and the cosignatures saved for it."""

    checkpoint: Checkpoint
    note: str
    created: datetime
    cosignatures: tuple[NoteSignature, ...]

    def cosigned_note(self) -> str:
        """The note with every saved cosignature line, as witnesses and verifiers read it."""
        return Note.parse(self.note).with_signatures(self.cosignatures).format()


def save_checkpoint(
    conn: Connection,
    note: str,
    created: datetime,
    *,
    root: bytes | None = None,
    new: bool = False,
) -> Checkpoint:
    """Store a host-signed checkpoint note (the caller signed it; it is not checked here).

    Its root must be the log's at its size (``root``: the log's root at that size, as the
    caller computed it; else read); saving the same note twice is harmless, and a
    different note for a size already saved is a ``ConflictError``. ``new``: the log grew
    to this size in the caller's transaction, so no note of it can be saved yet (a write
    group's checkpoint: one query fewer under the log's lock).
    """
    checkpoint = Checkpoint.parse(Note.parse(note).text)
    ours = log_root(conn, checkpoint.size) if root is None else root
    if checkpoint.root_hash != ours:
        raise ConflictError(
            f"checkpoint of size {checkpoint.size} has root {checkpoint.root_hash.hex()}, "
            f"but the ledger's root at that size is {ours.hex()}"
        )
    table = t.ledger_checkpoints
    saved = (
        None
        if new
        else conn.execute(select(table.c.note).where(table.c.size == checkpoint.size)).scalar()
    )
    if saved is not None and saved != note:
        raise ConflictError(f"another checkpoint note of size {checkpoint.size} is saved")
    if saved is None:  # (a write group's goes with its COMMIT: store.bulk.deferred)
        insert_many(
            conn,
            table,
            [{"size": checkpoint.size, "root_hash": checkpoint.root_hash, "note": note,
              "created": created}],
        )  # fmt: skip
    return checkpoint


def save_cosignature(conn: Connection, size: int, signature: NoteSignature) -> None:
    """Store a cosignature line of the checkpoint of ``size``, replacing the same key's.

    Check it first with ``verify_cosignature`` and the cosigner's key: it is stored as given.
    """
    table = t.ledger_cosignatures
    checkpoints = t.ledger_checkpoints
    if conn.execute(select(checkpoints.c.size).where(checkpoints.c.size == size)).first() is None:
        raise NotFoundError(f"no checkpoint of size {size} is saved")
    key_id = signature.key_id.hex()
    conn.execute(
        table.delete().where(
            table.c.size == size, table.c.cosigner == signature.name, table.c.key_id == key_id
        )
    )
    conn.execute(
        table.insert().values(
            size=size,
            cosigner=signature.name,
            key_id=key_id,
            signature=signature.line(),
            time=datetime.fromtimestamp(cosignature_time(signature), UTC),
        )
    )


def load_checkpoint(conn: Connection, size: int | None = None) -> SavedCheckpoint | None:
    """The checkpoint saved for ``size`` (default: the largest), or ``None``."""
    table = t.ledger_checkpoints
    query = select(table)
    query = query.where(table.c.size == size) if size is not None else query
    row = conn.execute(query.order_by(table.c.size.desc()).limit(1)).first()
    if row is None:
        return None
    cosignatures = t.ledger_cosignatures
    lines = conn.execute(
        select(cosignatures.c.signature)
        .where(cosignatures.c.size == row.size)
        .order_by(cosignatures.c.cosigner, cosignatures.c.key_id)
    ).scalars()
    host = Note.parse(row.note)
    signed = Note.parse(row.note + "".join(lines))  # the host's lines, then the cosignatures
    cosigned = tuple(signed.signatures[len(host.signatures) :])
    return SavedCheckpoint(Checkpoint.parse(host.text), row.note, row.created, cosigned)


def last_cosigned(conn: Connection, cosigner: str) -> Checkpoint | None:
    """The largest checkpoint a key of this name cosigned."""
    table = t.ledger_cosignatures
    size = conn.execute(select(func.max(table.c.size)).where(table.c.cosigner == cosigner)).scalar()
    found = None if size is None else load_checkpoint(conn, int(size))
    return None if found is None else found.checkpoint


def last_cosigned_size(conn: Connection) -> int | None:
    """The size of the largest checkpoint any party cosigned."""
    size = conn.execute(select(func.max(t.ledger_cosignatures.c.size))).scalar()
    return None if size is None else int(size)


def checkpoint_sizes(conn: Connection) -> list[int]:
    """The sizes at which checkpoints are saved, smallest first."""
    table = t.ledger_checkpoints
    return [int(s) for s in conn.execute(select(table.c.size).order_by(table.c.size)).scalars()]
