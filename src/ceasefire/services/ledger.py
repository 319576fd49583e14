"""Every write signed by its party and appended to the ledger in the write's own transaction.

``Ledger`` is the server's side of the log: the keys it holds for parties, sealed with the
configured secret, and how often it signs a checkpoint. A service writes with::

    with ledger.write(author) as writer:
        ...change rows through writer.conn...
        writer.changed("regime.extended", REGIME, [regime_id])

When the block ends, the writer reads the state of every record it was told about (after
the change, in the same transaction), signs one entry per record with the author's key and
appends them before the transaction commits, so the store and the ledger never disagree.
A write of several entries is signed once, as a batch (docs/ledger.md, "Batches"): the
batch is the transaction, all of it or none. A party writing for the first time gets its
key, and the key's ``key.added`` entry is signed by the key itself, in the same batch.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time as clock
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Table

from ceasefire.config import Settings
from ceasefire.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ceasefire.domain.regimes import Party
from ceasefire.ledger import (
    BatchSignature,
    Checkpoint,
    Cosigner,
    Entry,
    JsonValue,
    Opening,
    PartyKey,
    PublicKey,
    SignedEntry,
    Signer,
    canonical_json,
    format_time,
    seal,
    sealed_change,
    sign_checkpoint,
    sign_entry,
    unseal,
)
from ceasefire.ledger.keys import DEFAULT_SEAL_COST
from ceasefire.services.rules import Rules
from ceasefire.services.signing import External, signed_by
from ceasefire.store import agreements as agreement_store
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import ledger as log_store
from ceasefire.store import openings as opening_store
from ceasefire.store.database import Database
from ceasefire.store.ledger import LedgerLeaf, RegisteredKey
from ceasefire.store.openings import StoredOpening
from ceasefire.store.records import KEY, PARTY, RecordType, read_states

HOST_PARTY_KIND = "host"
# the entries that change what classification and actor resolution read
RULE_KINDS = tuple(
    f"{record}.{change}"
    for record in ("regime", "actor", "place")
    for change in ("created", "updated", "extended")
)


@dataclass(slots=True)
class _Change:
    kind: str
    type: RecordType
    key: tuple[Any, ...]
    new: bool
    state: dict[str, JsonValue] | None = None  # given, not read from the rows (migrations)


@dataclass
class Writer:
    """One write transaction's connection, the records it changed, and the ids it gave.

    ``start`` is the sequence the write's entries begin at. A record the write creates
    takes its id from there (``new_ids``): one more than ``start``, plus its place among the
    write's new records of its table. A write creates no more records of a table than it
    signs entries, so ids never repeat and never depend on what the tables hold; a write a
    party prepares and then signs gets the same ids both times, since it must begin at the
    same sequence."""

    ledger: Ledger
    conn: Connection
    author: str
    external: External | None = None
    start: int = 0
    _changes: dict[str, _Change] = field(default_factory=dict)
    _ids: dict[str, int] = field(default_factory=dict)  # ids given, by table
    appended: list[int] = field(default_factory=list)

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
        for key in keys:
            record = record_type.record(key)
            earlier = self._changes.pop(record, None)
            is_new = new and (earlier is None or earlier.new)
            change = _Change(kind, record_type, tuple(key), is_new)
            if first:
                self._changes = {record: change, **self._changes}
            else:
                self._changes[record] = change

    def migrated(self, record_type: RecordType, key: Sequence[Any], state: dict[str, Any]) -> None:
        """Say that a record's state is now ``state``, the declared upgrade of the one its
        last entry wrote (``<kind>.migrated``: ``services.upgrades``)."""
        record = record_type.record(key)
        self._changes[record] = _Change(
            f"{record_type.name}.migrated", record_type, tuple(key), False, state
        )

    def flush(self) -> list[int]:
        """Sign and append the entries of the changes so far; their sequences."""
        if not self._changes:
            return []
        external = self.external
        key: PartyKey | PublicKey
        key = self.ledger.party_key(self) if external is None else self._own_key()
        changes, self._changes = self._changes, {}
        states = self._states(changes)
        old = [record for record, change in changes.items() if not change.new]
        previous = log_store.latest_state_hashes(self.conn, old) if old else {}
        start = log_store.next_sequence(self.conn)
        now = datetime.now(UTC) if external is None or external.time is None else external.time
        given = max(self._ids.values(), default=0)
        if start != self.start or given > len(changes):
            raise AssertionError(
                f"a write that began at {self.start} signs {len(changes)} entries from {start} "
                f"and gave {given} ids of one table: its ids could repeat"
            )
        entries, openings = self._entries(changes, states, previous, start, now, key.key_id)
        if isinstance(key, PartyKey):
            signed = _sign(entries, key)
        else:
            assert external is not None
            signed = signed_by(entries, key, external, [o.opening for o in openings])
        done = log_store.append(self.conn, [LedgerLeaf.of(s) for s in signed])
        opening_store.save_openings(self.conn, openings)
        self.appended.extend(done)
        if self.ledger.checkpoint_due():
            self.ledger.checkpoint(self.conn)
        return done

    def _entries(
        self,
        changes: dict[str, _Change],
        states: dict[str, dict[str, JsonValue]],
        previous: dict[str, str],
        start: int,
        now: datetime,
        key_id: str,
    ) -> tuple[list[Entry], list[StoredOpening]]:
        """One entry per changed record, from ``start`` on; a record that an agreement's
        parties alone read gets a sealed entry, and its opening (``ledger.sealing``)."""
        entries: list[Entry] = []
        openings: list[StoredOpening] = []
        for offset, (record, change) in enumerate(changes.items()):
            sequence = start + offset
            state = states.get(record, {})
            agreement = change.type.scope_of(state)
            body: dict[str, JsonValue] = state
            if agreement is not None:
                opening = Opening(sequence, self.ledger.salt(sequence, record, now), state)
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

    def _own_key(self) -> PublicKey:
        """The author's latest key that it holds itself (not the server)."""
        own = [
            k
            for k in log_store.load_party_keys(self.conn, self.author)
            if k.revoked is None and k.sealed_private is None
        ]
        if not own:
            raise InvalidInputError(
                "author", f"party {self.author!r} has registered no key that it holds itself"
            )
        return own[-1].key

    def _states(self, changes: dict[str, _Change]) -> dict[str, dict[str, JsonValue]]:
        by_type: dict[str, list[tuple[Any, ...]]] = {}
        types: dict[str, RecordType] = {}
        states: dict[str, dict[str, JsonValue]] = {}
        for record, change in changes.items():
            if change.state is not None:
                states[record] = change.state
                continue
            by_type.setdefault(change.type.name, []).append(change.key)
            types[change.type.name] = change.type
        for name, keys in by_type.items():
            states.update(read_states(self.conn, types[name], keys))
        for record, change in changes.items():
            if record not in states and not change.kind.endswith(".deleted"):
                raise AssertionError(f"{change.kind}: {record} is not in the database")
        return states


