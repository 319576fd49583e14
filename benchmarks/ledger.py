"""Benchmark 3: the ledger against the targets of its issue.

    .venv/bin/python benchmarks/ledger.py [--quick] [--postgres URL | --no-postgres]
                                          [--import-rows 100000[,1000000]] [--parts 1234]
                                          [--seed 1]

1. Inclusion proofs from the database (``ceasefire.store.ledger.inclusion_proof``) at
   100 k, 1 M and 10 M entries on SQLite, and at 1 M and 10 M on PostgreSQL, p50/p95/max
   over 1,000 random leaves (target <= 1 ms a proof). The logs are synthetic (leaf i is
   ``b"leaf i"``), written straight into ``ledger_entries`` and ``ledger_subtrees`` in
   bulk, and checked: roots of prefixes against ``merkle_tree_hash``, every timed proof
   with ``verify_inclusion``. Baseline, side by side: pymerkle's ``SqliteTree`` at 100 k.
2. Full verification of two logs of report-like entries built by the real code path,
   signed one by one (``sign_entry``) and in batches (``BatchSignature``): in one process
   (``LogVerifier.add`` for every leaf, then ``finish``) against ``openssl speed -seconds 3
   ed25519``'s verify/s on one core, and on every core (``check_log(..., workers=nproc)``)
   against ``openssl speed -seconds 3 -multi nproc ed25519`` (target >= 80 % of openssl
   per core, using all cores); and the pieces of the verifier.
3. Bulk appends (``ceasefire.store.ledger.append``, 20,000 batch-signed leaves a
   transaction) on SQLite and PostgreSQL (target >= 50 k entries/s), and the cost of
   building and signing the entries.
4. What the ledger adds to an import: ``import_events`` of a synthetic UCDP GED file
   (``--import-rows``, one or more sizes) with the real ``Ledger`` and with a ledger whose
   writer signs and appends nothing, in the same run.

Data lives in benchmarks/.data/ledger/ (the synthetic logs are kept and reused). A full run
rewrites its section of docs/benchmarks.md; ``--quick`` (small sizes, a smoke run) only
prints.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
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
from ceasefire.ledger.digests import LeafFacts, digest, registered_keys
from ceasefire.ledger.verifier import LogVerifier
from ceasefire.services.ledger import Ledger
from ceasefire.services.verification import check_log, numbered
from ceasefire.store import ledger as store
from ceasefire.store import proofs
from ceasefire.store.database import Database

LEDGER_DATA = DATA / "ledger"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
TARGET_PROOF_MS = 1.0
TARGET_VERIFY_SHARE = 0.80
TARGET_APPEND_PER_S = 50_000
BATCH = 20_000
REPEAT = 3  # timed runs of part 2; the best counts (other jobs share the machine)


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


def rate(per_second: float) -> str:
    return f"{per_second:,.1f}" if per_second < 100 else f"{per_second:,.0f}"


@contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: …`` then ``t[0]`` is the seconds the block took."""
    found: list[float] = []
    started = time.perf_counter()
    yield found
    found.append(time.perf_counter() - started)


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Keep the benchmark's own data (two logs of Python objects) out of the cyclic GC's
    walks while timing: ``gc.freeze`` moves what exists now to a generation it never
    scans, as a verifier or import process would not hold it. (Imports pause the cyclic GC
    altogether.)"""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (``/proc/stat``)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds of this process and of its children that have ended."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@contextmanager
def other_load() -> Iterator[list[float]]:
    """``with other_load() as other: …`` then ``other[0]`` is the share of the machine's
    CPU that processes other than this one and its (ended) children used during the block:
    other people's jobs on a shared machine, which a timing should be read with."""
    found: list[float] = []
    busy, own, started = _busy_seconds(), _own_seconds(), time.perf_counter()
    yield found
    wall = time.perf_counter() - started
    others = (_busy_seconds() - busy) - (_own_seconds() - own)
    found.append(max(0.0, others) / (wall * (os.cpu_count() or 1)))


