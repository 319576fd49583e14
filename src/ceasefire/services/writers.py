"""One write: the records it changed, their entries, signed and appended (or prepared).

A service changes rows through ``writer.conn`` and says which records it changed
(``writer.changed``); when its block ends, the writer reads the state of every record it
was told about (after the change, in the same transaction; a record it inserted and said
so with ``writer.inserted`` has its state built from the row), builds one entry per record
and signs them with the author's key — one entry alone, several as one batch — and appends
them, so the store and the ledger never disagree. A party that holds its own key gets the
entries to sign instead (``prepared``), and nothing is appended.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import Connection, Table

from ceasefire.domain.visibility import Audience
from ceasefire.ledger import (
    BatchSignature,
    Entry,
    JsonValue,
    Opening,
    PartyKey,
    PublicKey,
    SignedEntry,
    canonical_json,
    sealed_change,
    sign_entry,
)
from ceasefire.services.authors import Authors
from ceasefire.services.keyring import Keyring
from ceasefire.services.rules import Rules
from ceasefire.services.signing import External, Prepared, prepared_for, signed_by
from ceasefire.store import ledger as log_store
from ceasefire.store import openings as opening_store
from ceasefire.store.ledger import LedgerLeaf
from ceasefire.store.openings import StoredOpening
from ceasefire.store.records import (
    AGREEMENT,
    KEY,
    PARTY,
    RecordType,
    read_states,
    states_of_written,
)
from ceasefire.store.tails import Tail

# what ``Authors`` caches is read from these records: a write that changes one of them makes
# the group read its authors' facts again
AUTHOR_RECORDS = (PARTY, KEY, AGREEMENT)


@dataclass(slots=True)
class _Change:
    kind: str
    type: RecordType
    key: tuple[Any, ...]
    new: bool
    state: dict[str, JsonValue] | None = None  # given, not read from the rows (migrations)
    written: bool = False  # the state is built from the row the write inserted


@dataclass
class Writer:
    """One write's connection, the records it changed, and the ids it gave.

    ``start`` is the sequence the write's entries begin at. A record the write creates
    takes its id from there (``new_ids``): one more than ``start``, plus its place among the
    write's new records of its table. A write creates no more records of a table than it
    signs entries, so ids never repeat and never depend on what the tables hold; a write a
    party prepares and then signs gets the same ids both times, since it must begin at the
    same sequence."""

    check_written: ClassVar[bool] = False
    """Read back the state of every record whose state was built from the row a write
    inserted, and fail unless the two agree (the tests turn it on for every write)."""

    keys: Keyring
    conn: Connection
    author: str
    external: External | None
    tail: Tail  # the log's, as the write's group keeps it
    rules_of: Callable[[Connection], Rules] = Rules.load  # the ledger's cache of them
    authors: Authors = field(default_factory=Authors)  # the group's cache of their facts
    start: int = field(init=False)
    sign_with: PartyKey | PublicKey | None = field(default=None, init=False)
    """The author's key to sign with, when not its current one: a rotation signs with the
    key it replaces (``services.rotations``)."""
    _changes: dict[str, _Change] = field(default_factory=dict)
    _ids: dict[str, int] = field(default_factory=dict)  # ids given, by table
    appended: list[int] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)  # of the entries appended
    indexes: dict[str, int] = field(default_factory=dict)
    """Each record the write's entries wrote, and the sequence of its (last) entry: the
    record's ledger index once the write is committed."""

    def __post_init__(self) -> None:
        self.start = self.tail.size

    @property
    def pending(self) -> int:
        """How many entries its changes so far will sign."""
        return len(self._changes)

    def rules(self) -> Rules:
        """The classification rules as this write's transaction reads them."""
        return self.rules_of(self.conn)

    def audience(self) -> Audience:
        """What the author's users read (its agreements), as this transaction reads it."""
        return self.authors.audience_of(self.conn, self.author)

    def new_ids(self, table: Table, count: int = 1) -> list[int]:
        """Ids for ``count`` new rows of ``table`` (a shared record's, or a child row's)."""
        given = self._ids.get(table.name, 0)
        self._ids[table.name] = given + count
        first = self.start + 1 + given
        return list(range(first, first + count))

    def changed(
        self,
        kind: str,
        record_type: RecordType,
        keys: Sequence[Sequence[Any]],
        *,
        new: bool = False,
        first: bool = False,
    ) -> None:
        """Say that these records changed (``new``: they did not exist before; ``first``:
        their entries go before the others, as a new key's does). A record named twice
        in one write gets one entry, of the last kind named."""
        if record_type in AUTHOR_RECORDS:
            self.authors.forget()
        for key in keys:
            record = record_type.record(key)
            earlier = self._changes.pop(record, None)
            is_new = new and (earlier is None or earlier.new)
            change = _Change(kind, record_type, tuple(key), is_new)
            if first:
                self._changes = {record: change, **self._changes}
            else:
                self._changes[record] = change

    def inserted(self, kind: str, record_type: RecordType, rows: Sequence[dict[str, Any]]) -> None:
        """Say that these records are new, as ``rows`` (each with its key columns) inserted
        them: their states are built from these values, with no query to read them back.
        Only for rows nothing in the write changes after: a later change of one needs
        ``changed``, which reads it back."""
        states = states_of_written(record_type, rows)
        for row in rows:
            key = tuple(row[k] for k in record_type.key)
            record = record_type.record(key)
            self._changes.pop(record, None)
            self._changes[record] = _Change(kind, record_type, key, True, states[record], True)

    def migrated(self, record_type: RecordType, key: Sequence[Any], state: dict[str, Any]) -> None:
        """Say that a record's state is now ``state``, the declared upgrade of the one its
        last entry wrote (``<kind>.migrated``: ``services.upgrades``)."""
        if record_type in AUTHOR_RECORDS:
            self.authors.forget()
        record = record_type.record(key)
        self._changes[record] = _Change(
            f"{record_type.name}.migrated", record_type, tuple(key), False, state
        )

    def flush(self) -> list[int]:
        """Sign and append the entries of the changes so far; their sequences."""
        return flush_together([self])[0]

    def _signed(self) -> tuple[list[Entry], list[SignedEntry], list[StoredOpening]]:
        """The entries of the changes so far, signed with the author's key (from
        ``start``, which must be where the log will be when they are appended)."""
        external = self.external
        key: PartyKey | PublicKey
        if self.sign_with is not None:
            key = self.sign_with
        elif external is None:
            key = self.keys.party_key(self)
        else:
            key = self.keys.own_key(self.conn, self.author)
        entries, openings = self._build(key.key_id)
        if isinstance(key, PartyKey):
            signed = _sign(entries, key)
        else:
            assert external is not None
            signed = signed_by(entries, key, external)
        return entries, signed, openings

    def prepared(self) -> Prepared:
        """What the author, which holds its own key, must sign for the changes so far
        (nothing is appended: the caller rolls the write back)."""
        assert self.external is not None, "only a party holding its own key prepares"
        key = self.sign_with or self.keys.own_key(self.conn, self.author)
        if isinstance(key, PartyKey):
            key = key.public_key
        if not self._changes:
            raise AssertionError("a prepared write changed nothing")
        entries, openings = self._build(key.key_id)
        return prepared_for(entries, key, self.author, [o.opening for o in openings])

    def _build(self, key_id: str) -> tuple[list[Entry], list[StoredOpening]]:
        changes, self._changes = self._changes, {}
        states = self._states(changes)
        old = [record for record, change in changes.items() if not change.new]
        previous = log_store.latest_state_hashes(self.conn, old) if old else {}
        external = self.external
        now = datetime.now(UTC) if external is None or external.time is None else external.time
        given = max(self._ids.values(), default=0)
        if given > len(changes):
            raise AssertionError(
                f"a write that began at {self.start} signs {len(changes)} entries and gave "
                f"{given} ids of one table: its ids could repeat"
            )
        return self._entries(changes, states, previous, now, key_id)

    def _entries(
        self,
        changes: dict[str, _Change],
        states: dict[str, dict[str, JsonValue]],
        previous: dict[str, str],
        now: datetime,
        key_id: str,
    ) -> tuple[list[Entry], list[StoredOpening]]:
        """One entry per changed record, from ``start`` on; a record that an agreement's
        parties alone read gets a sealed entry, and its opening (``ledger.sealing``)."""
        entries: list[Entry] = []
        openings: list[StoredOpening] = []
        for offset, (record, change) in enumerate(changes.items()):
            sequence = self.start + offset
            state = states.get(record, {})
            agreement = change.type.scope_of(state)
            body: dict[str, JsonValue] = state
            if agreement is not None:
                opening = Opening(sequence, self.keys.salt(sequence, record, now), state)
                openings.append(StoredOpening(agreement, opening))
                body = sealed_change(agreement, opening.commitment())
            entries.append(
                Entry(
                    sequence=sequence,
                    time=now,
                    kind=change.kind,
                    record=record,
                    change=body,
                    author_party=self.author,
                    author_key_id=key_id,
                    previous=previous.get(record),
                )
            )
        return entries, openings

    def _states(self, changes: dict[str, _Change]) -> dict[str, dict[str, JsonValue]]:
        by_type: dict[str, list[tuple[Any, ...]]] = {}
        types: dict[str, RecordType] = {}
        states: dict[str, dict[str, JsonValue]] = {}
        written: dict[str, list[tuple[Any, ...]]] = {}
        for record, change in changes.items():
            if change.state is not None:
                states[record] = change.state
                if change.written and self.check_written:
                    written.setdefault(change.type.name, []).append(change.key)
                    types[change.type.name] = change.type
                continue
            by_type.setdefault(change.type.name, []).append(change.key)
            types[change.type.name] = change.type
        for name, keys in by_type.items():
            states.update(read_states(self.conn, types[name], keys))
        for name, keys in written.items():
            _check_written(states, read_states(self.conn, types[name], keys))
        for record, change in changes.items():
            if record not in states and not change.kind.endswith(".deleted"):
                raise AssertionError(f"{change.kind}: {record} is not in the database")
        return states


