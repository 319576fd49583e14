"""Data for benchmarks/ledger.py: a synthetic Merkle log written straight into the ledger
tables (for proofs at 10 M entries), and report-like entries signed by the real code path.

The synthetic log's leaves are ``b"leaf %d"``; its leaf and subtree hashes are computed here
level by level, independently of ``ceasefire.ledger`` (which the benchmark then checks them
against: roots of prefixes against ``merkle_tree_hash``, proofs with ``verify_inclusion``).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from ceasefire.ledger import (
    BatchSignature,
    Entry,
    JsonValue,
    PartyKey,
    SignedEntry,
    format_time,
    sign_entry,
)
from ceasefire.store import tables as t
from ceasefire.store.bulk import insert_columns
from ceasefire.store.database import Database

CHUNK_LEVEL = 16
CHUNK = 1 << CHUNK_LEVEL  # leaves per fill chunk, aligned, so every subtree up to its level
TIME = datetime(2026, 1, 1, tzinfo=UTC)
KEY_ID = "0badc0de"


def synthetic_leaf(index: int) -> bytes:
    return b"leaf %d" % index


@dataclass
class Chunk:
    """Leaves ``[start, start + len(hashes))`` and the complete subtrees inside them."""

    start: int
    leaves: list[bytes]
    hashes: list[bytes]
    subtrees: list[tuple[int, int, bytes]]  # (level, index, hash), level >= 1


def tree_chunks(size: int) -> Iterator[Chunk]:
    """The synthetic log of ``size`` leaves, chunk by chunk; a last chunk with no leaves
    carries the subtrees above ``CHUNK_LEVEL``."""
    sha256 = hashlib.sha256
    tops: list[bytes] = []  # the level-CHUNK_LEVEL subtree of every full chunk
    for start in range(0, size, CHUNK):
        end = min(size, start + CHUNK)
        leaves = [synthetic_leaf(i) for i in range(start, end)]
        hashes = [sha256(b"\x00" + leaf).digest() for leaf in leaves]
        subtrees: list[tuple[int, int, bytes]] = []
        below, level = hashes, 0
        while len(below) >= 2:
            level += 1
            above = [
                sha256(b"\x01" + below[j] + below[j + 1]).digest()
                for j in range(0, len(below) - 1, 2)
            ]
            first = start >> level
            subtrees.extend((level, first + k, h) for k, h in enumerate(above))
            below = above
        if end - start == CHUNK:
            tops.append(below[0])
        yield Chunk(start, leaves, hashes, subtrees)
    upper: list[tuple[int, int, bytes]] = []
    below, level = tops, CHUNK_LEVEL
    while len(below) >= 2:
        level += 1
        above = [
            sha256(b"\x01" + below[j] + below[j + 1]).digest() for j in range(0, len(below) - 1, 2)
        ]
        upper.extend((level, k, h) for k, h in enumerate(above))
        below = above
    yield Chunk(size, [], [], upper)


def _entry_columns(chunk: Chunk) -> dict[str, list[Any]]:
    n = len(chunk.leaves)
    sequences = list(range(chunk.start, chunk.start + n))
    return {
        "sequence": sequences,
        "leaf": chunk.leaves,
        "leaf_hash": chunk.hashes,
        "kind": ["bench.leaf"] * n,
        "record": [f"bench:{i}" for i in sequences],
        "author_party": ["bench"] * n,
        "author_key_id": [KEY_ID] * n,
        "time": [TIME] * n,
    }


def fill_synthetic(db: Database, size: int, progress: bool = True) -> None:
    """Write the synthetic log of ``size`` leaves into an empty, migrated database: every
    leaf and every complete subtree of level >= 1, in bulk (COPY on PostgreSQL). The
    secondary indexes of ``ledger_entries`` are dropped for the fill and built after it."""
    with db.transaction() as conn:
        for index in t.ledger_entries.indexes:
            index.drop(conn)
    done = 0
    with db.transaction() as conn:
        for chunk in tree_chunks(size):
            if db.is_sqlite:
                if chunk.leaves:
                    insert_columns(conn, t.ledger_entries, _entry_columns(chunk))
                if chunk.subtrees:
                    levels, indices, hashes = zip(*chunk.subtrees, strict=True)
                    insert_columns(
                        conn, t.ledger_subtrees, {"level": levels, "index": indices, "hash": hashes}
                    )
            else:
                _copy_chunk(conn, chunk)
            done += len(chunk.leaves)
            if progress and done and done % (CHUNK * 16) == 0:
                print(f"    {done:,} / {size:,} leaves", flush=True)
    with db.transaction() as conn:
        for index in t.ledger_entries.indexes:
            index.create(conn)
    db.analyze()
    if not db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE ledger_entries, ledger_subtrees")
            conn.commit()


def _copy_chunk(conn: Connection, chunk: Chunk) -> None:
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor:
        if chunk.leaves:
            columns = _entry_columns(chunk)
            names = list(columns)
            with cursor.copy(f"COPY ledger_entries ({', '.join(names)}) FROM STDIN") as copy:
                for row in zip(*columns.values(), strict=True):
                    copy.write_row(row)
        if chunk.subtrees:
            with cursor.copy('COPY ledger_subtrees (level, "index", hash) FROM STDIN') as copy:
                for row in chunk.subtrees:
                    copy.write_row(row)


# --- report-like entries ------------------------------------------------------------------

_ADM1 = ["Aleppo", "Idlib", "Hama", "Homs", "Rif Dimashq", "Deir ez-Zor", "Raqqa", "Daraa"]
_SIDES = [
    ("Government of Syria", "Syrian insurgents"),
    ("IS", "SDF"),
    ("Government of Syria", "IS"),
    ("Syrian insurgents", "Civilians"),
]


def report_change(i: int, rng: random.Random) -> dict[str, JsonValue]:
    """A report's state as ``ceasefire.store.records`` reads it: every column of the
    reports table but its id (times in the ledger's form, JSON columns as they are)."""
    day = datetime(2014, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(3650))
    side_a, side_b = rng.choice(_SIDES)
    adm1 = rng.choice(_ADM1)
    place = f"{adm1} town {rng.randrange(500)}"
    low = rng.randrange(5)
    best = low + rng.randrange(5)
    return {
        "source": "ucdp-ged",
        "source_id": str(100000 + i),
        "incident_id": i + 1,
        "time_start": format_time(day),
        "time_end": format_time(day + timedelta(days=1)),
        "time_precision": "day",
        "time_precision_code": "ucdp:date_prec=1",
        "lon": round(30 + rng.random() * 15, 6),
        "lat": round(30 + rng.random() * 10, 6),
        "location_precision": "exact",
        "location_precision_code": "ucdp:where_prec=1",
        "place": place,
        "admin1": f"{adm1} governorate",
        "admin2": f"{adm1} district",
        "country": "Syria",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "fatalities_low": low,
        "fatalities_best": best,
        "fatalities_high": best + rng.randrange(3),
        "narrative": f"{place}\nClashes between {side_a} and {side_b} near {place}, "
        f"{best} killed according to local sources",
        "citations": [f"Agence France Presse,{day:%Y-%m-%d},Fighting reported near {place}"],
        "attributes": {
            "relid": f"SYR-{day.year}-{100000 + i}",
            "code_status": "Clear",
            "type_of_violence": "1",
            "conflict_name": f"{side_a} - {side_b}",
            "dyad_name": f"{side_a} - {side_b}",
            "number_of_sources": "1",
            "priogrid_gid": str(150000 + rng.randrange(1000)),
            "event_clarity": "1",
            "deaths_a": str(low),
            "deaths_b": str(best - low),
            "deaths_civilians": "0",
            "deaths_unknown": "0",
            "where_description": f"{place}; near the main road",
        },
        "actors": [
            {"actor_id": None, "name": side_a, "role": "side_a"},
            {"actor_id": None, "name": side_b, "role": "side_b"},
        ],
    }


def bench_key() -> PartyKey:
    return PartyKey("ceasefire.bench/ledger/bench", hashlib.sha256(b"bench").digest())


def key_entry(key: PartyKey) -> SignedEntry:
    """Entry 0 of a log: ``key.added`` for the bench party's key, signed by that key."""
    entry = Entry(
        sequence=0,
        time=TIME,
        kind="key.added",
        record=f"key:bench/{key.key_id}",
        change={
            "name": key.name,
            "public_key": key.public_bytes.hex(),
            "created": format_time(TIME),
            "revoked": None,
        },
        author_party="bench",
        author_key_id=key.key_id,
        previous=None,
    )
    return sign_entry(entry, key)


def report_entries(
    start: int, count: int, key: PartyKey, changes: list[dict[str, JsonValue]]
) -> list[Entry]:
    """``report.created`` entries of sequences ``start …``, one per change (the real
    ``Entry`` constructor: checks, frozen change, canonical bytes)."""
    return [
        Entry(
            sequence=start + offset,
            time=TIME,
            kind="report.created",
            record=f"report:{start + offset}",
            change=change,
            author_party="bench",
            author_key_id=key.key_id,
            previous=None,
        )
        for offset, change in enumerate(changes[:count])
    ]


def sign_batches(entries: list[Entry], key: PartyKey, batch: int) -> list[SignedEntry]:
    signed: list[SignedEntry] = []
    for first in range(0, len(entries), batch):
        members = entries[first : first + batch]
        signed.extend(BatchSignature.sign(members, key).signed_entries(members))
    return signed