def load(share: float) -> str:
    return f"{share:.0%}"


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
            if proofs.root(conn, m) != expected:
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
        root = proofs.root(conn, size)
        for index in indices[:20]:  # warm-up, not counted
            proofs.inclusion_proof(conn, index, size)
        counter.count = 0
        times: list[float] = []
        found: list[list[bytes]] = []
        for index in indices:
            started = time.perf_counter()
            proof = proofs.inclusion_proof(conn, index, size)
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
        if proofs.root(conn, size) != root:
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
    """(verify/s, other processes' share of the CPU meanwhile, command) of ``openssl speed
    -seconds 3 ed25519``."""
    argv = ["openssl", "speed", "-seconds", "3"]
    if multi:
        argv += ["-multi", str(multi)]
    argv.append("ed25519")
    with other_load() as other:
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
    lines = [line for line in done.stdout.splitlines() if "Ed25519" in line]
    numbers = re.findall(r"[\d.]+", lines[-1].split(")", 1)[1])
    return float(numbers[-1]), other[0], " ".join(argv)


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


def verify_log(leaves: Sequence[bytes]) -> tuple[float, float]:
    """``LogVerifier.add`` for every leaf, in this process, then ``finish``: seconds, and
    the share of the CPU other processes used meanwhile."""
    verifier = LogVerifier()
    with quiet_gc(), other_load() as other:
        started = time.perf_counter()
        for leaf in leaves:
            verifier.add(leaf)
        problems = verifier.finish()
        seconds = time.perf_counter() - started
    if problems:
        sys.exit(f"the benchmark's log does not verify: {problems[0]} ({len(problems)} problems)")
    if verifier.root() != MemoryTree.from_entries(leaves).root():
        sys.exit("LogVerifier's root is not the leaves' root")
    return seconds, other[0]


def check_log_timed(leaves: Sequence[bytes], workers: int) -> tuple[float, float]:
    """``check_log`` of the leaves with ``workers`` worker processes: seconds (starting the
    pool included), and the share of the CPU other processes used meanwhile."""

    def key_leaves() -> Sequence[bytes]:
        return leaves[:1]  # the log's one `key.added` leaf (a database finds them by kind)

    with quiet_gc(), other_load() as other:
        started = time.perf_counter()
        verifier, result = check_log(
            numbered(leaves), len(leaves), [], origin=None, key_leaves=key_leaves, workers=workers
        )
        seconds = time.perf_counter() - started
    if verifier.problems:
        sys.exit(
            f"check_log: the benchmark's log does not verify: {verifier.problems[0]} "
            f"({len(verifier.problems)} problems)"
        )
    if result.size != len(leaves) or result.root != MemoryTree.from_entries(leaves).root():
        sys.exit("check_log's size or root is not the leaves'")
    return seconds, other[0]


def per_item(items: Sequence[Any], work: Callable[[Any], object]) -> float:
    """Seconds per item of ``work`` over ``items``."""
    return timed_map(items, work)[0]


def timed_map(items: Sequence[Any], work: Callable[[Any], Any]) -> tuple[float, list[Any]]:
    """Seconds per item of ``work`` over ``items``, and what it returned."""
    started = time.perf_counter()
    found = [work(item) for item in items]
    return (time.perf_counter() - started) / len(items), found


def apply_per_item(leaves: Sequence[bytes], facts: Sequence[LeafFacts]) -> float:
    """Seconds per leaf of ``LogVerifier.apply`` (the rules in order) over a log's first
    leaves and their facts; the batches among them are complete."""
    verifier = LogVerifier()
    started = time.perf_counter()
    for leaf, fact in zip(leaves, facts, strict=True):
        verifier.apply(leaf, fact)
    problems = verifier.finish()
    seconds = time.perf_counter() - started
    if problems:
        sys.exit(f"LogVerifier.apply: {problems[0]}")
    return seconds / len(leaves)


def ipc_per_item(leaves: Sequence[bytes], facts: Sequence[LeafFacts]) -> float:
    """Seconds per leaf to pickle and unpickle the leaves sent to a worker and the facts it
    sends back (what ``ProcessPoolExecutor`` does besides the pipe), in chunks of 2,000."""
    started = time.perf_counter()
    for s in range(0, len(leaves), 2_000):
        pickle.loads(pickle.dumps(list(leaves[s : s + 2_000])))
        pickle.loads(pickle.dumps(list(facts[s : s + 2_000])))
    return (time.perf_counter() - started) / len(leaves)


