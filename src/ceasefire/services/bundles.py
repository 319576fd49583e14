"""Verification bundles: the whole ledger as plain files that anyone can check offline.

``ceasefire ledger export DIR`` writes::

    DIR/README.md           what the files are and how to check them
    DIR/manifest.json       origin, size, root, and the SHA-256 of every other file
    DIR/entries.jsonl       one leaf per line, in sequence order (RFC 8785 JSON has no
                            raw newline, so a line is exactly the leaf's bytes)
    DIR/checkpoints/<size>.txt   every checkpoint: the host-signed note, cosignatures after
    DIR/keys.txt            every registered key, as C2SP verifier keys (informative:
                            the keys that count are the ones the log's entries register)
    DIR/openings.jsonl      the openings of the sealed entries the bundle's reader may
                            read (all of them in the host's bundle; with a party, those
                            of its agreements), one per line, in sequence order

``verify_bundle`` runs the log checks of ``services.verification`` on these files alone.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.visibility import Audience
from ceasefire.ledger import Checkpoint, Note, Opening, SignedEntry, Verifier
from ceasefire.ledger.keychain import note_key_string
from ceasefire.ledger.verifier import LogVerifier
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.upgrades import Document, check_migrations, document_of
from ceasefire.services.verification import Progress, Verification, check_log, numbered
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import ledger as log_store
from ceasefire.store import openings as opening_store
from ceasefire.store import proofs as proof_store
from ceasefire.store.database import Database

ENTRIES = "entries.jsonl"
CHECKPOINTS = "checkpoints"
KEYS = "keys.txt"
MANIFEST = "manifest.json"
OPENINGS = "openings.jsonl"

README = """\
# Ledger bundle of {origin}

Exported {size} entries with root {root}.

- `entries.jsonl`: one leaf per line, in order; line i (from 0) is leaf i of the
  RFC 9162 Merkle tree (leaf hash SHA-256(0x00 || line)). Each leaf is the RFC 8785 JSON
  `{{"entry": ..., "signature": ...}}` (with `"batch"` for batch members), signed with
  Ed25519 by the party the entry names.
- `checkpoints/<size>.txt`: C2SP tlog-checkpoint notes signed by the host, each followed
  by the C2SP tlog-cosignature lines of the parties that cosigned it.
- `keys.txt`: the keys the log registers (`key.added` and `key.rotated` entries), as C2SP
  verifier keys.
- `openings.jsonl`: {openings} of the log's sealed entries ({readers}): each line
  `{{"salt": ..., "sequence": ..., "state": ...}}` opens entry `sequence`, whose change is
  `{{"sealed": {{"agreement": ..., "commitment": ...}}}}`, with commitment =
  SHA-256("ceasefire/sealed-state/v1" || 0x00 || salt || RFC 8785 JSON of state).
- `manifest.json`: origin, size, root and the SHA-256 of each file.

Check it, with no database and no network:

    ceasefire ledger verify {folder} --trusted-checkpoint my-last-checkpoint.txt