def _check_written(built: dict[str, dict[str, JsonValue]], read: dict[str, Any]) -> None:
    """Fail unless each state built from the rows inserted signs as the one read back: their
    canonical JSON is compared, since ``==`` holds between values that sign differently
    (``1 == True``)."""
    for record, state in read.items():
        given = built[record]
        differ = sorted(
            k
            for k in state.keys() | given.keys()
            if canonical_json(state.get(k)) != canonical_json(given.get(k))
        )
        if differ:
            raise AssertionError(
                f"{record}: the state built from the row inserted differs from the row read "
                f"back in {', '.join(differ)}: "
                + "; ".join(f"{k}: {given.get(k)!r} != {state.get(k)!r}" for k in differ)
            )


def flush_together(writers: Sequence[Writer]) -> list[list[int]]:
    """Sign each writer's changes so far with its author's key and append them all at once,
    in order; each writer's entries' sequences. Each writer's ``start`` must be where the
    one before it ends (writes filed together: ``services.filings``), the first's where the
    log ends: a write that began before another appended could give an id twice."""
    at = writers[0].tail.size if writers else 0
    built: list[tuple[Writer, list[Entry], list[SignedEntry], list[StoredOpening]]] = []
    for writer in writers:
        if not writer._changes:
            built.append((writer, [], [], []))
            continue
        if writer.start != at:
            raise AssertionError(f"a write that began at {writer.start} would sign from {at}")
        entries, signed, openings = writer._signed()
        built.append((writer, entries, signed, openings))
        at += len(entries)
    leaves = [LedgerLeaf.of(s) for _, _, signed, _ in built for s in signed]
    if not leaves:
        return [[] for _ in writers]
    conn, tail = writers[0].conn, writers[0].tail
    done = iter(log_store.append(conn, leaves, tail))
    opening_store.save_openings(conn, [o for *_, openings in built for o in openings])
    appended = []
    for writer, entries, _, _ in built:
        sequences = [next(done) for _ in entries]
        writer.appended.extend(sequences)
        writer.indexes.update((e.record, q) for e, q in zip(entries, sequences, strict=True))
        writer.kinds.update(e.kind for e in entries)
        appended.append(sequences)
    return appended


def _sign(entries: list[Entry], key: PartyKey) -> list[SignedEntry]:
    if len(entries) == 1:
        return [sign_entry(entries[0], key)]
    return BatchSignature.sign(entries, key).signed_entries(entries)
