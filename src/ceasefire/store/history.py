"""Shared records as the ledger's first ``size`` entries left them.

A record's state at a size of the log is the one its latest entry below that size wrote:
an open entry's change, or for a sealed entry the state of its opening, which must be what
the entry commits to. It is read as this release's version of its kind's state, through the
declared upgrades (docs/ledger.md §5, "The record contract"), exactly as ``ceasefire
init`` migrates a record. Nothing here reads the record's row: a row changed since, by a
later entry or behind the ledger's back, does not change its state at that size.

The leaves are read as the JSON they are, not checked again as signed entries: their
form, signatures and tree are ``ceasefire ledger verify``'s to check (reading a hundred
thousand leaves strictly took most of a snapshot's time).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Row, Select, select

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.states import TAG, State
from ceasefire.ledger import sealed_of
from ceasefire.ledger.sealing import SEALED_STATE_LABEL
from ceasefire.store import states as state_store
from ceasefire.store import tables as t
from ceasefire.store.records import RecordType

BATCH = 2_000  # records read at a time
CHUNK = 500  # records named in one query


def states_at(
    conn: Connection, kind: RecordType, size: int, records: Collection[str] | None = None
) -> Iterator[dict[str, State]]:
    """Every record of the kind that the first ``size`` entries hold (or those of these
    records that they hold), with its state's fields then (``{"report:12": {...}}``), a
    batch at a time. A record whose latest entry deleted it is left out; a sealed entry
    whose opening is not kept, or whose opening is not what it commits to, is an error
    naming the entry."""
    if records is None:
        yield from _read(conn, kind, state_store.latest_below(kind.name, size))
        return
    wanted = sorted(records)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        yield from _read(conn, kind, state_store.latest_below(kind.name, size, chunk))


def _read(
    conn: Connection, kind: RecordType, latest: Select[tuple[int]]
) -> Iterator[dict[str, State]]:
    e, o = t.ledger_entries, t.ledger_openings
    query = (
        select(e.c.sequence, e.c.leaf, o.c.salt, o.c.state)
        .outerjoin(o, o.c.sequence == e.c.sequence)
        .where(e.c.sequence.in_(latest.scalar_subquery()))
        .order_by(e.c.sequence)
    )
    found = conn.execution_options(yield_per=BATCH).execute(query)
    for rows in found.partitions():
        yield _states(kind, rows)


def _states(
    kind: RecordType, rows: Sequence[Row[int, bytes, bytes | None, bytes | None]]
) -> dict[str, State]:
    batch: dict[str, State] = {}
    for sequence, leaf, salt, opened in rows:
        try:
            entry = json.loads(bytes(leaf))["entry"]
            where = f"entry {sequence} ({entry['record']})"
            deleted = str(entry["kind"]).endswith(".deleted")
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidInputError(
                f"entry {sequence}", f"is not a ledger entry: {error}"
            ) from None
        if deleted:
            continue
        document = _document(where, entry["change"], salt, opened)
        try:
            upgraded = kind.kind.upgraded(document)
        except CeasefireError as error:
            raise InvalidInputError(where, str(error)) from None
        batch[entry["record"]] = {k: v for k, v in upgraded.items() if k != TAG}
    return batch


def _document(
    where: str, change: dict[str, Any], salt: bytes | None, opened: bytes | None
) -> dict[str, Any]:
    """The state document an entry wrote: its change, or its opening's state (kept as the
    canonical JSON the entry commits to)."""
    sealed = sealed_of(change)
    if sealed is None:
        return change
    if salt is None or opened is None:
        raise InvalidInputError(
            where,
            "is sealed, and this database keeps no opening of it: the record's state at "
            "that size cannot be read (only the host's database keeps every opening)",
        )
    state = bytes(opened)
    if hashlib.sha256(SEALED_STATE_LABEL + bytes(salt) + state).hexdigest() != sealed[1]:
        raise InvalidInputError(
            where, "the opening kept is not what the entry commits to: its salt or state differ"
        )
    found = json.loads(state)
    assert isinstance(found, dict)
    return found
