"""Benchmark 3: the ledger against the targets of its issue.

    .venv/bin/python benchmarks/ledger.py [--quick] [--postgres URL | --no-postgres]
                                          [--import-rows 100000] [--seed 1]

1. Inclusion proofs from the database (``ceasefire.store.ledger.inclusion_proof``) at
   100 k, 1 M and 10 M entries on SQLite, and at 1 M and 10 M on PostgreSQL, p50/p95/max
   over 1,000 random leaves (target <= 1 ms a proof). The logs are synthetic (leaf i is
   ``b"leaf i"``), written straight into ``ledger_entries`` and ``ledger_subtrees`` in
   bulk, and checked: roots of prefixes against ``merkle_tree_hash``, every timed proof
   with ``verify_inclusion``. Baseline, side by side: pymerkle's ``SqliteTree`` at 100 k.
2. Full verification (``LogVerifier.add`` for every leaf, then ``finish``) of two logs of
   report-like entries built by the real code path, signed one by one (``sign_entry``) and
   in batches (``BatchSignature``), against ``openssl speed -seconds 3 ed25519``'s verify/s
   on this machine (target >= 80 % of it per core); and the pieces of the verifier.
3. Bulk appends (``ceasefire.store.ledger.append``, 20,000 batch-signed leaves a
   transaction) on SQLite and PostgreSQL (target >= 50 k entries/s), and the cost of
   building and signing the entries.
4. What the ledger adds to an import: ``import_events`` of a synthetic UCDP GED file with
   the real ``Ledger`` and with a ledger whose writer signs and appends nothing.

Data lives in benchmarks/.data/ledger/ (the synthetic logs are kept and reused). A full run
rewrites its section of docs/benchmarks.md; ``--quick`` (small sizes, a smoke run) only
prints.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DATA,
    ROOT,
    VENV_BIN,
    _cpu_model,
    check,
    code_version,
    command_line,
    postgres_version,
    run_measured,
    table,
    write_section,
)
from _ledger_data import (
    bench_key,
    fill_synthetic,
    key_entry,
    report_change,
    report_entries,
    synthetic_leaf,
)
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from ceasefire.ledger import (
    BatchSignature,
    MemoryTree,
    SignedEntry,
    leaf_hash,
    merkle_tree_hash,
    sign_entry,
    verify_inclusion,
)
from ceasefire.ledger.keys import key_id
from ceasefire.ledger.verifier import LogVerifier, canonical_change
from ceasefire.services.ledger import Ledger, Writer
from ceasefire.store import ledger as store
from ceasefire.store.database import Database

LEDGER_DATA = DATA / "ledger"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
TARGET_PROOF_MS = 1.0
TARGET_VERIFY_SHARE = 0.80
TARGET_APPEND_PER_S = 50_000
BATCH = 20_000


@dataclass
class Sizes:
    sqlite_logs: list[int]
    postgres_log: int
    postgres_proof_sizes: list[int]
    pymerkle: int
    proofs: int
    pymerkle_proofs: int
    entries: int
    batch: int
    import_rows: int


FULL = Sizes(
    [100_000, 1_000_000, 10_000_000],
    10_000_000,
    [1_000_000, 10_000_000],
    100_000,
    1000,
    200,
    100_000,
    BATCH,
    100_000,
)
QUICK = Sizes([10_000, 100_000], 100_000, [100_000], 10_000, 200, 50, 4_000, 1_000, 5_000)


@dataclass
class Report:
    """What the run found: markdown parts, in order, and the verdict lines."""

    parts: list[str] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)

    def add(self, text_: str) -> None:
        print("\n" + text_ + "\n", flush=True)
        self.parts.append(text_)

    def verdict(self, what: str, value: str, target: str, met: bool, note: str = "") -> None:
        line = f"- {what}: **{value}** (target {target}): **{'met' if met else 'NOT met'}**{note}"
        print(line, flush=True)
        self.verdicts.append(line)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f}"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f}"


@contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: …`` then ``t[0]`` is the seconds the block took."""
    found: list[float] = []
    started = time.perf_counter()
    yield found
    found.append(time.perf_counter() - started)


# --- databases -----------------------------------------------------------------------------


def sqlite_db(path: Path) -> Database:
    db = Database(f"sqlite:///{path}")
    db.migrate()
    return db


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def postgres_db(server: str, name: str, *, fresh: bool) -> Database:
    url = make_url(server).set(database=name)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if fresh:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    db = Database(url.render_as_string(hide_password=False))
    db.migrate()
    return db


