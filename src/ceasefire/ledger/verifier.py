"""Verifying a whole log from its leaves alone: what ``ceasefire ledger verify`` runs.

``LogVerifier`` reads the leaves in order, once, and checks every one:

- it is a canonical signed entry whose ``sequence`` is its place in the log (a leaf that
  was moved, or a gap where one was deleted, names itself);
- its author's key was registered by a ``key.added`` entry at or before it, signed by that
  key itself or another of the party's keys, and not revoked before it;
- its signature verifies, alone or as a member of a batch whose members are all present,
  in order, with the signed root and size;
- its ``previous`` is the state hash of the record's last entry (null for a first one);
  a sealed entry's state hash is its commitment (``sealing``), so the chain is checked
  without its state, and ``check_openings`` checks the openings a reader holds.

Meanwhile it rebuilds the Merkle tree from the leaves (keeping only the right edge) and
records the root at every size asked for, so checkpoints can be checked against it, and
it keeps the latest state hash of every record, for the live database to be compared with.
Everything found wrong is a ``Problem`` naming the entry; nothing stops at the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ceasefire.domain.errors import CeasefireError

from .checkpoints import Checkpoint, CosignatureVerifier, verify_cosignature
from .digests import LeafFacts, digest
from .hashing import node_hash
from .keychain import KeyChain, LoggedKey, note_key_string
from .keys import PublicKey, SignatureError
from .leaves import SignedEntry, batch_message
from .memory import MemoryTree
from .notes import Note, NoteError, Verifier, open_note
from .sealing import Opening
from .subtrees import subtrees_completed_by

MIGRATED = ".migrated"  # an entry that moves a record's state to a later version


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: an entry's sequence, a record, a checkpoint."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class VerificationError(CeasefireError):
    """The log or the database failed verification; ``problems`` lists what, first first."""

    def __init__(self, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")
        self.problems = problems


@dataclass
class _Batch:
    root: bytes
    size: int
    signature: bytes
    author: tuple[str, str]
    first: int
    entries: list[bytes] = field(default_factory=list)


@dataclass(frozen=True)
class RecordState:
    """The latest entry that wrote a record, and the state hash it left (None: deleted)."""

    sequence: int
    state: str | None


class LogVerifier:
    """Checks leaves fed in order (``add``); ``problems`` collects what is wrong."""

    def __init__(self, roots_at: Iterable[int] = ()) -> None:
        self.size = 0
        self.problems: list[Problem] = []
        self.chain = KeyChain()
        self.records: dict[str, RecordState] = {}
        self.roots: dict[int, bytes] = {}
        self._wanted = set(roots_at)
        self._edge: list[bytes] = []
        self._batch: _Batch | None = None
        self._lookup: dict[tuple[str, str], PublicKey] = {}
        self.sealed: dict[int, tuple[str, str]] = {}  # sequence -> (agreement, commitment)
        # <kind>.migrated entries: (sequence, the record's entry before it, record, author)
        self.migrations: list[tuple[int, int, str, str]] = []

    def problem(self, where: str, reason: str) -> None:
        self.problems.append(Problem(where, reason))

    # --- the tree ---------------------------------------------------------------------

    def _grow(self, hashed: bytes) -> None:
        self._edge.append(hashed)
        for _ in subtrees_completed_by(self.size):
            right = self._edge.pop()
            self._edge[-1] = node_hash(self._edge[-1], right)
        self.size += 1
        if self.size in self._wanted:
            self.roots[self.size] = self.root()

    def root(self) -> bytes:
        """The root of the leaves added so far."""
        if not self._edge:
            return hashlib.sha256(b"").digest()
        folded = self._edge[-1]
        for left in reversed(self._edge[:-1]):
            folded = node_hash(left, folded)
        return folded

    # --- entries ----------------------------------------------------------------------

    def add(self, data: bytes, stored_hash: bytes | None = None) -> None:
        """Check the next leaf (``stored_hash``: the leaf hash a database holds for it)."""
        if self.chain.changed:
            self._lookup = self.chain.lookup()
        self.apply(data, digest(data, self._lookup), stored_hash)

    def apply(self, data: bytes, facts: LeafFacts, stored_hash: bytes | None = None) -> None:
        """Apply the rules that depend on order to the next leaf's ``digest``."""
        index = self.size
        self._grow(facts.hash)
        where = f"entry {index}"
        if stored_hash is not None and stored_hash != facts.hash:
            self.problem(where, "the stored leaf hash is not the hash of the stored leaf")
        if facts.error is not None:
            self._end_batch_early(index)
            self.problem(where, f"is not a valid signed entry: {facts.error}")
            return
        where = f"entry {index} ({facts.kind} {facts.record} by {facts.author})"
        if facts.sequence != index:
            self.problem(where, f"says it is entry {facts.sequence}: it was moved or reordered")
        if facts.added_key is not None:
            start = self._batch.first if facts.batch and facts.batch[2] and self._batch else index
            wrong = self.chain.register(facts, index, start)
            if wrong is not None:
                self.problem(where, wrong)
        elif facts.record.startswith("key:") and facts.revoked:
            self.chain.revoke(facts.author, facts.record.rsplit("/", 1)[-1], index)
        self._check_signature(data, facts, index, where)
        self._check_previous(facts, index, where)
        if facts.sealed is not None:
            self.sealed[index] = facts.sealed

    @property
    def keys(self) -> dict[tuple[str, str], LoggedKey]:
        """Every key the log registered so far, by (party, key id)."""
        return self.chain.keys

    def _key(self, author: str, key_id: str, index: int, where: str) -> PublicKey | None:
        key, why = self.chain.valid(author, key_id, index)
        if key is None:
            self.problem(where, why)
        return key

    def _check_signature(self, data: bytes, facts: LeafFacts, index: int, where: str) -> None:
        if facts.batch is None:
            self._end_batch_early(index)
            key = self._key(facts.author, facts.key_id, index, where)
            if key is None:
                return
            ok = facts.signature_ok
            if facts.checked_with != key.public_bytes:  # checked with another key: again
                ok = _verifies_alone(data, key)
            if not ok:
                self.problem(where, f"the signature by {key.name} does not verify")
            return
        root, size, position = facts.batch
        author = (facts.author, facts.key_id)
        batch = self._batch
        if position == 0:
            self._end_batch_early(index)
            batch = self._batch = _Batch(root, size, facts.signature, author, index)
        elif batch is None or (batch.root, batch.size) != (root, size):
            self._end_batch_early(index)
            self.problem(
                where, f"is member {position} of a batch whose earlier members are missing"
            )
            return
        if (
            position != len(batch.entries)
            or facts.signature != batch.signature
            or author != batch.author
        ):
            self.problem(where, "does not follow the batch members before it")
        batch.entries.append(facts.entry_hash)
        if len(batch.entries) == batch.size:
            self._batch = None
            self._check_batch(batch, index)

    def _check_batch(self, batch: _Batch, index: int) -> None:
        where = f"entries {batch.first}–{index} (a batch by {batch.author[0]})"
        tree = MemoryTree()
        for hashed in batch.entries:
            tree.append_leaf_hash(hashed)
        if tree.root() != batch.root:
            self.problem(where, "the entries are not those whose root was signed")
            return
        key = self._key(*batch.author, batch.first, where)
        if key is None:
            return
        try:
            key.verify(batch_message(batch.root, batch.size), batch.signature)
        except SignatureError:
            self.problem(where, f"the batch signature by {key.name} does not verify")

    def _end_batch_early(self, index: int) -> None:
        if self._batch is not None:
            batch, self._batch = self._batch, None
            self.problem(
                f"entries {batch.first}–{index - 1}",
                f"a batch of {batch.size} entries holds only {len(batch.entries)}",
            )

    def _check_previous(self, facts: LeafFacts, index: int, where: str) -> None:
        before = self.records.get(facts.record)
        if before is None and facts.previous is not None:
            self.problem(where, "names a previous state, but no entry before it wrote the record")
        elif before is not None and facts.previous != before.state:
            self.problem(
                where,
                f"names previous state {facts.previous}, "
                f"but entry {before.sequence} left {before.state}",
            )
        if facts.kind.endswith(MIGRATED):
            if before is None:
                self.problem(where, "migrates a record that no entry before it wrote")
            else:
                self.migrations.append((index, before.sequence, facts.record, facts.author))
        self.records[facts.record] = RecordState(index, facts.state)

    def check_openings(
        self, openings: Iterable[tuple[str | None, Opening]], *, complete: bool
    ) -> int:
        """Check openings of sealed entries, each with the agreement it is kept under (None:
        not said): each must open an entry that is sealed, under that agreement, to the
        committed state. ``complete``: every sealed entry must have one (the host's
        database); a party's bundle holds only those of its agreements. How many opened."""
        opened: set[int] = set()
        tried: set[int] = set()
        for agreement, opening in openings:
            tried.add(opening.sequence)
            where = f"opening of entry {opening.sequence}"
            sealed = self.sealed.get(opening.sequence)
            if sealed is None:
                self.problem(where, "opens an entry that is not sealed")
                continue
            if agreement is not None and agreement != sealed[0]:
                self.problem(where, f"is kept under {agreement}, but the entry is {sealed[0]}'s")
            try:
                committed = opening.commitment()
            except CeasefireError as error:
                self.problem(where, f"cannot be read: {error}")
                continue
            if committed != sealed[1]:
                self.problem(where, "is not what the entry commits to: its salt or state differ")
                continue
            opened.add(opening.sequence)
        if complete:
            for sequence in sorted(set(self.sealed) - tried):
                self.problem(f"entry {sequence}", "is sealed, and no opening of it is kept")
        return len(opened)

    def finish(self) -> list[Problem]:
        """Call after the last leaf: a batch cut short is a problem too."""
        self._end_batch_early(self.size)
        return self.problems

    # --- checkpoints ------------------------------------------------------------------

    def _registered_for(
        self, name: str, key_id: bytes, cosigner: bool
    ) -> tuple[LoggedKey, Verifier] | None:
        for registered in self.keys.values():
            key = registered.key
            if key.name != name:
                continue
            kind = CosignatureVerifier if cosigner else Verifier
            verifier = kind.from_key_string(note_key_string(key, cosigner))
            if verifier.key_id == key_id:
                return registered, verifier
        return None

    def check_checkpoint(
        self, message: str, origin: str | None, host: Verifier | None = None
    ) -> Checkpoint | None:
        """Check a (cosigned) checkpoint note against the rebuilt tree; ``host`` is the
        key to trust for the host's signature (default: the registered key it names)."""
        try:
            note = Note.parse(message)
            checkpoint = Checkpoint.parse(note.text)
        except CeasefireError as error:
            self.problem("checkpoint", f"cannot be read: {error}")
            return None
        where = f"checkpoint of size {checkpoint.size}"
        signed = {(line.name, line.key_id) for line in note.signatures}
        signer, wrong = self.chain.host_signer(
            signed, checkpoint.size, origin or checkpoint.origin, host
        )
        if wrong:
            self.problem(where, wrong)
        if signer is None:
            return None
        try:
            open_note(message, [signer])
        except NoteError as error:
            self.problem(where, str(error))
            return None
        if origin is not None and checkpoint.origin != origin:
            self.problem(where, f"is for log {checkpoint.origin!r}, not {origin!r}")
        if checkpoint.size > self.size:
            self.problem(
                where,
                f"but the log holds only {self.size} entries: it was rolled back or cut short",
            )
        elif self.roots.get(checkpoint.size) != checkpoint.root_hash:
            self.problem(where, "the log's first entries no longer have the signed root")
        for line in note.signatures:
            if (line.name, line.key_id) == (signer.name, signer.key_id):
                continue
            found = self._registered_for(line.name, line.key_id, cosigner=True)
            if found is None:
                self.problem(where, f"is cosigned by {line.name}, a key the log never registered")
                continue
            registered, cosigner = found
            if registered.revoked is not None and checkpoint.size > registered.revoked:
                self.problem(
                    where,
                    f"is cosigned with {registered.party}'s key {registered.key.key_id}, "
                    f"replaced at entry {registered.revoked}",
                )
            assert isinstance(cosigner, CosignatureVerifier)
            try:
                verify_cosignature(checkpoint, line, cosigner)
            except NoteError as error:
                self.problem(where, str(error))
        return checkpoint


def _verifies_alone(data: bytes, key: PublicKey) -> bool:
    signed = SignedEntry.from_leaf(data)
    try:
        key.verify(signed.entry.signed_message(), signed.signature)
    except SignatureError:
        return False
    return True
