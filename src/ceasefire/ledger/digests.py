"""What a verifier needs from one leaf, computed on its own: the part that runs on every core.

``digest(leaf, keys)`` parses a leaf strictly, hashes it, and checks a lone signature with
the key the author names (looked up in ``keys``). It needs nothing from the leaves before
it, so ``digest_all`` spreads it over worker processes and hands the facts back in order;
``LogVerifier`` then applies the rules that depend on order (sequences, key registration,
batches, state chains) in one process. A key registry for the workers is read first, from
the log's ``key.added`` entries (``registered_keys``); which of those keys was valid where
is the verifier's business, not theirs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import NamedTuple, TypeVar

from ceasefire.domain.errors import CeasefireError

from .hashing import leaf_hash
from .keys import PublicKey, SignatureError
from .leaves import SignedEntry

KEY_ADDED = "key.added"
KEY_ROTATED = "key.rotated"  # a new key, signed by the party's old one
KEY_KINDS = (KEY_ADDED, KEY_ROTATED)
DELETED = ".deleted"
CHUNK = 2_000  # leaves per task sent to a worker

Keys = Mapping[tuple[str, str], PublicKey]
Tag = TypeVar("Tag")


class LeafFacts(NamedTuple):
    """One leaf's hash and, if it is a valid signed entry, what the rules need of it. (A
    named tuple: it crosses from the worker processes by the thousand, and pickles small.)"""

    hash: bytes
    error: str | None = None
    sequence: int = 0
    kind: str = ""
    record: str = ""
    author: str = ""
    key_id: str = ""
    previous: str | None = None
    state: str | None = None  # the change's state hash; None for a deletion
    sealed: tuple[str, str] | None = None  # a sealed entry's (agreement, commitment)
    revoked: bool = False  # the change records a revocation
    added_key: tuple[str, str] | None = None  # key.added/rotated: (name, public key hex)
    batch: tuple[bytes, int, int] | None = None  # (root, size, index)
    signature: bytes = b""
    entry_hash: bytes = b""  # leaf hash of the canonical entry: a batch tree's leaf
    checked_with: bytes | None = None  # the public key a lone signature was checked with
    signature_ok: bool = False


def digest(data: bytes, keys: Keys) -> LeafFacts:
    """The facts of one leaf; a lone signature is checked with ``keys[(author, key id)]``,
    or with the key the entry adds when it is a ``key.added`` entry."""
    hashed = leaf_hash(data)
    try:
        signed = SignedEntry.from_leaf(data)
    except CeasefireError as error:
        return LeafFacts(hashed, error=str(error))
    entry = signed.entry
    added = None
    if entry.kind in KEY_KINDS:
        added = (str(entry.change.get("name")), str(entry.change.get("public_key")))
    key = keys.get((entry.author_party, entry.author_key_id))
    if key is None and added is not None:
        key = _key_of(*added)
    checked_with, ok = None, False
    if signed.batch is None and key is not None:
        checked_with = key.public_bytes
        try:
            key.verify(entry.signed_message(), signed.signature)
            ok = True
        except SignatureError:
            ok = False
    batch = signed.batch
    return LeafFacts(
        hashed,
        sequence=entry.sequence,
        kind=entry.kind,
        record=entry.record,
        author=entry.author_party,
        key_id=entry.author_key_id,
        previous=entry.previous,
        state=None if entry.kind.endswith(DELETED) else entry.state_hash(),
        sealed=entry.sealed(),
        revoked=entry.change.get("revoked") is not None,
        added_key=added,
        batch=None if batch is None else (batch.root, batch.size, batch.index),
        signature=signed.signature,
        entry_hash=leaf_hash(entry.canonical()) if batch is not None else b"",
        checked_with=checked_with,
        signature_ok=ok,
    )


def _key_of(name: str, public_hex: str) -> PublicKey | None:
    try:
        return PublicKey(name, bytes.fromhex(public_hex))
    except (ValueError, CeasefireError):
        return None


def registered_keys(key_leaves: Iterable[bytes]) -> dict[tuple[str, str], PublicKey]:
    """The keys ``key.added`` and ``key.rotated`` leaves name, first registration first
    (for the workers)."""
    found: dict[tuple[str, str], PublicKey] = {}
    for data in key_leaves:
        try:
            entry = SignedEntry.from_leaf(data).entry
        except CeasefireError:
            continue  # the verifier reports it in its place
        if entry.kind not in KEY_KINDS:
            continue
        key = _key_of(str(entry.change.get("name")), str(entry.change.get("public_key")))
        if key is not None:
            found.setdefault((entry.author_party, key.key_id), key)
    return found


def default_workers(total: int) -> int:
    """All cores for a log worth spreading; none for a small one."""
    return (os.cpu_count() or 1) if total >= 4 * CHUNK else 0


# --- spreading it over processes -----------------------------------------------------

_worker_keys: Keys = {}


def _start_worker(keys: Keys) -> None:
    global _worker_keys
    _worker_keys = keys


def _digest_chunk(leaves: list[bytes]) -> list[LeafFacts]:
    return [digest(leaf, _worker_keys) for leaf in leaves]


def digest_all(
    items: Iterable[tuple[Tag, bytes]], keys: Keys, *, workers: int
) -> Iterator[tuple[Tag, bytes, LeafFacts]]:
    """Each ``(tag, leaf)`` with the leaf's facts, in order, computed by ``workers``
    processes (0: in this one). At most ``2 * workers`` chunks are in flight."""
    if workers <= 0:
        for tag, leaf in items:
            yield tag, leaf, digest(leaf, keys)
        return
    source = iter(items)
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(keys,)) as pool:
        pending: list[tuple[list[tuple[Tag, bytes]], Future[list[LeafFacts]]]] = []
        while True:
            while len(pending) < 2 * workers:
                chunk = list(islice(source, CHUNK))
                if not chunk:
                    break
                pending.append((chunk, pool.submit(_digest_chunk, [leaf for _, leaf in chunk])))
            if not pending:
                return
            chunk, future = pending.pop(0)
            for (tag, leaf), facts in zip(chunk, future.result(), strict=True):
                yield tag, leaf, facts