@dataclass
class VerifyRun:
    who: str
    log: str
    cores: int
    signatures: int  # Ed25519 verifications the run made
    openssl: float = 0.0  # openssl's best verify/s on as many cores
    found: list[tuple[float, float]] = field(default_factory=list)  # (seconds, other load)

    @property
    def seconds(self) -> float:
        return min(self.found)[0]

    @property
    def other(self) -> float:
        return min(self.found)[1]

    def each(self) -> str:
        return ", ".join(f"{secs:.1f}" for secs, _ in self.found)


def verification_part(args: argparse.Namespace, sizes: Sizes, report: Report) -> Logs:
    cores = os.cpu_count() or 1
    n = sizes.entries
    total = n + 1
    batches = -(-n // sizes.batch)
    print(f"  building and signing {n:,} report entries, alone and in batches …", flush=True)
    logs = build_logs(n, sizes.batch, args.seed)
    leaf_kb = statistics.fmean(len(leaf) for leaf in logs.leaves_batch[1:2001]) / 1e3
    batch_label = f"signed in batches of {sizes.batch:,} (`BatchSignature`)"
    alone_label = "signed one by one (`sign_entry`)"
    spread = f"`check_log(…, workers={cores})`"
    plan: list[tuple[VerifyRun, Callable[[], tuple[float, float]]]] = [
        (
            VerifyRun("`LogVerifier.add`", alone_label, 1, total),
            lambda: verify_log(logs.leaves_alone),
        ),
        (
            VerifyRun("`LogVerifier.add`", batch_label, 1, batches + 1),
            lambda: verify_log(logs.leaves_batch),
        ),
        (
            VerifyRun(spread, alone_label, cores, total),
            lambda: check_log_timed(logs.leaves_alone, cores),
        ),
        (
            VerifyRun(spread, batch_label, cores, batches + 1),
            lambda: check_log_timed(logs.leaves_batch, cores),
        ),
    ]
    one_core: list[tuple[float, float]] = []
    all_cores: list[tuple[float, float]] = []
    openssl_cmd = multi_cmd = ""
    for round_ in range(REPEAT):
        print(
            f"  round {round_ + 1} of {REPEAT}: openssl speed, then the verifications", flush=True
        )
        verify_s, other, openssl_cmd = openssl_verify_rate()
        one_core.append((verify_s, other))
        if cores > 1:
            verify_s, other, multi_cmd = openssl_verify_rate(cores)
            all_cores.append((verify_s, other))
        multi_now = all_cores[-1][0] if all_cores else 0
        print(
            f"    openssl: {one_core[-1][0]:,.0f} verify/s on one core, "
            f"{multi_now:,.0f} with -multi {cores}",
            flush=True,
        )
        for run, timed in plan:
            run.found.append(timed())
            secs, other = run.found[-1]
            print(
                f"    {run.who}, {run.log}: {total / secs:,.0f} entries/s "
                f"(other processes: {load(other)} of the CPU)",
                flush=True,
            )
    openssl_verify, openssl_other = max(one_core)
    openssl_multi, multi_other = max(all_cores) if all_cores else (0.0, 0.0)
    openssl_all = openssl_multi or openssl_verify
    runs = [run for run, _ in plan]
    for run in runs:
        run.openssl = openssl_verify if run.cores == 1 else openssl_all
    rows = [
        [
            r.who,
            r.log,
            str(r.cores),
            f"{r.seconds:.1f} ({r.each()})",
            f"{total / r.seconds:,.0f}",
            us(r.seconds / total),
            rate(r.signatures / r.seconds),
            f"{total / r.seconds / r.openssl:.0%}",
            load(r.other),
        ]
        for r in runs
    ]
    openssl_each = ", ".join(f"{v:,.0f}" for v, _ in one_core)
    rows.append(
        [
            f"`{openssl_cmd}`",
            "",
            "1",
            "",
            "",
            us(1 / openssl_verify),
            f"{openssl_verify:,.0f} ({openssl_each})",
            "",
            load(openssl_other),
        ]
    )
    if openssl_multi:
        multi_each = ", ".join(f"{v:,.0f}" for v, _ in all_cores)
        rows.append(
            [
                f"`{multi_cmd}`",
                "",
                str(cores),
                "",
                "",
                "",
                f"{openssl_multi:,.0f} ({multi_each})",
                "",
                load(multi_other),
            ]
        )
    header = [
        "verifier",
        "log",
        "cores",
        f"seconds: best (each of {REPEAT})",
        "entries/s",
        "µs/entry (wall)",
        "Ed25519 verifications/s",
        "entries/s ÷ openssl verify/s on as many cores",
        "CPU used by other processes meanwhile",
    ]

    # the pieces, over a sample of the same leaves
    sample = min(n, 20_000)
    public = bench_key().public_key
    keys = registered_keys(logs.leaves_alone[:1])
    messages = [(s.entry.signed_message(), s.signature) for s in logs.signed_alone[1 : sample + 1]]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    loaded = Ed25519PublicKey.from_public_bytes(public.public_bytes)
    entries = [s.entry for s in logs.signed_alone[1 : sample + 1]]
    pieces: dict[str, list[float | None]] = {}
    with quiet_gc():  # as in the timed runs
        for leaves in (logs.leaves_alone, logs.leaves_batch):
            first = leaves[: sample + 1]
            part = first[1:]
            digest_s, facts = timed_map(part, lambda leaf: digest(leaf, keys))
            facts = [digest(first[0], keys), *facts]
            batch = leaves is logs.leaves_batch
            found = {
                f"`leaf_hash(leaf)` (SHA-256 of ~{leaf_kb:.1f} kB)": per_item(part, leaf_hash),
                "`SignedEntry.from_leaf` (parse, check, rebuild, compare)": per_item(
                    part, SignedEntry.from_leaf
                ),
                "`PublicKey.verify(message, signature)` (the key loaded once)": None
                if batch
                else per_item(messages, lambda m: public.verify(*m)),
                "… of which `cryptography`'s `Ed25519PublicKey.verify`": None
                if batch
                else per_item(messages, lambda m: loaded.verify(m[1], m[0])),
                "`Entry.state_hash()` (one SHA-256 of the kept canonical change)": per_item(
                    entries, lambda e: e.state_hash()
                ),
                "`leaf_hash(entry.canonical())` (a batch tree's leaf)": per_item(
                    entries, lambda e: leaf_hash(e.canonical())
                )
                if batch
                else None,
                "**`digest(leaf, keys)`: a leaf's own work (what the workers run)**": digest_s,
                "**`LogVerifier.apply(leaf, facts)`: the rules in order, incl. a batch's tree "
                "and signature (the one process)**": apply_per_item(first, facts),
                "pickling the leaves to a worker and its facts back (and unpickling)": ipc_per_item(
                    part, facts[1:]
                ),
            }
            for what, secs in found.items():
                pieces.setdefault(what, []).append(secs)
    by_log: dict[str, list[float]] = {r.log: [] for r in runs}
    for r in runs:
        by_log[r.log].append(r.seconds / total)
    digest_key = next(k for k in pieces if k.startswith("**`digest"))
    apply_key = next(k for k in pieces if k.startswith("**`LogVerifier.apply"))
    sums = [(pieces[digest_key][i] or 0.0) + (pieces[apply_key][i] or 0.0) for i in range(2)]
    measured = {
        "**`digest` + `apply`**": sums,
        "**`LogVerifier.add` over the whole log, measured**": [
            by_log[alone_label][0],
            by_log[batch_label][0],
        ],
        f"**`check_log(…, workers={cores})`, measured: wall µs/entry × {cores} cores**": [
            by_log[alone_label][1] * cores,
            by_log[batch_label][1] * cores,
        ],
    }
    piece_rows = [
        [what, *("—" if secs is None else us(secs) for secs in both)]
        for what, both in [*pieces.items(), *measured.items()]
    ]
    report.add(
        "### 2. Full verification vs `openssl speed ed25519`\n\n"
        f"Two logs of {total:,} leaves (a `key.added` entry, then {n:,} `report.created` "
        f"entries whose change holds every column of a report, {logs.change_bytes / 1e3:.2f} kB "
        f"of canonical entry, {leaf_kb:.2f} kB a leaf), built with the real code path. "
        "`LogVerifier.add` gets every leaf in order in this one process (then `finish`). "
        f"`check_log(numbered(leaves), …, key_leaves=…, workers={cores})` (what "
        "`verify_database` and bundle verification run) parses the leaves and checks their "
        f"lone signatures in {cores} worker processes (`digest_all`, 2,000 leaves a task) and "
        "applies the rules that depend on order in this one; its time includes starting the "
        "pool. Every run found no problems, and the root it computed equals the leaves' root. "
        "The one-process rate is compared with openssl on one core, the all-cores rate with "
        f"`openssl speed -multi {cores}`. Each of the six was run {REPEAT} times, in rounds "
        "(openssl, then the four verifications); the best run counts, and the last column "
        "says how much of the machine's CPU processes other than this benchmark used during "
        "it (`/proc/stat` minus this process and its children).\n\n"
        + table(header, rows)
        + f"\n\nWhere a verified entry's time goes (µs per entry of CPU time, over the first "
        f"{sample:,} leaves of each log, each piece timed alone in one process):\n\n"
        + table(["piece", "signed one by one", "signed in batches"], piece_rows)
    )
    for label in (alone_label, batch_label):
        one, spread = by_log[label]
        one_rate, all_rate = 1 / one, 1 / spread
        report.verdict(
            f"verification, log {label.split(' (')[0]}, all {cores} cores "
            f"(`check_log`, workers={cores})",
            f"{all_rate:,.0f} entries/s = {all_rate / openssl_all:.0%} of openssl's "
            f"{openssl_all:,.0f} verify/s on {cores} cores",
            f">= {TARGET_VERIFY_SHARE:.0%} of openssl per core, using all cores",
            all_rate >= TARGET_VERIFY_SHARE * openssl_all,
            f"; one process (`LogVerifier.add`): {one_rate:,.0f} entries/s = "
            f"{one_rate / openssl_verify:.0%} of openssl's {openssl_verify:,.0f} verify/s "
            "on one core",
        )
    return logs


# --- 3. appends -----------------------------------------------------------------------------


def time_appends(db: Database, logs: Logs, batch: int) -> tuple[list[float], int]:
    """Append the batch-signed log, ``batch`` leaves a transaction; seconds of each."""
    leaves = [store.LedgerLeaf.of(s) for s in logs.signed_batch]
    with db.transaction() as conn:
        store.append(conn, leaves[:1])  # the key entry, alone
    times: list[float] = []
    with quiet_gc():
        for start in range(1, len(leaves), batch):
            started = time.perf_counter()
            with db.transaction() as conn:
                store.append(conn, leaves[start : start + batch])
            times.append(time.perf_counter() - started)
    expected = MemoryTree.from_entries(logs.leaves_batch).root()
    with db.read() as conn:
        if proofs.root(conn) != expected:
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


def peak_rss_mb() -> float:
    """This process's own peak RSS (``VmHWM``; a child's ``ru_maxrss`` starts from the RSS
    of the process it was forked from, and this script's parent holds two logs)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def import_child(variant: str, url: str, csv: str) -> None:
    """In a child process: import ``csv`` with the real or the unsigned ledger, print JSON."""
    from ceasefire.config import Settings
    from ceasefire.ingest.events import open_events
    from ceasefire.services.imports import import_events

    db = Database(url)
    db.migrate()
    settings = Settings()
    if variant != "real":
        from _noledger import without_ledger

        without_ledger()  # this child's writes sign and append nothing
    ledger = Ledger.from_settings(db, settings)
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
    print(
        json.dumps(
            {"seconds": seconds, "imported": summary.imported, "bad": bad, "rss": peak_rss_mb()}
        )
    )


def import_once(rows_n: int, folder: Path, variant: str) -> dict[str, Any]:
    """``ceasefire load`` (not timed), then ``import_events`` in a child process."""
    ceasefire = str(VENV_BIN / "ceasefire")
    logs = LEDGER_DATA / "logs"
    path = LEDGER_DATA / f"import-{variant}.sqlite"
    remove_sqlite(path)
    url = f"sqlite:///{path}"
    log = logs / f"load-{variant}-{rows_n}.log"
    load = run_measured([ceasefire, "--db", url, "load", str(folder / "scenario.yaml")], log)
    check(load, "ceasefire load", log)
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
    print(f"  import of {rows_n:,} rows, {variant} ledger …", flush=True)
    log = logs / f"import-{variant}-{rows_n}.log"
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
    result: dict[str, Any] = json.loads(log.read_text().strip().splitlines()[-1])
    with sqlite3.connect(path) as conn:
        after = conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
    result.update(
        rows=rows_n,
        variant=variant,
        wall=measured.seconds,
        entries=after - before,
        db_mb=sum(
            Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
        )
        / 1e6,
    )
    print(f"  {result['seconds']:.1f} s, {result['entries']:,} ledger entries", flush=True)
    remove_sqlite(path)
    return result


def import_part(args: argparse.Namespace, sizes: Sizes, report: Report) -> None:
    from import_classify import data_dir, generate

    counts = [int(n) for n in args.import_rows.split(",")] if args.import_rows else []
    os.environ["CEASEFIRE_LEDGER_SECRET"] = "bench"
    found: list[dict[str, Any]] = []
    folders: list[str] = []
    for rows_n in counts or [sizes.import_rows]:
        folder = data_dir(rows_n, 1000, args.seed)
        generate(folder, rows_n, 1000, args.seed)
        folders.append(f"`{folder.relative_to(ROOT)}`")
        for variant in ("real", "unsigned"):
            found.append(import_once(rows_n, folder, variant))
    labels = {
        "real": "`Ledger` (signs and appends every report)",
        "unsigned": "the same, with the ledger's work a no-op (`benchmarks/_noledger.py`)",
    }
    rows = [
        [
            f"{r['rows']:,}",
            labels[r["variant"]],
            f"{r['seconds']:.1f}",
            f"{r['imported'] / r['seconds']:,.0f}",
            f"{r['entries']:,}",
            f"{r['rss']:,.0f}",
            f"{r['wall']:.1f}",
            f"{r['db_mb']:,.0f}",
        ]
        for r in found
    ]
    adds = []
    for real, unsigned in zip(found[::2], found[1::2], strict=True):
        extra = real["seconds"] - unsigned["seconds"]
        per = extra / max(1, real["entries"])
        adds.append(
            f"- {real['rows']:,} rows: the ledger adds **{extra:.1f} s "
            f"({extra / unsigned['seconds']:.0%})** to {unsigned['seconds']:.1f} s, "
            f"{per * 1e6:.0f} µs per entry"
        )
    report.add(
        "### 4. What the ledger adds to an import (UCDP GED rows)\n\n"
        "`import_events` (the service `ceasefire import events` runs) of the generated file "
        f"of `import_classify.py` ({', '.join(folders)}), each run in its own child process "
        "into a fresh SQLite file after `ceasefire load` of the same 1,000-regime scenario "
        "(not timed). The time is `import_events`' own (it ends with an `ANALYZE`); the "
        "child's wall time adds start-up. Peak RSS is the child's own (`VmHWM`).\n\n"
        + table(
            [
                "rows",
                "ledger",
                "seconds",
                "rows/s",
                "ledger entries written",
                "peak RSS (MB)",
                "child process, wall s",
                "DB file (MB)",
            ],
            rows,
        )
        + "\n\n"
        + "\n".join(adds)
        + "\n\nWhat the ledger does in that time: reading each report's state back, building "
        "and batch-signing its entry, appending it and its subtrees, and one checkpoint at "
        "the import's end (its chunks, sized to hold the log's lock about 80 ms, commit "
        "without waiting for the disk and sign none)."
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
    parser.add_argument(
        "--import-rows",
        default="",
        help="rows of the imports of part 4, comma-separated (default 100000)",
    )
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