def _sign(entries: list[Entry], key: PartyKey) -> list[SignedEntry]:
    if len(entries) == 1:
        return [sign_entry(entries[0], key)]
    return BatchSignature.sign(entries, key).signed_entries(entries)


class Ledger:
    """The ledger as the server writes it: keys it holds, sealed; checkpoints it signs."""

    def __init__(
        self,
        db: Database,
        *,
        secret: str | None,
        origin: str = "ceasefire.localhost/ledger",
        host_party: str = "host",
        checkpoint_interval: float = 0.0,
        seal_cost: int = DEFAULT_SEAL_COST,
    ) -> None:
        self.db = db
        self._secret = secret
        self.origin = origin
        self.host_party = host_party
        self.checkpoint_interval = checkpoint_interval
        self._seal_cost = seal_cost
        self._keys: dict[tuple[str, str], PartyKey] = {}
        self._lock = threading.Lock()
        self._last_checkpoint = 0.0
        self._host_ready = False
        self._rules: tuple[int, Rules] | None = None

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Ledger:
        secret = settings.ledger_secret
        return cls(
            db,
            secret=None if secret is None else secret.get_secret_value(),
            origin=settings.ledger_origin,
            host_party=settings.host_party,
            checkpoint_interval=settings.checkpoint_interval,
            seal_cost=settings.ledger_seal_cost,
        )

    @contextmanager
    def write(
        self, author: str | None = None, *, external: External | None = None
    ) -> Iterator[Writer]:
        """A write transaction whose changes are signed by ``author`` (default: the host)
        with the key the server holds for it, or by the party itself (``external``)."""
        if external is not None and external.time is None:  # preparing: fix the time now
            external = replace(external, time=datetime.now(UTC))
        author = external.author if external is not None else author or self.host_party
        if author != self.host_party and not self._host_ready:
            with self.write(self.host_party) as host:
                self.party_key(host)  # the host signs checkpoints: make its key first
        with self.db.transaction() as conn:
            start = log_store.next_sequence(conn)  # takes the log's lock: one writer at a time
            if external is not None and external.start not in (None, start):
                raise ConflictError(
                    f"the ledger's next entry is {start}, not {external.start}: "
                    "prepare the write again"
                )
            writer = Writer(self, conn, author, external, start)
            yield writer
            writer.flush()
        self._host_ready = True

    def rules(self, conn: Connection) -> Rules:
        """The classification rules (regimes, actors, places), loaded again only when an
        entry has changed them since, in this process or another."""
        version = log_store.latest_of_kinds(conn, RULE_KINDS)
        cached = self._rules
        if cached is None or cached[0] != version:
            cached = self._rules = (version, Rules.load(conn))
        return cached[1]

    def key_name(self, party_id: str) -> str:
        """The name of a party's key: the log's origin for the host, else origin/party."""
        return self.origin if party_id == self.host_party else f"{self.origin}/{party_id}"

    def party_key(self, writer: Writer) -> PartyKey:
        """The author's key, unsealed (once per process); a party writing for the first
        time gets one, and the writer records its ``key.added`` (and for the host, its
        ``party.created``) entry."""
        conn, party_id = writer.conn, writer.author
        log_store.next_sequence(conn)  # holds the log (and so key creation) until commit
        usable = [k for k in log_store.load_party_keys(conn, party_id) if k.revoked is None]
        held = [k for k in usable if k.sealed_private is not None]
        if held:
            return self._unsealed(party_id, held[-1])
        if usable:
            raise InvalidInputError(
                "author", f"party {party_id!r} holds its own key; it signs its entries itself"
            )
        known = {p.id for p in agreement_store.load_parties(conn)}
        if party_id == self.host_party:
            self._check_host(conn)
        if party_id == self.host_party and party_id not in known:
            agreement_store.save_party(conn, Party(party_id, "Host", HOST_PARTY_KIND))
            writer.changed("party.created", PARTY, [(party_id,)], new=True, first=True)
        elif party_id not in known:
            raise NotFoundError(f"party {party_id!r} does not exist")
        key = PartyKey.generate(self.key_name(party_id))
        log_store.save_party_key(
            conn,
            RegisteredKey(party_id, key.public_key, datetime.now(UTC), self._seal(key)),
        )
        with self._lock:
            self._keys[(party_id, key.key_id)] = key
        writer.changed("key.added", KEY, [(party_id, key.key_id)], new=True, first=True)
        return key

    def _check_host(self, conn: Connection) -> None:
        """Refuse to make a second host: the log's host is the party whose key, named as
        the log's origin, the log registered first."""
        keys = [k for k in log_store.load_party_keys(conn, None) if k.key.name == self.origin]
        host = min(keys, key=lambda k: k.created).party_id if keys else self.host_party
        if host != self.host_party:
            raise InvalidInputError(
                "host_party",
                f"this log's host is {host!r}, not {self.host_party!r}: set "
                f"CEASEFIRE_HOST_PARTY={host}",
            )

    def register_key(self, party_id: str, key: PublicKey, external: External) -> None:
        """Register a public key a party holds itself; the ``key.added`` entry is signed by
        that key (prepare it first: ``external`` without a signature)."""
        if external.author != party_id:
            raise InvalidInputError("author", f"only {party_id!r} can register its keys")
        with self.write(external=external) as writer:
            if party_id not in {p.id for p in agreement_store.load_parties(writer.conn)}:
                raise NotFoundError(f"party {party_id!r} does not exist")
            current = [k for k in log_store.load_party_keys(writer.conn, party_id) if not k.revoked]
            if current:
                raise ConflictError(
                    f"party {party_id!r} has key {current[0].key.key_id} already; "
                    "a party registers its own key once, as its first"
                )
            assert writer.external is not None and writer.external.time is not None
            created = writer.external.time
            log_store.save_party_key(writer.conn, RegisteredKey(party_id, key, created))
            writer.changed("key.added", KEY, [(party_id, key.key_id)], new=True)

    @property
    def has_secret(self) -> bool:
        """Whether the server can sign: it holds the secret its parties' keys are sealed with."""
        return bool(self._secret)

    def salt(self, sequence: int, record: str, time: datetime) -> bytes:
        """The salt of a sealed entry's commitment: secret (an HMAC under the ledger
        secret), and the same when a prepared write runs again to be signed."""
        key = hashlib.sha256(b"ceasefire/opening-salt/v1\x00" + self._require_secret().encode())
        message = canonical_json([sequence, record, format_time(time)], field="salt")
        return hmac.new(key.digest(), message, hashlib.sha256).digest()

    def _seal(self, key: PartyKey) -> bytes:
        return seal(key, self._require_secret(), cost=self._seal_cost)

    def _require_secret(self) -> str:
        if not self._secret:
            raise InvalidInputError(
                "ledger_secret",
                "CEASEFIRE_LEDGER_SECRET is not set; it seals the keys the server signs with",
            )
        return self._secret

    def _unsealed(self, party_id: str, registered: RegisteredKey) -> PartyKey:
        cache_key = (party_id, registered.key.key_id)
        with self._lock:
            found = self._keys.get(cache_key)
        if found is None:
            assert registered.sealed_private is not None
            found = unseal(registered.sealed_private, self._require_secret())
            with self._lock:
                self._keys[cache_key] = found
        return found

    def signing_key(self, conn: Connection, party_id: str) -> PartyKey:
        """A party's unsealed key, for checkpoints and cosignatures the server makes."""
        held = [
            k
            for k in log_store.load_party_keys(conn, party_id)
            if k.revoked is None and k.sealed_private is not None
        ]
        if not held:
            raise NotFoundError(f"the server holds no key of party {party_id!r}")
        return self._unsealed(party_id, held[-1])

    def host_signer(self, conn: Connection) -> Signer:
        key = self.signing_key(conn, self.host_party)
        return Signer(key.name, Ed25519PrivateKey.from_private_bytes(key.private_bytes))

    def cosigner(self, conn: Connection, party_id: str) -> Cosigner:
        key = self.signing_key(conn, party_id)
        return Cosigner(key.name, Ed25519PrivateKey.from_private_bytes(key.private_bytes))

    def checkpoint(self, conn: Connection) -> Checkpoint | None:
        """Sign and save a checkpoint of the log as it is, unless one exists at its size."""
        size = log_store.DatabaseLog(conn).size
        if size == 0 or checkpoint_store.load_checkpoint(conn, size) is not None:
            return None
        checkpoint = Checkpoint(self.origin, size, log_store.root(conn, size))
        note = sign_checkpoint(checkpoint, self.host_signer(conn))
        saved = checkpoint_store.save_checkpoint(conn, note, datetime.now(UTC))
        self._last_checkpoint = clock.monotonic()
        return saved

    def checkpoint_due(self) -> bool:
        """Whether a write should sign a checkpoint: after every write when the interval
        is 0, else when the last one is older than the interval."""
        return clock.monotonic() - self._last_checkpoint >= self.checkpoint_interval

    def checkpoint_now(self) -> Checkpoint | None:
        """Sign a checkpoint of the log as it is, unless one exists at its size (run every
        interval by the server, and at the end of command-line writes)."""
        with self.db.transaction() as conn:
            if log_store.DatabaseLog(conn).size == 0:
                return None
            return self.checkpoint(conn)