def postgres_reachable(server: str) -> bool:
    return postgres_version(f"{server}/postgres") != "not reachable"


def log_size(db: Database) -> int:
    with db.read() as conn:
        return store.DatabaseLog(conn).size


class QueryCounter:
    """Counts the statements an engine runs."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._seen)
        self.db = db

    def _seen(self, *_args: Any) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self.db.engine, "before_cursor_execute", self._seen)


# --- 1. inclusion proofs -------------------------------------------------------------------


def synthetic_log(db: Database, size: int, what: str) -> str:
    """Fill ``db`` with the synthetic log of ``size`` leaves unless it holds it already."""
    held = log_size(db)
    if held == size:
        return "reused"
    if held:
        with db.transaction() as conn:
            conn.exec_driver_sql("DELETE FROM ledger_entries")
            conn.exec_driver_sql("DELETE FROM ledger_subtrees")
    print(f"  filling {what} with {size:,} synthetic leaves …", flush=True)
    with timer() as took:
        fill_synthetic(db, size)
    print(f"  filled in {took[0]:.0f} s", flush=True)
    return f"filled in {took[0]:.0f} s"


def check_synthetic(db: Database, size: int) -> str:
    """Roots of prefixes against merkle_tree_hash, and the number of stored subtrees."""
    sizes = [m for m in (1, 2, 3, 7, 1000, 65_537, 100_003, 1_000_003, size) if m <= size]
    sizes = sorted({m for m in sizes if m <= 1_000_003})
    with db.read() as conn:
        for m in sizes:
            expected = merkle_tree_hash(synthetic_leaf(i) for i in range(m))
            if store.root(conn, m) != expected:
                sys.exit(f"{db.describe()}: the root of size {m} is not merkle_tree_hash's")
        stored = conn.exec_driver_sql("SELECT count(*) FROM ledger_subtrees").scalar_one()
    want = size - bin(size).count("1")
    if stored != want:
        sys.exit(f"{db.describe()}: {stored} subtrees stored, a log of {size} has {want}")
    return f"roots of sizes {', '.join(f'{m:,}' for m in sizes)} = `merkle_tree_hash`"


@dataclass
class ProofTimes:
    label: str
    size: int
    times: list[float]
    queries: float

    def quantile(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_proofs(db: Database, size: int, count: int, rng: random.Random, label: str) -> ProofTimes:
    """``inclusion_proof(conn, index, size)`` for ``count`` random leaves, one read
    transaction; every proof is then checked with ``verify_inclusion``."""
    indices = [rng.randrange(size) for _ in range(count)]
    counter = QueryCounter(db)
    with db.read() as conn:
        root = store.root(conn, size)
        for index in indices[:20]:  # warm-up, not counted
            store.inclusion_proof(conn, index, size)
        counter.count = 0
        times: list[float] = []
        found: list[list[bytes]] = []
        for index in indices:
            started = time.perf_counter()
            proof = store.inclusion_proof(conn, index, size)
            times.append(time.perf_counter() - started)
            found.append(proof)
        queries = counter.count / count
    counter.close()
    for index, proof in zip(indices, found, strict=True):
        verify_inclusion(
            leaf_hash=leaf_hash(synthetic_leaf(index)),
            index=index,
            size=size,
            proof=proof,
            root=root,
        )
    return ProofTimes(label, size, times, queries)


def time_pymerkle(size: int, count: int, rng: random.Random, ours: Database) -> ProofTimes:
    """pymerkle's SqliteTree with the same leaves: build (untimed), then prove_inclusion."""
    from pymerkle import SqliteTree
    from pymerkle import verify_inclusion as pm_verify

    path = LEDGER_DATA / f"pymerkle-{size}.sqlite"
    remove_sqlite(path)
    tree = SqliteTree(str(path))
    tree.append_entries(synthetic_leaf(i) for i in range(size))
    root = tree.get_root(size)
    with ours.read() as conn:
        if store.root(conn, size) != root:
            sys.exit("pymerkle's root differs from ours over the same leaves")
    indices = [rng.randrange(size) for _ in range(count)]
    for index in indices[:3]:
        tree.prove_inclusion(index + 1, size)
    times: list[float] = []
    for index in indices:
        started = time.perf_counter()
        proof = tree.prove_inclusion(index + 1, size)  # pymerkle counts leaves from 1
        times.append(time.perf_counter() - started)
        pm_verify(tree.get_leaf(index + 1), root, proof)
    tree.close()
    remove_sqlite(path)
    return ProofTimes("baseline: pymerkle `SqliteTree.prove_inclusion`", size, times, 0.0)


