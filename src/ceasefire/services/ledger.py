"""Every write signed by its party and appended to the ledger in the write's own transaction.

``Ledger`` is the server's side of the log. A service writes with::

    with ledger.write(author) as writer:
        ...change rows through writer.conn...
        writer.changed("regime.extended", REGIME, [regime_id])

When the block ends the writer signs one entry per record it was told about with the
author's key and appends them (``services.writers``); concurrent writes of the process
share one transaction and one commit (``services.commits``), each in its own savepoint, and
each returns once the group is durable. A party that holds its own key prepares a write
first (``prepare``: the entries to sign, nothing stored), then sends it again signed. The
keys the server holds are the ``keyring``'s; a checkpoint is signed as each group commits
(or every ``checkpoint_interval`` seconds).
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from ceasefire.config import Settings
from ceasefire.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ceasefire.ledger import Checkpoint, PublicKey, sign_checkpoint
from ceasefire.ledger.keys import DEFAULT_SEAL_COST
from ceasefire.services.authors import Authors
from ceasefire.services.commits import Committer, Group, Request, T
from ceasefire.services.keyring import Keyring, host_in
from ceasefire.services.name_tallies import NameTally
from ceasefire.services.rules import RULE_KINDS, CurrentRules, Rules
from ceasefire.services.signing import External, Prepared
from ceasefire.services.writers import AUTHOR_RECORDS, Writer
from ceasefire.store import agreements as agreement_store
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import ledger as log_store
from ceasefire.store import proofs as proof_store
from ceasefire.store.database import Database
from ceasefire.store.ledger import RegisteredKey
from ceasefire.store.records import KEY
from ceasefire.store.tails import Tail


def host_of(db: Database, origin: str) -> str | None:
    """The party that hosts this log: the first to register a key named as its origin
    (None for a new, or not yet migrated, database)."""
    try:
        with db.read() as conn:
            return host_in(conn, origin)
    except DBAPIError:
        return None


# what a group reads of its authors is read from records of these types
AUTHOR_TYPES = frozenset(record.name for record in AUTHOR_RECORDS)


class Ledger:
    """The ledger as the server writes it: writes grouped into commits, keys it holds,
    checkpoints it signs, the classification rules the entries last changed, and the
    names its reports give."""

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
        self.keys = Keyring(secret, origin=origin, host_party=host_party, seal_cost=seal_cost)
        self.origin = origin
        self.host_party = host_party
        self.checkpoint_interval = checkpoint_interval
        self._committer = Committer(db, self._before_commit, self._carry_over)
        self._last_checkpoint = 0.0
        self._host_ready = False
        self._rules = CurrentRules()
        self.names = NameTally()  # the names the reports give (the names queue)

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Ledger:
        secret = settings.ledger_secret
        return cls(
            db,
            secret=None if secret is None else secret.get_secret_value(),
            origin=settings.ledger_origin,
            host_party=settings.host_party or host_of(db, settings.ledger_origin) or "host",
            checkpoint_interval=settings.checkpoint_interval,
            seal_cost=settings.ledger_seal_cost,
        )

    @property
    def has_secret(self) -> bool:
        return self.keys.has_secret

    def write(
        self, author: str | None = None, *, external: External | None = None
    ) -> AbstractContextManager[Writer]:
        """A write whose changes are signed by ``author`` (default: the host) with the key
        the server holds for it, or by the party itself (``external``, signed)."""
        return self._write(author, external, prepare=False)

    def prepare(self, author: str, body: Callable[[Writer], object]) -> Prepared:
        """Run ``body`` as a write of ``author``, which holds its own key, and return what it
        must sign; nothing is stored. It sends the write again with the signature
        (``External``) within ``signing.MAX_PREPARED_AGE``."""
        with self._write(author, External(author, time=datetime.now(UTC)), prepare=True) as w:
            body(w)
            prepared = w.prepared()
        return prepared

    def together(self, author: str, request: Request[T]) -> T:
        """Run a write of ``author`` together with the others of its kind waiting for the
        log in its write group (``Committer.together``); its outcome, once committed."""
        self._host_first(author)
        outcome = self._committer.together(request)
        self._host_ready = True
        return outcome

    def writer(
        self,
        group: Group,
        author: str,
        *,
        external: External | None = None,
        start: int | None = None,
    ) -> Writer:
        """A write of ``author`` in a write group's transaction, signed with the key the
        server holds for it (or by the party itself: ``external``); ``start``: where its
        entries will begin, when writes run together append after each other at once
        (default: where the log ends now)."""
        if author != self.host_party and not group.authors.party_exists(group.conn, author):
            raise InvalidInputError("party", f"{author!r}: no such party")
        writer = Writer(
            self.keys,
            group.conn,
            author,
            external,
            group.tail,
            lambda conn: self.group_rules(group),
            group.authors,
        )
        if start is not None:
            writer.start = start
        return writer

    def _host_first(self, author: str) -> None:
        if author != self.host_party and not self._host_ready:
            with self.write(self.host_party) as host:
                self.keys.party_key(host)  # the host signs checkpoints: make its key first

    @contextmanager
    def _write(
        self, author: str | None, external: External | None, *, prepare: bool
    ) -> Iterator[Writer]:
        author = external.author if external is not None else author or self.host_party
        self._host_first(author)
        with self._committer.member() as group:
            savepoint = group.savepoint()
            try:
                start = group.tail.size
                if external is not None and external.start not in (None, start):
                    raise ConflictError(
                        f"the ledger's next entry is {start}, not {external.start}: "
                        "prepare the write again"
                    )
                writer = self.writer(group, author, external=external)
                yield writer
                if not prepare:
                    writer.flush()
            except BaseException:
                group.roll_back_to(savepoint)
                raise
            if prepare:
                group.roll_back_to(savepoint)
            elif not writer.kinds.isdisjoint(RULE_KINDS):
                group.rules_version = None
        self._host_ready = True

    def rules(self, conn: Connection, version: int | None = None) -> Rules:
        """The classification rules (regimes, actors, places), loaded again only when an
        entry has changed them since, in this process or another (``version``: the latest
        such entry's sequence, when the caller knows it)."""
        return self._rules(conn, version)

    def busy(self) -> bool:
        """Whether writes of this process are being grouped now (``Committer.busy``)."""
        return self._committer.busy()

    def rules_as_read(self) -> Rules | None:
        """The rules as this process last read them, without asking whether an entry has
        changed them since: a guess to work with before a write takes the log's lock, which
        the write then checks (its ``writer.rules()`` is this same object only if they are
        still in force)."""
        return self._rules.last

    def group_rules(self, group: Group) -> Rules:
        """The rules as a write group's transaction reads them: their version is read once
        per group, and again after a member changed them or was rolled back."""
        if group.rules_version is None:
            group.rules_version = log_store.latest_of_kinds(group.conn, RULE_KINDS)
        return self.rules(group.conn, group.rules_version)

    def _carry_over(self, group: Group, last: Group | None) -> None:
        """Keep what the last group this process committed read of the rules' version and of
        its authors (their parties, keys and agreements), unless an entry appended since,
        by another process, may have changed it (the group knows those entries' kinds when
        it followed the log's tail from the last: ``store.tails.follow``) instead of four
        reads a group. A group's members keep these up to date as they write
        (``Writer.changed``, ``Group.roll_back_to``)."""
        kinds = group.kinds_since
        if last is None or kinds is None:
            return
        if last.rules_version is not None and kinds.isdisjoint(RULE_KINDS):
            group.rules_version = last.rules_version
        if not any(kind.partition(".")[0] in AUTHOR_TYPES for kind in kinds):
            group.authors = last.authors

    # --- keys a party holds itself ------------------------------------------------------

    def register_key(self, party_id: str, key: PublicKey, external: External) -> None:
        """Register a public key a party holds itself; its ``key.added`` entry is signed
        by that key (``prepare_key`` first)."""
        if external.author != party_id:
            raise InvalidInputError("author", f"only {party_id!r} can register its keys")
        with self.write(external=external) as writer:
            _add_own_key(writer, party_id, key)

    def prepare_key(self, party_id: str, key: PublicKey) -> Prepared:
        """What registering a party's own key asks it to sign."""
        return self.prepare(party_id, lambda writer: _add_own_key(writer, party_id, key))

    # --- checkpoints --------------------------------------------------------------------

    def _before_commit(self, group: Group) -> None:
        # no checkpoint covers entries a power cut could still take back: a group that does
        # not wait for the disk (an import's chunk) signs none; the next that does signs one
        if group.appended and not group.unsynced and self.checkpoint_due():
            self.checkpoint(group.conn, group.tail, group.authors)

    def checkpoint(
        self, conn: Connection, tail: Tail | None = None, authors: Authors | None = None
    ) -> Checkpoint | None:
        """Sign and save a checkpoint of the log as it is, unless one exists at its size.
        ``tail``: the log's tail as a write group that just appended keeps it (its root
        needs no query, and no checkpoint can exist at its size yet); ``authors``: the
        group's cache of the keys (``services.authors``)."""
        if tail is None:
            size = log_store.DatabaseLog(conn).size
            if size == 0 or checkpoint_store.load_checkpoint(conn, size) is not None:
                return None
            root = proof_store.root(conn, size)
        else:
            size, root = tail.size, tail.root()
        checkpoint = Checkpoint(self.origin, size, root)
        note = sign_checkpoint(checkpoint, self.keys.host_signer(conn, authors))
        saved = checkpoint_store.save_checkpoint(
            conn, note, datetime.now(UTC), root=None if tail is None else root, new=tail is not None
        )
        self._last_checkpoint = clock.monotonic()
        return saved

    def checkpoint_due(self) -> bool:
        """Whether a commit should sign a checkpoint: every one when the interval is 0, else
        when the last is older than the interval."""
        return clock.monotonic() - self._last_checkpoint >= self.checkpoint_interval

    def checkpoint_now(self) -> Checkpoint | None:
        """Sign a checkpoint of the log as it is, unless one exists at its size (run every
        interval by the server, and at the end of command-line writes)."""
        with self._committer.member() as group:
            if log_store.DatabaseLog(group.conn).size == 0:
                return None
            return self.checkpoint(group.conn)


def _add_own_key(writer: Writer, party_id: str, key: PublicKey) -> None:
    conn = writer.conn
    if party_id not in {p.id for p in agreement_store.load_parties(conn)}:
        raise NotFoundError(f"party {party_id!r} does not exist")
    current = [k for k in log_store.load_party_keys(conn, party_id) if not k.revoked]
    if current:
        raise ConflictError(
            f"party {party_id!r} has key {current[0].key.key_id} already; "
            "a party registers its own key once, as its first"
        )
    assert writer.external is not None and writer.external.time is not None
    log_store.save_party_key(conn, RegisteredKey(party_id, key, writer.external.time))
    writer.changed("key.added", KEY, [(party_id, key.key_id)], new=True)
