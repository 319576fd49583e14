"""Verifying a whole log from its leaves alone: what ``ceasefire ledger verify`` runs.

``LogVerifier`` reads the leaves in order, once, and checks every one:

- it is a canonical signed entry whose ``sequence`` is its place in the log (a leaf that
  was moved, or a gap where one was deleted, names itself);
- its author's key was registered by a ``key.added`` entry at or before it, signed by that
  key itself or another of the party's keys, and not revoked before it;
- its signature verifies, alone or as a member of a batch whose members are all present,
  in order, with the signed root and size;
- its ``previous`` is the state hash of the record's last entry (null for a first one).

Meanwhile it rebuilds the Merkle tree from the leaves (keeping only the right edge) and
records the root at every size asked for, so checkpoints can be checked against it, and
it keeps the latest state hash of every record, for the live database to be compared with.
Everything found wrong is a ``Problem`` naming the entry; nothing stops at the first.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ceasefire.domain.errors import CeasefireError

from .checkpoints import Checkpoint, CosignatureVerifier, verify_cosignature
from .entries import SignedEntry, batch_message
from .hashing import leaf_hash, merkle_tree_hash, node_hash
from .keys import PublicKey, SignatureError
from .notes import Note, NoteError, Verifier, open_note
from .subtrees import subtrees_completed_by

KEY_ADDED = "key.added"
DELETED = ".deleted"


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
class RegisteredKey:
    """A party's key as the log registered it."""

    party: str
    key: PublicKey
    added: int
    revoked: int | None = None


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
        self.keys: dict[tuple[str, str], RegisteredKey] = {}
        self.records: dict[str, RecordState] = {}
        self.roots: dict[int, bytes] = {}
        self._wanted = set(roots_at)
        self._edge: list[bytes] = []
        self._batch: _Batch | None = None

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
        index = self.size
        hashed = leaf_hash(data)
        self._grow(hashed)
        where = f"entry {index}"
        if stored_hash is not None and stored_hash != hashed:
            self.problem(where, "the stored leaf hash is not the hash of the stored leaf")
        try:
            signed = SignedEntry.from_leaf(data)
        except CeasefireError as error:
            self._end_batch_early(index)
            self.problem(where, f"is not a valid signed entry: {error}")
            return
        entry = signed.entry
        where = f"entry {index} ({entry.kind} {entry.record} by {entry.author_party})"
        if entry.sequence != index:
            self.problem(where, f"says it is entry {entry.sequence}: it was moved or reordered")
        if entry.kind == KEY_ADDED:
            self._register(signed, where)
        elif entry.record.startswith("key:") and entry.change.get("revoked") is not None:
            found = self.keys.get((entry.author_party, entry.record.rsplit("/", 1)[-1]))
            if found is not None and found.revoked is None:
                found.revoked = index
        self._check_signature(signed, index, where)
        self._check_previous(signed, index, where)

    def _register(self, signed: SignedEntry, where: str) -> None:
        entry = signed.entry
        party, _, key_id = entry.record.removeprefix("key:").partition("/")
        try:
            key = PublicKey(
                str(entry.change["name"]), bytes.fromhex(str(entry.change["public_key"]))
            )
        except (KeyError, ValueError, CeasefireError) as error:
            self.problem(where, f"does not describe a key: {error}")
            return
        if key.key_id != key_id:
            self.problem(where, f"adds key {key_id} of {party}, but the key's id is {key.key_id}")
            return
        if party != entry.author_party:
            self.problem(where, f"adds a key of {party}, but is signed by {entry.author_party}")
            return
        current = [k for k in self.keys.values() if k.party == party and k.revoked is None]
        if current and (party, key_id) not in self.keys:
            self.problem(
                where,
                f"adds a second key for {party}, signed by itself: {party} already has key "
                f"{current[0].key.name} ({current[0].key.key_id})",
            )
            return
        self.keys.setdefault((party, key_id), RegisteredKey(party, key, entry.sequence))
        if entry.change.get("revoked") is not None:
            self.keys[(party, key_id)].revoked = entry.sequence

    def _key(self, signed: SignedEntry, index: int, where: str) -> PublicKey | None:
        entry = signed.entry
        found = self.keys.get((entry.author_party, entry.author_key_id))
        if found is None:
            self.problem(
                where,
                f"is signed with key {entry.author_key_id}, "
                f"which no entry before it registered for {entry.author_party}",
            )
            return None
        if found.revoked is not None and found.revoked < index:
            self.problem(
                where, f"is signed with key {found.key.name}, revoked at entry {found.revoked}"
            )
            return None
        return found.key

    def _check_signature(self, signed: SignedEntry, index: int, where: str) -> None:
        entry = signed.entry
        if signed.batch is None:
            self._end_batch_early(index)
            key = self._key(signed, index, where)
            if key is not None:
                try:
                    key.verify(entry.signed_message(), signed.signature)
                except SignatureError:
                    self.problem(where, f"the signature by {key.name} does not verify")
            return
        position = signed.batch
        author = (entry.author_party, entry.author_key_id)
        batch = self._batch
        if position.index == 0:
            self._end_batch_early(index)
            batch = self._batch = _Batch(
                position.root, position.size, signed.signature, author, index
            )
        elif batch is None or (batch.root, batch.size) != (position.root, position.size):
            self._end_batch_early(index)
            self.problem(
                where, f"is member {position.index} of a batch whose earlier members are missing"
            )
            return
        if (
            position.index != len(batch.entries)
            or signed.signature != batch.signature
            or author != batch.author
        ):
            self.problem(where, "does not follow the batch members before it")
        batch.entries.append(entry.canonical())
        if len(batch.entries) == batch.size:
            self._batch = None
            self._check_batch(batch, signed, index)

    def _check_batch(self, batch: _Batch, last: SignedEntry, index: int) -> None:
        where = f"entries {batch.first}–{index} (a batch by {batch.author[0]})"
        if merkle_tree_hash(batch.entries) != batch.root:
            self.problem(where, "the entries are not those whose root was signed")
            return
        key = self._key(last, batch.first, where)
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

    def _check_previous(self, signed: SignedEntry, index: int, where: str) -> None:
        entry = signed.entry
        before = self.records.get(entry.record)
        if before is None and entry.previous is not None:
            self.problem(where, "names a previous state, but no entry before it wrote the record")
        elif before is not None and entry.previous != before.state:
            self.problem(
                where,
                f"names previous state {entry.previous}, "
                f"but entry {before.sequence} left {before.state}",
            )
        state = None if entry.kind.endswith(DELETED) else entry.state_hash()
        self.records[entry.record] = RecordState(index, state)

    def finish(self) -> list[Problem]:
        """Call after the last leaf: a batch cut short is a problem too."""
        self._end_batch_early(self.size)
        return self.problems

    # --- checkpoints ------------------------------------------------------------------

    def verifier_for(self, name: str, key_id: bytes, cosigner: bool = False) -> Verifier | None:
        """The registered key a note signature line names, as a note verifier."""
        for registered in self.keys.values():
            key = registered.key
            if key.name != name:
                continue
            kind = CosignatureVerifier if cosigner else Verifier
            verifier = kind.from_key_string(note_key_string(key, cosigner))
            if verifier.key_id == key_id:
                return verifier
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
        signer = host or next(
            (v for s in note.signatures if (v := self.verifier_for(s.name, s.key_id))), None
        )
        if signer is None:
            self.problem(where, "is not signed by any key the log registered")
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
            cosigner = self.verifier_for(line.name, line.key_id, cosigner=True)
            if cosigner is None:
                self.problem(where, f"is cosigned by {line.name}, a key the log never registered")
                continue
            assert isinstance(cosigner, CosignatureVerifier)
            try:
                verify_cosignature(checkpoint, line, cosigner)
            except NoteError as error:
                self.problem(where, str(error))
        return checkpoint


def note_key_string(key: PublicKey, cosigner: bool = False) -> str:
    """A party key as a C2SP verifier key string (type 0x01, or 0x04 as a cosigner)."""
    kind = CosignatureVerifier if cosigner else Verifier
    kind_byte = bytes([kind.signature_type])
    key_id = hashlib.sha256(key.name.encode() + b"\n" + kind_byte + key.public_bytes).digest()
    encoded = base64.b64encode(kind_byte + key.public_bytes).decode()
    return f"{key.name}+{key_id[:4].hex()}+{encoded}"