def proofs_part(args: argparse.Namespace, sizes: Sizes, report: Report) -> None:
    rng = random.Random(args.seed)
    results: list[tuple[str, ProofTimes]] = []
    notes: list[str] = []
    LEDGER_DATA.mkdir(parents=True, exist_ok=True)
    sqlite_dbs: dict[int, Database] = {}
    for size in sizes.sqlite_logs:
        path = LEDGER_DATA / f"proofs-{size}.sqlite"
        db = sqlite_dbs[size] = sqlite_db(path)
        how = synthetic_log(db, size, path.name)
        checked = check_synthetic(db, size)
        mb = sum(
            Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
        )
        notes.append(
            f"SQLite `{path.name}`: {size:,} leaves ({how}; {mb / 1e6:,.0f} MB); {checked}"
        )
        print(f"  SQLite {size:,}: timing {sizes.proofs} proofs …", flush=True)
        results.append(
            ("SQLite", time_proofs(db, size, sizes.proofs, rng, "ours: `inclusion_proof`"))
        )
        if size == sizes.pymerkle:
            print(f"  pymerkle {size:,}: timing {sizes.pymerkle_proofs} proofs …", flush=True)
            results.append(("SQLite", time_pymerkle(size, sizes.pymerkle_proofs, rng, db)))
    if args.postgres:
        name = "ceasefire_ledger_bench" + ("_quick" if args.quick else "")
        db = postgres_db(args.postgres, name, fresh=False)
        how = synthetic_log(db, sizes.postgres_log, name)
        checked = check_synthetic(db, sizes.postgres_log)
        notes.append(
            f"PostgreSQL database `{name}`: {sizes.postgres_log:,} leaves ({how}, "
            f"with COPY); {checked}; the proofs at smaller sizes are of the tree of "
            "its first leaves"
        )
        for size in sizes.postgres_proof_sizes:
            print(f"  PostgreSQL {size:,}: timing {sizes.proofs} proofs …", flush=True)
            results.append(
                ("PostgreSQL", time_proofs(db, size, sizes.proofs, rng, "ours: `inclusion_proof`"))
            )
        db.dispose()
    for db in sqlite_dbs.values():
        db.dispose()
    rows = [
        [
            where,
            p.label,
            f"{p.size:,}",
            str(len(p.times)),
            ms(p.quantile(0.5)),
            ms(p.quantile(0.95)),
            ms(max(p.times)),
            ms(statistics.fmean(p.times)),
            f"{p.queries:.1f}" if p.queries else "",
        ]
        for where, p in results
    ]
    header = [
        "database",
        "",
        "tree size",
        "proofs",
        "p50 ms",
        "p95 ms",
        "max ms",
        "mean ms",
        "queries/proof",
    ]
    report.add(
        "### 1. Inclusion proofs from the database\n\n"
        + table(header, rows)
        + "\n\n"
        + "\n".join(f"- {n}" for n in notes)
        + "\n- Every timed proof of ours was checked with `verify_inclusion` against the "
        "root read from the database; pymerkle's root over the same leaves equals ours, and "
        "each of its proofs was checked with its `verify_inclusion`."
    )
    ours = {(w, p.size): p for w, p in results if p.label.startswith("ours")}
    base = next((p for _, p in results if p.label.startswith("baseline")), None)
    for (where, size), p in ours.items():
        if size < 1_000_000 and not args.quick:
            continue
        note = ""
        if base is not None and size == base.size:
            note = f"; pymerkle's p50 at the same size: {ms(base.quantile(0.5))} ms"
        report.verdict(
            f"inclusion proof, {where}, {size:,} entries, p95",
            f"{ms(p.quantile(0.95))} ms",
            f"<= {TARGET_PROOF_MS:g} ms",
            p.quantile(0.95) <= TARGET_PROOF_MS / 1e3,
            note,
        )
    if base is not None:
        p = ours[("SQLite", base.size)]
        report.verdict(
            f"ours vs pymerkle `SqliteTree` at {base.size:,} entries (same leaves, same root)",
            f"p50 {ms(p.quantile(0.5))} vs {ms(base.quantile(0.5))} ms, "
            f"p95 {ms(p.quantile(0.95))} vs {ms(base.quantile(0.95))} ms, "
            f"max {ms(max(p.times))} vs {ms(max(base.times))} ms",
            "faster than the baseline",
            p.quantile(0.5) < base.quantile(0.5) and p.quantile(0.95) < base.quantile(0.95),
            " (both at p50 and p95)",
        )


