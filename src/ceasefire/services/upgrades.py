"""The record contract across releases: bringing every record's state up to the version
this release declares, and checking the migrations the log holds.

When a release declares a new version of a kind's state (``domain.records``), ``ceasefire
init`` (and ``serve``, ``demo`` and every command that writes) first writes, signed by the
host, one ``<kind>.migrated`` entry for each record of that kind: its state is the
declared upgrade of the state the record's last entry wrote — never what the row holds
now, so a row changed behind the ledger's back stays changed, and ``ceasefire ledger
verify`` names it. The verifier checks every migration against the declared upgrade
(``check_migrations``) wherever it can read both states: open entries, and sealed ones
whose openings it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.records import KINDS
from ceasefire.domain.states import differing
from ceasefire.ledger import Entry, JsonValue, Opening, SignedEntry, sealed_of, thaw
from ceasefire.ledger.verifier import LogVerifier
from ceasefire.services.ledger import Ledger
from ceasefire.store import openings as opening_store
from ceasefire.store import states as state_store
from ceasefire.store.database import Database
from ceasefire.store.records import RECORD_TYPES

Progress = Callable[[int, int], None]
Document = dict[str, Any] | None
Written = Callable[[Sequence[int]], Mapping[int, tuple[str, Document]]]
_BATCH = 5_000  # records migrated per transaction


def pending(db: Database) -> list[str]:
    """The kinds whose records may still be written at an earlier version than this
    release declares. A kind the log holds no entry of is recorded as current on the way
    (a new database), so this is quick once a database is up to date."""
    with db.read() as conn:
        stored = state_store.stored_versions(conn)
        behind = [k for k in KINDS.values() if stored.get(k.name) != k.current.number]
        empty = [k for k in behind if not state_store.has_entries(conn, k.name)]
    if empty:
        with db.transaction() as conn:
            for kind in empty:
                state_store.set_version(conn, kind.name, kind.current.number)
    return [k.name for k in behind if k not in empty]


def upgrade_states(ledger: Ledger, progress: Progress | None = None) -> dict[str, int]:
    """Write a ``<kind>.migrated`` entry for every record whose latest entry is of an
    earlier version of its kind's state; how many of each kind."""
    done: dict[str, int] = {}
    for name in pending(ledger.db):
        stored = RECORD_TYPES[name]
        kind = stored.kind
        with ledger.db.read() as conn:
            latest = state_store.latest_sequences(conn, name)
        for start in range(0, len(latest), _BATCH):
            chunk = latest[start : start + _BATCH]
            with ledger.write() as writer:
                for record, document in documents(writer.conn, chunk).values():
                    if document is None or kind.version_of(document) == kind.current.number:
                        continue
                    if not ledger.has_secret:
                        raise InvalidInputError(
                            "ledger_secret",
                            f"the database holds {kind.name} records of an earlier state than "
                            f"{kind.tag()}, which only the host can migrate: set "
                            "CEASEFIRE_LEDGER_SECRET to the secret the database was written "
                            "with and run `ceasefire init`",
                        )
                    key = record.split(":", 1)[1].split("/")
                    writer.migrated(stored, key, kind.upgraded(document))
                    done[name] = done.get(name, 0) + 1
            if progress is not None:
                progress(start + len(chunk), len(latest))
        with ledger.db.transaction() as conn:
            state_store.set_version(conn, name, kind.current.number)
    if done:
        ledger.checkpoint_now()
    return done


def documents(conn: Connection, sequences: Sequence[int]) -> dict[int, tuple[str, Document]]:
    """The record each of these entries wrote, and the state document it wrote (None for a
    deletion, and for a sealed entry whose opening is not kept)."""
    leaves = state_store.leaves_at(conn, sequences)
    openings = opening_store.openings_for(conn, list(leaves))
    found: dict[int, tuple[str, Document]] = {}
    for sequence, leaf in leaves.items():
        entry = SignedEntry.from_leaf(leaf).entry
        found[sequence] = (entry.record, document_of(entry, openings.get(sequence)))
    return found


def document_of(entry: Entry, opening: Opening | None) -> Document:
    """The state document an entry wrote: its change, or for a sealed entry the state its
    opening holds (None without one, and for a deletion)."""
    if entry.kind.endswith(".deleted"):
        return None
    if sealed_of(entry.change) is None:
        return _thawed(entry.change)
    return None if opening is None else _thawed(opening.state)


def _thawed(value: Mapping[str, JsonValue]) -> dict[str, Any]:
    found = thaw(value)
    assert isinstance(found, dict)
    return found


def check_migrations(
    verifier: LogVerifier, written: Written, origin: str | None
) -> tuple[int, int]:
    """Check every ``<kind>.migrated`` entry the verifier met: signed by the host (the
    party whose key is named as the log's origin), and its state the declared upgrade of
    the state the record's entry before it wrote. How many there are, and how many were
    checked against their upgrade (a sealed one needs both openings)."""
    hosts = {k.party for k in verifier.keys.values() if k.key.name == origin}
    checked = 0
    migrations = verifier.migrations
    for start in range(0, len(migrations), 1_000):
        chunk = migrations[start : start + 1_000]
        found = written([s for m in chunk for s in m[:2]])
        for sequence, before, record, author in chunk:
            where = f"entry {sequence} ({record})"
            if origin is not None and author not in hosts:
                verifier.problem(
                    where, f"migrates a record's state, but is signed by {author}, not the host"
                )
            new, old = found.get(sequence, ("", None))[1], found.get(before, ("", None))[1]
            if new is None or old is None:
                continue
            checked += 1
            problem = _migration_problem(record, before, old, new)
            if problem:
                verifier.problem(where, problem)
    return len(migrations), checked


def _migration_problem(
    record: str, before: int, old: Mapping[str, Any], new: Mapping[str, Any]
) -> str | None:
    kind = KINDS.get(record.split(":", 1)[0])
    if kind is None:
        return "migrates a record of a kind this release does not know"
    try:
        target = kind.version_of(new)
        old_version = kind.version_of(old)
        expected = kind.upgraded(old, target)
    except CeasefireError as error:
        return f"is not a migration this release can check: {error}"
    if old_version >= target:
        return f"migrates {kind.tag(old_version)} to {kind.tag(target)}, which is not later"
    fields = differing(expected, new)
    if fields:
        names = ", ".join(repr(f) for f in fields)
        return (
            f"is not the declared upgrade of entry {before}'s {kind.tag(old_version)} state "
            f"to {kind.tag(target)}: field {names}"
        )
    return None
