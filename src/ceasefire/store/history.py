"""Shared records as the ledger's first ``size`` entries left them.

A record's state at a size of the log is the one its latest entry below that size wrote:
an open entry's change, or for a sealed entry the state of its opening, which must be what
the entry commits to. It is read as this release's version of its kind's state, through the
declared upgrades (docs/ledger.md §5, "The record contract"), exactly as ``ceasefire
init`` migrates a record. Nothing here reads the record's row: a row changed since, by a
later entry or behind the ledger's back, does not change its state at that size.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Connection

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.states import TAG, State
from ceasefire.ledger import Entry, JsonValue, Opening, SignedEntry, sealed_of, thaw
from ceasefire.store import openings as opening_store
from ceasefire.store import states as state_store
from ceasefire.store.records import RecordType

BATCH = 2_000  # records read at a time


def states_at(conn: Connection, kind: RecordType, size: int) -> Iterator[dict[str, State]]:
    """Every record of the kind that the first ``size`` entries hold, with its state's
    fields then (``{"report:12": {...}}``), a batch at a time in the order of their latest
    entries. A record whose latest entry deleted it is left out; a sealed entry whose
    opening is not kept, or whose opening is not what it commits to, is an error naming
    the entry."""
    sequences = state_store.latest_below(conn, kind.name, size)
    for start in range(0, len(sequences), BATCH):
        leaves = state_store.leaves_at(conn, sequences[start : start + BATCH])
        entries = {s: SignedEntry.from_leaf(leaf).entry for s, leaf in leaves.items()}
        sealed = {s: e for s, e in entries.items() if sealed_of(e.change) is not None}
        openings = opening_store.openings_for(conn, sealed) if sealed else {}
        batch: dict[str, State] = {}
        for sequence, entry in entries.items():
            if entry.kind.endswith(".deleted"):
                continue
            document = _document(sequence, entry, openings.get(sequence))
            try:
                upgraded = kind.kind.upgraded(document)
            except CeasefireError as error:
                raise InvalidInputError(_where(sequence, entry), str(error)) from None
            batch[entry.record] = {k: v for k, v in upgraded.items() if k != TAG}
        yield batch


def _where(sequence: int, entry: Entry) -> str:
    return f"entry {sequence} ({entry.record})"


def _document(sequence: int, entry: Entry, opening: Opening | None) -> dict[str, Any]:
    """The state document an entry wrote: its change, or its opening's state."""
    sealed = sealed_of(entry.change)
    if sealed is None:
        return _thawed(entry.change)
    if opening is None:
        raise InvalidInputError(
            _where(sequence, entry),
            "is sealed, and this database keeps no opening of it: the record's state at "
            "that size cannot be read (only the host's database keeps every opening)",
        )
    if opening.commitment() != sealed[1]:
        raise InvalidInputError(
            _where(sequence, entry),
            "the opening kept is not what the entry commits to: its salt or state differ",
        )
    return _thawed(opening.state)


def _thawed(value: Mapping[str, JsonValue]) -> dict[str, Any]:
    found = thaw(value)
    assert isinstance(found, dict)
    return found