# --- 2. verification ------------------------------------------------------------------------


def openssl_verify_rate(multi: int | None = None) -> tuple[float, float, str]:
    """(sign/s, verify/s, command) of ``openssl speed -seconds 3 ed25519``."""
    argv = ["openssl", "speed", "-seconds", "3"]
    if multi:
        argv += ["-multi", str(multi)]
    argv.append("ed25519")
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    lines = [line for line in done.stdout.splitlines() if "Ed25519" in line]
    numbers = re.findall(r"[\d.]+", lines[-1].split(")", 1)[1])
    return float(numbers[-2]), float(numbers[-1]), " ".join(argv)


@dataclass
class Logs:
    entries: list[Any]
    signed_alone: list[SignedEntry]
    signed_batch: list[SignedEntry]
    leaves_alone: list[bytes]
    leaves_batch: list[bytes]
    build: dict[str, float]
    change_bytes: float


def build_logs(n: int, batch: int, seed: int) -> Logs:
    rng = random.Random(seed)
    key = bench_key()
    changes = [report_change(i, rng) for i in range(n)]
    first = key_entry(key)
    build: dict[str, float] = {}
    with timer() as took:
        entries = report_entries(1, n, key, changes)
    build["`Entry(...)` (checks, frozen change, canonical bytes)"] = took[0]
    with timer() as took:
        alone = [sign_entry(entry, key) for entry in entries]
    build["`sign_entry` (one Ed25519 signature each)"] = took[0]
    with timer() as took:
        signatures = [BatchSignature.sign(entries[s : s + batch], key) for s in range(0, n, batch)]
    build[f"`BatchSignature.sign` (batches of {batch:,})"] = took[0]
    with timer() as took:
        batched = [
            member
            for s, signature in zip(range(0, n, batch), signatures, strict=True)
            for member in signature.signed_entries(entries[s : s + batch])
        ]
    build["`BatchSignature.signed_entries`"] = took[0]
    with timer() as took:
        leaves_batch = [first.leaf()] + [s.leaf() for s in batched]
    build["`SignedEntry.leaf()`"] = took[0]
    leaves_alone = [first.leaf()] + [s.leaf() for s in alone]
    change_bytes = statistics.fmean(len(e.canonical()) for e in entries[:2000])
    return Logs(
        entries, [first, *alone], [first, *batched], leaves_alone, leaves_batch, build, change_bytes
    )


def verify_log(leaves: Sequence[bytes]) -> tuple[float, LogVerifier]:
    verifier = LogVerifier()
    gc.collect()
    started = time.perf_counter()
    for leaf in leaves:
        verifier.add(leaf)
    problems = verifier.finish()
    seconds = time.perf_counter() - started
    if problems:
        sys.exit(f"the benchmark's log does not verify: {problems[0]} ({len(problems)} problems)")
    return seconds, verifier


def per_item(items: Sequence[Any], work: Callable[[Any], object]) -> float:
    """Seconds per item of ``work`` over ``items``."""
    started = time.perf_counter()
    for item in items:
        work(item)
    return (time.perf_counter() - started) / len(items)


