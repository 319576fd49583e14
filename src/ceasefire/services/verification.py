"""``ceasefire ledger verify``: check the log, its checkpoints and the live database.

From a database: every stored leaf is checked (``ledger.verifier.LogVerifier``), the
stored subtree hashes must give the root the leaves give, every saved checkpoint and
cosignature must verify and match the rebuilt tree, and every row of shared state
(``store.records``) must be the state its record's latest entry wrote, with no row that
no entry wrote and no record missing that an entry wrote. From an exported bundle
(``services.bundles``) the same checks run on the files alone, with no database.

A trusted checkpoint (one a party kept, or cosigned, earlier) pins the log: the log must
still have at least its size and, at that size, its root. That catches a host that rolls
the log back, or rewrites it and signs new checkpoints with its own key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.states import differing
from ceasefire.ledger import (
    Checkpoint,
    JsonValue,
    Note,
    Opening,
    Verifier,
    commitment,
    state_hash,
)
from ceasefire.ledger.digests import KEY_KINDS, default_workers, digest_all, registered_keys
from ceasefire.ledger.keychain import note_key_string
from ceasefire.ledger.verifier import LogVerifier, Problem
from ceasefire.services.derived import check_incidents
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.upgrades import check_migrations, documents
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import ledger as log_store
from ceasefire.store import openings as opening_store
from ceasefire.store import proofs as proof_store
from ceasefire.store.database import Database
from ceasefire.store.records import RECORD_TYPES, RecordType, all_states

Progress = Callable[[int, int], None]
_EVERY = 10_000  # leaves between progress reports


@dataclass
class Verification:
    """What was checked and what was found wrong."""

    size: int = 0
    root: bytes = b""
    checkpoints: int = 0
    cosignatures: int = 0
    records: int | None = None  # rows of shared state compared (None: no database)
    incidents: int | None = None  # incidents computed again and compared
    keys: list[str] = field(default_factory=list)  # registered keys, as note verifier keys
    rotations: list[str] = field(default_factory=list)  # each change of a party's key
    sealed: int = 0  # sealed entries (docs/ledger.md, "Sealed entries")
    opened: int = 0  # of them, those whose opening was checked
    migrated: int = 0  # <kind>.migrated entries (docs/ledger.md, "The record contract")
    migrations_checked: int = 0  # of them, those checked against the declared upgrade
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def trusted_host_key(text: str | None) -> Verifier | None:
    """The host's verifier key from ``--host-key`` (``<name>+<id>+<base64>``)."""
    if not text:
        return None
    try:
        return Verifier.from_key_string(text.strip())
    except CeasefireError as error:
        raise InvalidInputError("--host-key", str(error)) from None


def check_log(
    leaves: Iterable[tuple[int, bytes, bytes | None]],
    total: int,
    checkpoints: list[str],
    *,
    origin: str | None,
    trusted: str | None = None,
    host_key: Verifier | None = None,
    progress: Progress | None = None,
    key_leaves: Callable[[], Iterable[bytes]] = tuple,
    workers: int | None = None,
) -> tuple[LogVerifier, Verification]:
    """Run the log checks on ``(sequence, leaf, stored hash)`` triples and checkpoint notes.

    With ``workers`` (default: every core for a log of more than a few thousand entries)
    the leaves are parsed and their lone signatures checked in worker processes, with the
    keys of ``key_leaves()`` (the log's ``key.added`` and ``key.rotated`` leaves, read
    first)."""
    sizes = [_size_of(note) for note in [*checkpoints, *([trusted] if trusted else [])]]
    verifier = LogVerifier(roots_at=[s for s in sizes if s is not None])
    workers = default_workers(total) if workers is None else workers
    keys = registered_keys(key_leaves()) if workers else {}
    if workers:
        tagged = (((sequence, stored), leaf) for sequence, leaf, stored in leaves)
        for (sequence, stored), leaf, facts in digest_all(tagged, keys, workers=workers):
            _missing(verifier, sequence)
            verifier.apply(leaf, facts, stored)
            if progress is not None and verifier.size % _EVERY == 0:
                progress(verifier.size, total)
    else:
        for sequence, leaf, stored in leaves:
            _missing(verifier, sequence)
            verifier.add(leaf, stored)  # with the keys registered so far, as the log goes
            if progress is not None and verifier.size % _EVERY == 0:
                progress(verifier.size, total)
    verifier.finish()
    if progress is not None:
        progress(verifier.size, total)
    result = Verification(size=verifier.size, root=verifier.root())
    for note in checkpoints:
        verifier.check_checkpoint(note, origin, host_key)
        result.checkpoints += 1
        result.cosignatures += _cosignatures_in(note)
    if trusted is not None:
        _check_trusted(verifier, trusted, origin, host_key)
    result.keys = [note_key_string(k.key) for k in verifier.keys.values()]
    result.rotations = [str(r) for r in verifier.chain.rotations]  # each change of key
    result.sealed = len(verifier.sealed)
    return verifier, result


def _check_trusted(
    verifier: LogVerifier, trusted: str, origin: str | None, host_key: Verifier | None
) -> None:
    """Check a checkpoint kept earlier; its problems say it was the trusted one."""
    before = len(verifier.problems)
    verifier.check_checkpoint(trusted, origin, host_key)
    for i in range(before, len(verifier.problems)):
        p = verifier.problems[i]
        verifier.problems[i] = Problem(f"trusted {p.where}", p.reason)


def _missing(verifier: LogVerifier, sequence: int) -> None:
    if sequence != verifier.size:
        verifier.problem(
            f"entry {verifier.size}",
            f"is missing: the stored entries go from {verifier.size - 1} to {sequence}",
        )


def _size_of(note: str) -> int | None:
    try:
        return Checkpoint.parse(Note.parse(note).text).size
    except CeasefireError:
        return None  # check_checkpoint reports it