The trusted checkpoint is one you kept (or cosigned) earlier: the log must still hold
its entries with its root. Without one, the check proves the bundle is consistent and
signed by the keys it registers; compare the host key printed with the one you know.
The format is described in docs/ledger.md of ceasefire.
"""


def export_bundle(
    db: Database,
    folder: Path,
    *,
    progress: Progress | None = None,
    audience: Audience = EVERYTHING,
    shown_as: str | None = None,
) -> int:
    """Write the bundle of the whole log into ``folder`` (made if missing; files in it
    are replaced), with the openings of the sealed entries ``audience`` may read; returns
    how many entries it holds. Its README names the folder ``shown_as`` (``{size}`` filled
    in), for a bundle that is moved before it is read."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError("DIR", f"{folder} exists and is not a folder")
    (folder / CHECKPOINTS).mkdir(parents=True, exist_ok=True)
    with db.read() as conn:
        size = log_store.DatabaseLog(conn).size
        with (folder / ENTRIES).open("wb") as out:
            for sequence, leaf, _ in log_store.stored_leaves(conn):
                out.write(leaf + b"\n")
                if progress is not None and (sequence + 1) % 10_000 == 0:
                    progress(sequence + 1, size)
        opened = 0
        with (folder / OPENINGS).open("wb") as out:
            for stored in opening_store.all_openings(conn, audience):
                out.write(stored.opening.to_json() + b"\n")
                opened += 1
        for old in (folder / CHECKPOINTS).glob("*.txt"):
            old.unlink()
        for checkpoint_size in checkpoint_store.checkpoint_sizes(conn):
            saved = checkpoint_store.load_checkpoint(conn, checkpoint_size)
            assert saved is not None
            name = f"{checkpoint_size:012d}.txt"
            (folder / CHECKPOINTS / name).write_text(saved.cosigned_note(), encoding="utf-8")
        latest = checkpoint_store.load_checkpoint(conn)
        origin = latest.checkpoint.origin if latest else ""
        root = proof_store.root(conn, size).hex() if size else ""
        keys = [note_key_string(k.key) for k in log_store.load_party_keys(conn, None)]
    (folder / KEYS).write_text("".join(f"{k}\n" for k in keys), encoding="utf-8")
    text = README.format(
        origin=origin or "(no checkpoint yet)",
        size=size,
        root=root,
        folder=folder if shown_as is None else shown_as.format(size=size),
        openings=opened,
        readers=_readers(audience),
    )
    (folder / "README.md").write_text(text, encoding="utf-8")
    files = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }
    manifest = {"origin": origin, "size": size, "root": root, "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if progress is not None:
        progress(size, size)
    return size


def zipped_bundle(db: Database, audience: Audience, work: Path) -> tuple[Path, int]:
    """The bundle for ``audience``, zipped into ``work`` (an empty folder the caller
    removes) under one folder named for the log's size; returns the zip and the size."""
    folder = work / "bundle"
    size = export_bundle(db, folder, audience=audience, shown_as="ceasefire-ledger-{size}")
    name = f"ceasefire-ledger-{size}"
    archive = work / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, f"{name}/{path.relative_to(folder).as_posix()}")
    return archive, size


def _readers(audience: Audience) -> str:
    """Whose openings a bundle holds, for its README."""
    if audience.everything:
        return "every one, for the host"
    if not audience.agreements:
        return f"none: {audience.party} is a party of no agreement"
    return f"those {audience.party} may read, of {', '.join(sorted(audience.agreements))}"


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as lines:
        for line in lines:
            yield line.removesuffix(b"\n")


def verify_bundle(
    folder: Path,
    *,
    trusted: str | None = None,
    host_key: Verifier | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Verification:
    """Check an exported bundle with no database."""
    entries = folder / ENTRIES
    if not entries.is_file():
        raise InvalidInputError("DIR", f"{folder} holds no {ENTRIES}: it is not a ledger bundle")
    manifest = _manifest(folder)
    origin = str(manifest.get("origin") or "") or None
    size = manifest.get("size", 0)
    total = size if isinstance(size, int) else 0
    notes = [p.read_text(encoding="utf-8") for p in sorted((folder / CHECKPOINTS).glob("*.txt"))]
    verifier, result = check_log(
        numbered(_lines(entries)),
        total,
        notes,
        origin=origin,
        trusted=trusted,
        host_key=host_key,
        progress=progress,
        key_leaves=lambda: (line for line in _lines(entries) if _KEY_KIND.search(line)),
        workers=workers,
    )
    if total and verifier.size != total:
        verifier.problem(ENTRIES, f"holds {verifier.size} entries, the manifest says {total}")
    _check_files(folder, manifest, verifier)
    if (folder / OPENINGS).is_file():
        found = _openings(folder / OPENINGS, verifier)
        result.opened = verifier.check_openings(found, complete=False)
    if verifier.migrations:
        with _Lines(entries) as leaves, _Lines(folder / OPENINGS, _OPENING_SEQUENCE) as opened:
            result.migrated, result.migrations_checked = check_migrations(
                verifier, lambda sequences: _written(sequences, leaves, opened), origin
            )
    result.problems = verifier.problems
    return result


_KEY_KIND = re.compile(rb'"kind":"key\.(added|rotated)"')
_OPENING_SEQUENCE = re.compile(rb'"sequence":(\d+)')  # an opening line's, after its salt


class _Lines:
    """Random access to the lines of a bundle file, by sequence: the entries' (the line's
    number) or the openings' (the sequence each line names). Keeps only offsets."""

    def __init__(self, path: Path, sequence: re.Pattern[bytes] | None = None) -> None:
        self.offsets: dict[int, int] = {}
        self._handle = path.open("rb") if path.is_file() else None
        if self._handle is None:
            return
        offset = 0
        for number, line in enumerate(self._handle):
            found = number if sequence is None else _first_int(sequence, line)
            if found is not None:
                self.offsets[found] = offset
            offset += len(line)

    def line(self, sequence: int) -> bytes | None:
        at = self.offsets.get(sequence)
        if at is None or self._handle is None:
            return None
        self._handle.seek(at)
        return self._handle.readline().removesuffix(b"\n")

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *_: object) -> None:
        if self._handle is not None:
            self._handle.close()