def verification_part(args: argparse.Namespace, sizes: Sizes, report: Report) -> Logs:
    cores = os.cpu_count() or 1
    print("  openssl speed -seconds 3 ed25519 …", flush=True)
    _, openssl_verify, openssl_cmd = openssl_verify_rate()
    _, openssl_multi, multi_cmd = openssl_verify_rate(cores) if cores > 1 else (0, 0, "")
    print(
        f"  openssl: {openssl_verify:,.0f} verify/s on one core, "
        f"{openssl_multi:,.0f} with -multi {cores}",
        flush=True,
    )
    n = sizes.entries
    print(f"  building and signing {n:,} report entries, alone and in batches …", flush=True)
    logs = build_logs(n, sizes.batch, args.seed)
    leaf_kb = statistics.fmean(len(leaf) for leaf in logs.leaves_batch[1:2001]) / 1e3
    print("  verifying the log signed entry by entry …", flush=True)
    alone_s, _ = verify_log(logs.leaves_alone)
    print("  verifying the log signed in batches …", flush=True)
    batch_s, _ = verify_log(logs.leaves_batch)
    total = n + 1
    batches = -(-n // sizes.batch)
    alone_rate, batch_rate = total / alone_s, total / batch_s
    rows = [
        [
            "entries signed one by one (`sign_entry`)",
            f"{total:,}",
            f"{alone_s:.1f}",
            f"{alone_rate:,.0f}",
            f"{total / alone_s:,.0f}",
            us(alone_s / total),
            f"{alone_rate / openssl_verify:.0%}",
        ],
        [
            f"entries signed in batches of {sizes.batch:,} (`BatchSignature`)",
            f"{total:,}",
            f"{batch_s:.1f}",
            f"{batch_rate:,.0f}",
            f"{(batches + 1) / batch_s:,.1f}",
            us(batch_s / total),
            f"{batch_rate / openssl_verify:.0%}",
        ],
        [f"`{openssl_cmd}`", "", "", "", f"{openssl_verify:,.0f}", us(1 / openssl_verify), "100%"],
    ]
    if openssl_multi:
        rows.append(
            [f"`{multi_cmd}` (all {cores} cores)", "", "", "", f"{openssl_multi:,.0f}", "", ""]
        )
    header = [
        "`LogVerifier` (one process, one core)",
        "leaves",
        "seconds",
        "entries/s",
        "signature verifications/s",
        "µs/entry",
        "entries/s ÷ openssl verify/s (1 core)",
    ]

    # the pieces, over a sample of the same leaves
    sample = min(n, 20_000)
    leaves_a, leaves_b = logs.leaves_alone[1 : sample + 1], logs.leaves_batch[1 : sample + 1]
    signed_a = logs.signed_alone[1 : sample + 1]
    public = bench_key().public_key
    messages = [(s.entry.signed_message(), s.signature) for s in signed_a]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    loaded = Ed25519PublicKey.from_public_bytes(public.public_bytes)
    canonical = [e.canonical() for e in logs.entries[:sample]]
    pieces = [
        (
            f"`leaf_hash(leaf)` (SHA-256 of ~{leaf_kb:.1f} kB)",
            per_item(leaves_a, leaf_hash),
            "both",
        ),
        (
            "`SignedEntry.from_leaf` (parse, check, rebuild, compare)",
            per_item(leaves_a, SignedEntry.from_leaf),
            "alone",
        ),
        (
            "`SignedEntry.from_leaf`, batch member",
            per_item(leaves_b, SignedEntry.from_leaf),
            "batch",
        ),
        (
            "`PublicKey.verify(message, signature)`",
            per_item(messages, lambda m: public.verify(*m)),
            "alone",
        ),
        (
            "… of which `cryptography` `Ed25519PublicKey.verify` (key loaded once)",
            per_item(messages, lambda m: loaded.verify(m[1], m[0])),
            "",
        ),
        (
            "… of which `Ed25519PublicKey.from_public_bytes` (every call)",
            per_item(messages, lambda _m: Ed25519PublicKey.from_public_bytes(public.public_bytes)),
            "",
        ),
        (
            "… of which `PublicKey.key_id` (SHA-256 + name check, every call)",
            per_item(messages, lambda _m: key_id(public.name, public.public_bytes)),
            "",
        ),
        (
            "state hash: `canonical_change` + SHA-256 (`_check_previous`)",
            per_item(signed_a, lambda s: hashlib.sha256(canonical_change(s)).digest()),
            "both",
        ),
        (
            "batch root: `merkle_tree_hash` of the members' canonical entries, per entry",
            per_item([canonical], merkle_tree_hash) / sample,
            "batch",
        ),
    ]
    alone_sum = sum(p for _, p, used in pieces if used in ("alone", "both"))
    batch_sum = sum(p for _, p, used in pieces if used in ("batch", "both"))
    piece_rows = [
        [what, us(p), {"alone": "one by one", "batch": "batches", "both": "both"}.get(used, "")]
        for what, p, used in pieces
    ]
    piece_rows += [
        ["**sum of the pieces, log signed one by one**", f"**{us(alone_sum)}**", ""],
        ["**`LogVerifier`, log signed one by one, measured**", f"**{us(alone_s / total)}**", ""],
        ["**sum of the pieces, log signed in batches**", f"**{us(batch_sum)}**", ""],
        ["**`LogVerifier`, log signed in batches, measured**", f"**{us(batch_s / total)}**", ""],
    ]
    report.add(
        "### 2. Full verification vs `openssl speed ed25519`\n\n"
        f"Two logs of {total:,} leaves (a `key.added` entry, then {n:,} `report.created` "
        f"entries whose change holds every column of a report, {logs.change_bytes / 1e3:.2f} kB "
        f"of canonical entry, {leaf_kb:.2f} kB a leaf), built with the real code path. "
        "`LogVerifier` gets every leaf in order (`add`, then `finish`; no problems found).\n\n"
        + table(header, rows)
        + f"\n\nWhere a verified entry's time goes (µs per entry, over {sample:,} of the "
        "same leaves, each piece timed alone):\n\n"
        + table(["piece", "µs/entry", "used in"], piece_rows)
    )
    target = TARGET_VERIFY_SHARE * openssl_verify
    report.verdict(
        "verification, entries signed one by one, per core",
        f"{alone_rate:,.0f} entries/s = {alone_rate / openssl_verify:.0%} of openssl's "
        f"{openssl_verify:,.0f} verify/s",
        f">= {TARGET_VERIFY_SHARE:.0%} per core, using all cores",
        alone_rate >= target,
        f"; `LogVerifier` runs in one process, so on all {cores} cores it is still "
        f"{alone_rate:,.0f}/s against openssl's {openssl_multi or openssl_verify:,.0f}/s",
    )
    report.verdict(
        f"verification, entries signed in batches of {sizes.batch:,}, per core",
        f"{batch_rate:,.0f} entries/s = {batch_rate / openssl_verify:.0%} of openssl's "
        f"{openssl_verify:,.0f} verify/s",
        f">= {TARGET_VERIFY_SHARE:.0%} per core",
        batch_rate >= target,
        f" ({(batches + 1) / batch_s:,.1f} signature verifications/s: one per batch)",
    )
    return logs


# --- 3. appends -----------------------------------------------------------------------------


def time_appends(db: Database, logs: Logs, batch: int) -> tuple[list[float], int]:
    """Append the batch-signed log, ``batch`` leaves a transaction; seconds of each."""
    leaves = [store.LedgerLeaf.of(s) for s in logs.signed_batch]
    with db.transaction() as conn:
        store.append(conn, leaves[:1])  # the key entry, alone
    times: list[float] = []
    for start in range(1, len(leaves), batch):
        started = time.perf_counter()
        with db.transaction() as conn:
            store.append(conn, leaves[start : start + batch])
        times.append(time.perf_counter() - started)
    expected = MemoryTree.from_entries(logs.leaves_batch).root()
    with db.read() as conn:
        if store.root(conn) != expected:
            sys.exit(f"{db.describe()}: the appended log's root is not the leaves' root")
    return times, len(leaves) - 1


def append_part(args: argparse.Namespace, sizes: Sizes, logs: Logs, report: Report) -> None:
    rows: list[list[str]] = []
    rates: dict[str, float] = {}
    targets = [("SQLite", None)]
    if args.postgres:
        targets.append(("PostgreSQL", args.postgres))
    for where, server in targets:
        if server is None:
            path = LEDGER_DATA / "append.sqlite"
            remove_sqlite(path)
            db = sqlite_db(path)
        else:
            db = postgres_db(server, "ceasefire_ledger_bench_append", fresh=True)
        print(f"  {where}: appending {len(logs.signed_batch) - 1:,} leaves …", flush=True)
        times, count = time_appends(db, logs, sizes.batch)
        db.dispose()
        rate = count / sum(times)
        rates[where] = rate
        rows.append(
            [
                where,
                f"{count:,}",
                str(len(times)),
                f"{sum(times):.2f}",
                f"{rate:,.0f}",
                f"{sizes.batch / max(times):,.0f}",
                f"{sizes.batch / min(times):,.0f}",
            ]
        )
    n = sizes.entries
    build = logs.build
    with timer() as took:
        for s in logs.signed_batch:
            store.LedgerLeaf.of(s)
    build["`LedgerLeaf.of` (calls `leaf()` again)"] = took[0]
    build_rows = [
        [what, f"{secs:.2f}", us(secs / n), f"{n / secs:,.0f}"] for what, secs in build.items()
    ]
    batch_path = sum(
        secs for what, secs in build.items() if "sign_entry" not in what
    )  # everything but signing one by one
    build_rows.append(
        [
            "**building a batch-signed import's leaves (all but `sign_entry`)**",
            f"**{batch_path:.2f}**",
            f"**{us(batch_path / n)}**",
            f"**{n / batch_path:,.0f}**",
        ]
    )
    report.add(
        f"### 3. Bulk appends, {sizes.batch:,} batch-signed leaves a transaction\n\n"
        "`ceasefire.store.ledger.append(conn, leaves)` in `db.transaction()` (commit included), "
        "into an empty log (a fresh SQLite file; a fresh PostgreSQL database); the leaves "
        "(`LedgerLeaf.of`) are made before the clock starts, and the root read back equals "
        "the leaves' root.\n\n"
        + table(
            [
                "database",
                "leaves",
                "transactions",
                "seconds",
                "entries/s",
                "slowest transaction, entries/s",
                "fastest, entries/s",
            ],
            rows,
        )
        + f"\n\nBuilding the same {n:,} entries (the change dicts exist already):\n\n"
        + table(["step", "seconds", "µs/entry", "entries/s"], build_rows)
    )
    for where, rate in rates.items():
        report.verdict(
            f"append, {where}",
            f"{rate:,.0f} entries/s",
            f">= {TARGET_APPEND_PER_S:,} entries/s",
            rate >= TARGET_APPEND_PER_S,
        )


# --- 4. import overhead ---------------------------------------------------------------------


class _UnsignedWriter(Writer):
    """Benchmark only: forgets the changes instead of signing and appending them."""

    def flush(self) -> list[int]:
        self._changes.clear()
        return []


class UnsignedLedger(Ledger):
    """Benchmark only: a ledger whose writes sign and append nothing."""

    @contextmanager
    def write(self, author: str | None = None) -> Iterator[Writer]:
        with self.db.transaction() as conn:
            writer = _UnsignedWriter(self, conn, author or self.host_party)
            yield writer
            writer.flush()


def import_child(variant: str, url: str, csv: str) -> None:
    """In a child process: import ``csv`` with the real or the unsigned ledger, print JSON."""
    from ceasefire.config import Settings
    from ceasefire.ingest.events import open_events
    from ceasefire.services.imports import import_events

    db = Database(url)
    db.migrate()
    settings = Settings()
    kind = Ledger if variant == "real" else UnsignedLedger
    ledger = kind.from_settings(db, settings)
    bad = 0

    def on_error(_error: object) -> None:
        nonlocal bad
        bad += 1

    with open_events(Path(csv), "ucdp", source=None, encoding=None) as events:
        started = time.perf_counter()
        summary = import_events(
            ledger, events.rows(), on_error=on_error, settings=settings.correlation()
        )
        seconds = time.perf_counter() - started
    db.dispose()
    print(json.dumps({"seconds": seconds, "imported": summary.imported, "bad": bad}))


def import_part(args: argparse.Namespace, sizes: Sizes, report: Report) -> None:
    from import_classify import data_dir, generate

    rows_n = args.import_rows or sizes.import_rows
    folder = data_dir(rows_n, 1000, args.seed)
    generate(folder, rows_n, 1000, args.seed)
    os.environ["CEASEFIRE_LEDGER_SECRET"] = "bench"
    ceasefire = str(VENV_BIN / "ceasefire")
    logs = LEDGER_DATA / "logs"
    found: dict[str, dict[str, Any]] = {}
    for variant in ("real", "unsigned"):
        path = LEDGER_DATA / f"import-{variant}.sqlite"
        remove_sqlite(path)
        url = f"sqlite:///{path}"
        log = logs / f"load-{variant}.log"
        load = run_measured([ceasefire, "--db", url, "load", str(folder / "scenario.yaml")], log)
        check(load, "ceasefire load", log)
        with sqlite3.connect(path) as conn:
            before = conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
        print(f"  import of {rows_n:,} rows, {variant} ledger …", flush=True)
        log = logs / f"import-{variant}.log"
        argv = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--import-child",
            variant,
            url,
            str(folder / "rows.csv"),
        ]
        measured = run_measured(argv, log)
        check(measured, f"import ({variant})", log)
        result = json.loads(log.read_text().strip().splitlines()[-1])
        with sqlite3.connect(path) as conn:
            after = conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
        result.update(
            wall=measured.seconds,
            rss=measured.peak_rss_mb,
            entries=after - before,
            db_mb=sum(
                Path(f"{path}{s}").stat().st_size
                for s in ("", "-wal")
                if Path(f"{path}{s}").exists()
            )
            / 1e6,
        )
        found[variant] = result
        print(f"  {result['seconds']:.1f} s, {result['entries']:,} ledger entries", flush=True)
        remove_sqlite(path)
    real, unsigned = found["real"], found["unsigned"]
    labels = {
        "real": "`Ledger` (signs and appends every report)",
        "unsigned": "benchmark-only `Ledger` whose writer's `flush()` does nothing",
    }
    rows = [
        [
            labels[v],
            f"{r['seconds']:.1f}",
            f"{r['imported'] / r['seconds']:,.0f}",
            f"{r['entries']:,}",
            f"{r['rss']:.0f}",
            f"{r['db_mb']:,.0f}",
        ]
        for v, r in found.items()
    ]
    extra = real["seconds"] - unsigned["seconds"]
    per = extra / max(1, real["entries"])
    report.add(
        f"### 4. What the ledger adds to an import ({rows_n:,} UCDP GED rows)\n\n"
        f"`import_events` (the service `ceasefire import events` runs) of the generated file "
        f"of `import_classify.py` (`{folder.relative_to(ROOT)}`), each run in its own child "
        "process into a fresh SQLite file after `ceasefire load` of the same 1,000-regime "
        "scenario (not timed); the time is `import_events`' own.\n\n"
        + table(
            [
                "ledger",
                "seconds",
                "rows/s",
                "ledger entries written",
                "peak RSS (MB)",
                "DB file (MB)",
            ],
            rows,
        )
        + f"\n\nThe ledger adds **{extra:.1f} s ({extra / unsigned['seconds']:.0%})**, "
        f"{per * 1e6:.0f} µs per entry: reading each report's state back, building and "
        "batch-signing its entry, appending it and its subtrees, and a checkpoint per "
        "20,000-report transaction."
    )