def _cosignatures_in(note: str) -> int:
    try:
        return max(0, len(Note.parse(note).signatures) - 1)
    except CeasefireError:
        return 0


def verify_database(
    db: Database,
    *,
    origin: str | None,
    trusted: str | None = None,
    host_key: Verifier | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Verification:
    """Check the stored log, its checkpoints and every row of shared state."""
    with db.read() as conn:
        total = log_store.DatabaseLog(conn).size
        notes = []
        for size in checkpoint_store.checkpoint_sizes(conn):
            saved = checkpoint_store.load_checkpoint(conn, size)
            assert saved is not None
            notes.append(saved.cosigned_note())
        verifier, result = check_log(
            log_store.stored_leaves(conn),
            total,
            notes,
            origin=origin,
            trusted=trusted,
            host_key=host_key,
            progress=progress,
            key_leaves=lambda: log_store.leaves_of_kinds(conn, KEY_KINDS),
            workers=workers,
        )
        _check_subtrees(conn, verifier)
        stored = ((o.agreement_id, o.opening) for o in opening_store.all_openings(conn, EVERYTHING))
        result.opened = verifier.check_openings(stored, complete=True)
        result.migrated, result.migrations_checked = check_migrations(
            verifier, lambda sequences: documents(conn, sequences), origin
        )
        result.records = _check_rows(conn, verifier)
        result.incidents = check_incidents(conn, verifier, progress)
    result.problems = verifier.problems
    return result


def _check_subtrees(conn: Connection, verifier: LogVerifier) -> None:
    size = verifier.size
    expected = size - bin(size).count("1")  # complete subtrees of level >= 1
    stored = log_store.count_subtrees(conn)
    if stored != expected:
        verifier.problem("subtree hashes", f"{stored} are stored, a log of {size} has {expected}")
    computed = {**verifier.roots, size: verifier.root()}
    for at, root in sorted(computed.items()):
        try:
            served = proof_store.root(conn, at) if at else root
        except CeasefireError as error:
            verifier.problem("subtree hashes", str(error))
            return
        if served != root:
            verifier.problem(
                "subtree hashes",
                f"at size {at} the stored hashes give a root the stored leaves do not: "
                "the proofs served are wrong",
            )
            return


def _check_rows(conn: Connection, verifier: LogVerifier) -> int:
    """Compare every row of shared state, read as its kind's current state, with the state
    its record's last entry wrote (or, for a sealed entry, committed to:
    ``ledger.sealing``)."""
    seen: set[str] = set()
    behind: dict[str, int] = {}  # records whose last entry is of an earlier version
    for kind in RECORD_TYPES.values():
        for states in all_states(conn, kind):
            known_of = {r: verifier.records.get(r) for r in states}
            sealed = [k.sequence for k in known_of.values() if k and k.sequence in verifier.sealed]
            openings = opening_store.openings_for(conn, sealed) if sealed else {}
            differ: dict[str, tuple[int, dict[str, JsonValue]]] = {}
            for record, state in states.items():
                seen.add(record)
                known = known_of[record]
                if known is None:
                    verifier.problem(record, "is in the database, but no ledger entry wrote it")
                elif known.state is None:
                    verifier.problem(
                        record, f"is in the database, but entry {known.sequence} deleted it"
                    )
                elif known.sequence in verifier.sealed and known.sequence not in openings:
                    verifier.problem(
                        f"entry {known.sequence} ({record})",
                        "the database row cannot be checked: the sealed entry has no opening",
                    )
                elif known.state != _hash_of(state, openings.get(known.sequence)):
                    differ[record] = (known.sequence, state)
            if differ:
                _differs(conn, verifier, kind, differ, behind)
    for name, count in behind.items():
        tag = RECORD_TYPES[name].kind.tag()
        verifier.problem(
            name,
            f"{count} records are still written as an earlier state than {tag}: "
            "run `ceasefire init` to migrate them",
        )
    for record, known in verifier.records.items():
        if known.state is not None and record not in seen and record.split(":")[0] in RECORD_TYPES:
            verifier.problem(
                f"entry {known.sequence} ({record})", "wrote a record the database no longer holds"
            )
    return len(seen)


def _hash_of(state: dict[str, JsonValue], opening: Opening | None) -> str:
    """A row's state hash, or its commitment under the salt of the sealed entry's opening."""
    return state_hash(state) if opening is None else commitment(opening.salt, state)


def _differs(
    conn: Connection,
    verifier: LogVerifier,
    kind: RecordType,
    differ: dict[str, tuple[int, dict[str, JsonValue]]],
    behind: dict[str, int],
) -> None:
    """Name what differs between each row and its record's last entry: the fields, the
    entry and the version; or count the record as not yet migrated."""
    written = documents(conn, [sequence for sequence, _ in differ.values()])
    for record, (sequence, state) in differ.items():
        where = f"entry {sequence} ({record})"
        try:
            document = written[sequence][1]
            assert document is not None
            version = kind.kind.version_of(document)
        except (CeasefireError, AssertionError, KeyError) as error:
            verifier.problem(
                where, f"the database row differs from the entry, which cannot be read: {error}"
            )
            continue
        if version < kind.kind.current.number:
            behind[kind.name] = behind.get(kind.name, 0) + 1
            continue
        names = differing(document, state)
        what = (
            "field " + ", ".join(repr(n) for n in names) if names else "in the order of its lists"
        )
        verifier.problem(
            where,
            f"the database row differs from the {kind.kind.tag(version)} state the entry "
            f"wrote: {what}",
        )


def numbered(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes, bytes | None]]:
    """Leaves read from a file, numbered in order, with no stored hash."""
    for sequence, line in enumerate(lines):
        yield sequence, line, None