def _first_int(pattern: re.Pattern[bytes], line: bytes) -> int | None:
    found = pattern.search(line)
    return None if found is None else int(found.group(1))


def _written(
    sequences: Sequence[int], leaves: _Lines, opened: _Lines
) -> dict[int, tuple[str, Document]]:
    """What these entries of a bundle wrote (see ``services.upgrades.documents``)."""
    found: dict[int, tuple[str, Document]] = {}
    for sequence in sequences:
        leaf = leaves.line(sequence)
        if leaf is None:
            continue
        try:
            entry = SignedEntry.from_leaf(leaf).entry
            line = opened.line(sequence)
            opening = None if line is None else Opening.from_json(line, where="opening")
        except CeasefireError:
            continue  # the verifier named it in its place
        found[sequence] = (entry.record, document_of(entry, opening))
    return found


def _openings(path: Path, verifier: LogVerifier) -> Iterator[tuple[str | None, Opening]]:
    """The openings of a bundle's file; a line that is not one is a problem, and skipped."""
    for number, line in enumerate(_lines(path), start=1):
        try:
            yield None, Opening.from_json(line, where="opening")
        except CeasefireError as error:
            verifier.problem(f"{OPENINGS} line {number}", str(error))


def _check_files(folder: Path, manifest: dict[str, object], verifier: LogVerifier) -> None:
    """Every file the manifest lists is there with its SHA-256, no checkpoint file is
    there that it does not list, and each checkpoint file holds the checkpoint its name
    says (an older checkpoint copied over a newer one's file is found here)."""
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        if manifest:
            verifier.problem(MANIFEST, "lists no files")
        return
    for name, digest in sorted(listed.items()):
        path = folder / str(name)
        if not path.is_file():
            verifier.problem(str(name), "is missing: the manifest lists it")
            continue
        found = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                found.update(block)
        if found.hexdigest() != digest:
            verifier.problem(
                str(name), f"has SHA-256 {found.hexdigest()}, the manifest says {digest}"
            )
    for path in sorted((folder / CHECKPOINTS).glob("*.txt")):
        name = str(path.relative_to(folder))
        if name not in listed:
            verifier.problem(name, "is not in the manifest")
        try:
            size = Checkpoint.parse(Note.parse(path.read_text(encoding="utf-8")).text).size
        except (ValueError, CeasefireError) as error:
            verifier.problem(name, f"is not a checkpoint: {error}")
            continue
        if path.stem != f"{size:012d}":
            verifier.problem(
                name, f"holds the checkpoint of size {size}, not the one its name says"
            )


def _manifest(folder: Path) -> dict[str, object]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise InvalidInputError(MANIFEST, f"is not JSON: {error}") from None
    if not isinstance(found, dict):
        raise InvalidInputError(MANIFEST, "is not a JSON object")
    return found