# --- main -------------------------------------------------------------------------------------


def machine_line(args: argparse.Namespace) -> str:
    import cryptography

    openssl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout
    pg = postgres_version(f"{args.postgres}/postgres") if args.postgres else "not used"
    return (
        f"Machine: `nproc` {os.cpu_count()}, CPU {_cpu_model()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}, "
        f"{openssl.strip()}, cryptography {cryptography.__version__}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; prints only")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CEASEFIRE_BENCH_POSTGRES_SERVER", PG_SERVER),
        help="PostgreSQL server URL (no database): %(default)s",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--import-rows", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parts", default="1234", help="which parts to run, e.g. 23")
    parser.add_argument("--import-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_child:
        import_child(*args.import_child)
        return
    if args.no_postgres:
        args.postgres = None
    elif not postgres_reachable(args.postgres):
        print(f"PostgreSQL at {args.postgres} is not reachable: SQLite only", flush=True)
        args.postgres = None
    sizes = QUICK if args.quick else FULL
    LEDGER_DATA.mkdir(parents=True, exist_ok=True)
    code = code_version()
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    report = Report()
    logs: Logs | None = None
    if "1" in args.parts:
        print("1. inclusion proofs", flush=True)
        proofs_part(args, sizes, report)
    if "2" in args.parts or "3" in args.parts:
        print("2. verification", flush=True)
        logs = verification_part(args, sizes, report)
    if "3" in args.parts and logs is not None:
        print("3. appends", flush=True)
        append_part(args, sizes, logs, report)
    if "4" in args.parts:
        print("4. import overhead", flush=True)
        import_part(args, sizes, report)
    body = (
        "## Ledger\n\n"
        f"```\n{command_line()}\n```\n\n"
        f"Run {started}; seed {args.seed}; code: {code}. {machine_line(args)}\n\n"
        + "\n\n".join(report.parts)
        + "\n\n**Targets**\n\n"
        + "\n".join(report.verdicts)
        + "\n"
    )
    if args.quick:
        print("\n(--quick: docs/benchmarks.md is not changed)")
        return
    write_section("ledger", body)
    print(f"written to {Path('docs/benchmarks.md')}")


if __name__ == "__main__":
    main()
