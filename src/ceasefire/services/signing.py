"""Writes signed by a party that holds its own key, off the server: prepare, sign, submit.

An entry signs its own sequence, so a party signs after the server has said where its
entries will go: the write is run once to build its entries and rolled back
(``Ledger.prepare`` returns what to sign, a ``Prepared``), then run again with the party's
signature, which must verify over the same entries. See docs/ledger.md, section 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import (
    BatchSignature,
    Entry,
    Opening,
    PublicKey,
    SignatureError,
    SignedEntry,
    batch_message,
    batch_root,
)


@dataclass(frozen=True)
class External:
    """A write signed by a party that holds its own key, off the server.

    With no ``signature`` the write is only prepared: its entries are built and shown to
    the party, and the transaction is rolled back. The party signs ``Prepared.message``
    and sends the same write again with ``time``, ``start`` and the signature: if the log
    has not moved on since and the signature verifies over the same entries, they are
    appended with it.
    """

    author: str
    time: datetime | None = None  # the prepared entries' time; None when preparing
    start: int | None = None  # the sequence the prepared entries began at
    signature: bytes | None = None


@dataclass(frozen=True)
class Prepared:
    """What a party must sign: one entry's signed message, or its batch's."""

    author: str
    key_id: str
    time: datetime
    start: int
    entries: list[bytes]  # canonical entries, for the party to read before it signs
    message: bytes
    openings: list[bytes] = field(default_factory=list)  # of the sealed entries among them


MAX_PREPARED_AGE = timedelta(minutes=10)  # how long a prepared write may wait for its signature


def _message(entries: list[Entry]) -> tuple[bytes | None, bytes]:
    batch = None if len(entries) == 1 else batch_root(entries)
    message = entries[0].signed_message() if batch is None else batch_message(batch, len(entries))
    return batch, message


def prepared_for(
    entries: list[Entry], key: PublicKey, author: str, openings: Sequence[Opening] = ()
) -> Prepared:
    """What the party must sign for these entries, with the ``openings`` of the sealed ones
    among them, so that it can check what it commits to."""
    _, message = _message(entries)
    canonical = [e.canonical() for e in entries]
    shown = [o.to_json() for o in openings]
    return Prepared(
        author, key.key_id, entries[0].time, entries[0].sequence, canonical, message, shown
    )


def signed_by(entries: list[Entry], key: PublicKey, external: External) -> list[SignedEntry]:
    """The entries with the party's signature, which must verify over them."""
    batch, message = _message(entries)
    if external.signature is None:
        raise InvalidInputError("signed.signature", "is missing: prepare the write first")
    if external.time is None or abs(datetime.now(UTC) - external.time) > MAX_PREPARED_AGE:
        raise InvalidInputError(
            "signed.time", f"must be the prepared time, within {MAX_PREPARED_AGE} of now"
        )
    try:
        key.verify(message, external.signature)
    except SignatureError:
        raise InvalidInputError(
            "signed.signature",
            f"does not verify with {key.name} ({key.key_id}) over the entries of this write",
        ) from None
    if batch is None:
        return [SignedEntry(entries[0], external.signature)]
    return BatchSignature(batch, len(entries), external.signature).signed_entries(entries)
