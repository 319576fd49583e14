"""Benchmark 2: bounding-box + time queries over many incidents (SQLite and PostgreSQL).

    .venv/bin/python benchmarks/query.py [--incidents 1000000] [--queries 200]
                                         [--postgres URL] [--db PATH] [--seed 1]

Times ``query_incidents`` (ceasefire.store.incidents; limit 100 and limit 1000) for random
map views (0.5-3 degrees wide, centred on a random incident) and random 1-3 month windows,
on SQLite (R*Tree) and, with --postgres or $CEASEFIRE_BENCH_POSTGRES, on PostgreSQL +
PostGIS (GiST). The baseline, run query by query next to ours on the same incidents table,
is plain SQL without the spatial index:

    SELECT * FROM incidents WHERE lon BETWEEN … AND lat BETWEEN … AND time_start < :end
    AND (time_end > :start OR time_start >= :start) ORDER BY id LIMIT n

SQLite: --db, else the database benchmarks/import_classify.py --keep left for the same
number of rows, else one made here with ``ceasefire load`` + ``ceasefire import events``
from the same generated files. PostgreSQL: the database in the URL (created when missing)
is filled with the same CLI commands unless it already holds the incidents.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    VENV_BIN,
    check,
    code_version,
    command_line,
    run_measured,
    table,
    write_machine,
    write_section,
)
from import_classify import data_dir, generate

from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.visibility import Audience
from ceasefire.store.database import Database, normalize_url
from ceasefire.store.incidents import query_incidents

TARGET_P95_MS = 50.0
LIMITS = (100, 1000)
# the API reads as a party: open incidents and those of its agreements (one, here)
READER = Audience.of_party("us", ["syria-coh-2016"])
REGIMES = 1000
WARMUP = 10
FIRST = datetime(2014, 1, 1, tzinfo=UTC)
LAST_START = datetime(2023, 10, 1, tzinfo=UTC)

BASELINE_SQL = (
    "SELECT * FROM incidents WHERE lon BETWEEN :min_lon AND :max_lon "
    "AND lat BETWEEN :min_lat AND :max_lat AND time_start < :end "
    "AND (time_end > :start OR time_start >= :start) ORDER BY id LIMIT :n"
)


@dataclass(frozen=True, slots=True)
class Query:
    bbox: BBox
    start: datetime
    end: datetime


@dataclass(slots=True)
class Series:
    ms: list[float]
    rows: list[int]

    def pct(self, q: float) -> float:
        return float(np.percentile(self.ms, q))


# --- data ----------------------------------------------------------------------------------


def fill_with_cli(url: str, rows: int, seed: int, log_name: str) -> float:
    """``ceasefire load`` + ``ceasefire import events`` of the generated files; seconds."""
    folder = data_dir(rows, REGIMES, seed)
    generate(folder, rows, REGIMES, seed)
    ceasefire = str(VENV_BIN / "ceasefire")
    logs = folder / "logs"
    load = run_measured(
        [ceasefire, "--db", url, "load", str(folder / "scenario.yaml")],
        logs / f"{log_name}_load.log",
    )
    check(load, "ceasefire load", logs / f"{log_name}_load.log")
    print(f"  load: {load.seconds:.1f} s", flush=True)
    imp = run_measured(
        [ceasefire, "--db", url, "import", "events", str(folder / "rows.csv"), "--format", "ucdp",
         "--quarantine", str(folder / f"{log_name}_quarantine.csv")],
        logs / f"{log_name}_import.log",
    )  # fmt: skip
    check(imp, "ceasefire import", logs / f"{log_name}_import.log")
    print(f"  import: {imp.seconds:.1f} s ({rows / imp.seconds:,.0f} rows/s)", flush=True)
    return load.seconds + imp.seconds


def incident_count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(text("SELECT count(*) FROM incidents")).scalar_one())


def sqlite_database(args: argparse.Namespace) -> tuple[Database, str]:
    """The SQLite database to query, and how it was filled."""
    if args.db:
        path = Path(args.db)
        how = f"given with --db ({path})"
    else:
        path = data_dir(args.incidents, REGIMES, args.seed) / "ours.sqlite"
        how = "made by `benchmarks/import_classify.py --keep` (`ceasefire load` + `import events`)"
    if not path.exists():
        print(f"SQLite: filling {path.relative_to(ROOT)} with the CLI …", flush=True)
        seconds = fill_with_cli(f"sqlite:///{path}", args.incidents, args.seed, "sqlite")
        how = f"filled here with `ceasefire load` + `ceasefire import events` in {seconds:.0f} s"
    db = Database(f"sqlite:///{path}")
    return db, how


def postgres_database(url: str, args: argparse.Namespace) -> tuple[Database, str]:
    url = normalize_url(url)
    parsed = make_url(url)
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": parsed.database}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    server.dispose()
    db = Database(url)
    db.migrate()
    count = incident_count(db)
    if count >= args.incidents:
        return db, f"already holding {count:,} incidents (filled by an earlier run)"
    if count:
        sys.exit(f"{db.describe()} holds {count} incidents, fewer than {args.incidents}; "
                 "drop the database and run again")  # fmt: skip
    print(f"PostgreSQL: filling {db.describe()} with the CLI …", flush=True)
    with db.read() as conn:
        autovacuum = conn.execute(text("SHOW autovacuum")).scalar_one() == "on"
    stop = threading.Event()
    if not autovacuum:
        # Without statistics the planner keeps a plan that filters every stored report for
        # each batch's 900 source ids, and the import slows down quadratically (see
        # docs/benchmarks.md). Do what autovacuum's autoanalyze would do.
        print("  autovacuum is off on this server: running ANALYZE every 30 s meanwhile")
        threading.Thread(target=analyze_until, args=(db, stop), daemon=True).start()
    try:
        seconds = fill_with_cli(url, args.incidents, args.seed, "postgres")
    finally:
        stop.set()
    with db.transaction() as conn:
        conn.execute(text("ANALYZE"))
    how = f"filled with `ceasefire load` + `ceasefire import events` in {seconds:.0f} s"
    if not autovacuum:
        how += " (autovacuum is off on this server, so the benchmark ran ANALYZE every 30 s)"
    return db, how


def analyze_until(db: Database, stop: threading.Event) -> None:
    while not stop.wait(30):
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE incidents, reports, incident_regimes"))


# --- queries -------------------------------------------------------------------------------


def make_queries(db: Database, count: int, seed: int) -> list[Query]:
    """Map views centred on random incidents, 0.5-3 degrees wide, and 1-3 month windows."""
    rng = np.random.default_rng(seed)
    with db.read() as conn:
        top = int(conn.execute(text("SELECT max(id) FROM incidents")).scalar_one())
        queries: list[Query] = []
        while len(queries) < count:
            row = conn.execute(
                text("SELECT lon, lat FROM incidents WHERE id >= :i ORDER BY id LIMIT 1"),
                {"i": int(rng.integers(1, top + 1))},
            ).one()
            width = float(rng.uniform(0.5, 3.0))
            height = width * float(rng.uniform(0.5, 1.0))
            span = (LAST_START - FIRST).days
            start = FIRST + timedelta(days=int(rng.integers(0, span)))
            end = start + timedelta(days=int(rng.integers(30, 92)))
            bbox = BBox(
                max(-180.0, row.lon - width / 2),
                max(-90.0, row.lat - height / 2),
                min(180.0, row.lon + width / 2),
                min(90.0, row.lat + height / 2),
            )
            queries.append(Query(bbox, start, end))
    return queries


def ours(conn: Connection, q: Query, limit: int) -> int:
    """A map view's page: incidents with their classification and regimes."""
    f = IncidentFilter(bbox=q.bbox, start=q.start, end=q.end, limit=limit)
    return len(query_incidents(conn, f, READER))


def ours_explained(conn: Connection, q: Query, limit: int) -> int:
    """The same page with every incident's reasons written out (?reasons=true)."""
    f = IncidentFilter(bbox=q.bbox, start=q.start, end=q.end, limit=limit)
    return len(query_incidents(conn, f, READER, explain=True))


def baseline_params(conn: Connection, q: Query, limit: int) -> dict[str, object]:
    b = q.bbox
    if conn.dialect.name == "sqlite":  # stored as naive UTC text, as SQLAlchemy writes it
        start: object = q.start.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        end: object = q.end.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    else:
        start, end = q.start, q.end
    return {
        "min_lon": b.min_lon,
        "max_lon": b.max_lon,
        "min_lat": b.min_lat,
        "max_lat": b.max_lat,
        "start": start,
        "end": end,
        "n": limit,
    }


def baseline(conn: Connection, q: Query, limit: int) -> int:
    return len(conn.execute(text(BASELINE_SQL), baseline_params(conn, q, limit)).all())


def run(db: Database, queries: list[Query], warmup: list[Query]) -> dict[tuple[str, int], Series]:
    """Each query through ours and then the baseline (interleaved), each in its own read
    transaction on a pooled connection, as an API request would."""
    methods: dict[str, Callable[[Connection, Query, int], int]] = {
        "ours": ours,
        "ours with reasons": ours_explained,
        "baseline": baseline,
    }
    results = {(m, n): Series([], []) for m in methods for n in LIMITS}
    for limit in LIMITS:
        for q in warmup:
            for method in methods.values():
                with db.read() as conn:
                    method(conn, q, limit)
        for i, q in enumerate(queries):
            for name, method in methods.items():
                started = time.perf_counter()
                with db.read() as conn:
                    found = method(conn, q, limit)
                results[(name, limit)].ms.append((time.perf_counter() - started) * 1000)
                results[(name, limit)].rows.append(found)
            if (i + 1) % 50 == 0:
                print(f"    limit {limit}: {i + 1}/{len(queries)} queries", flush=True)
    return results


def check_same(db: Database, queries: list[Query]) -> None:
    """Ours and the baseline must return the same incidents (a few queries suffice)."""
    for q in queries[:20]:
        with db.read() as conn:
            a = [
                i.id for i in query_incidents(conn, IncidentFilter(q.bbox, q.start, q.end), READER)
            ]
            b = baseline_ids(conn, q)
        if a != b:
            sys.exit(f"ours and the baseline disagree on {q}: {a[:5]}… vs {b[:5]}…")


def baseline_ids(conn: Connection, q: Query) -> list[int]:
    sql = BASELINE_SQL.replace("SELECT *", "SELECT id")
    return [r[0] for r in conn.execute(text(sql), baseline_params(conn, q, 100))]


# --- report --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("CEASEFIRE_BENCH_POSTGRES"))
    parser.add_argument("--db", help="SQLite file to query (default: benchmark 1's)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    code = code_version()  # now: others may change src/ while this runs
    engines: list[tuple[str, Database, str]] = []
    sqlite_db, how = sqlite_database(args)
    engines.append((f"SQLite {sqlite_version(sqlite_db)} (R*Tree)", sqlite_db, how))
    if args.postgres:
        pg_db, pg_how = postgres_database(args.postgres, args)
        engines.append(("PostgreSQL + PostGIS (GiST)", pg_db, pg_how))

    all_queries = make_queries(sqlite_db, args.queries + WARMUP, args.seed)
    warmup, queries = all_queries[:WARMUP], all_queries[WARMUP:]
    rows: list[list[str]] = []
    verdicts: list[str] = []
    notes: list[str] = []
    for label, db, how in engines:
        count = incident_count(db)
        notes.append(f"- {label}: {count:,} incidents, {how}.")
        print(f"{label}: {count:,} incidents; checking ours = baseline …", flush=True)
        check_same(db, queries)
        print(f"{label}: {len(queries)} queries x {LIMITS} …", flush=True)
        results = run(db, queries, warmup)
        for limit in LIMITS:
            for method, name in (
                ("ours", "`query_incidents`"),
                ("ours with reasons", "`query_incidents(explain=True)`"),
                ("baseline", "baseline: plain SQL scan"),
            ):
                s = results[(method, limit)]
                rows.append([
                    label, name, str(limit), f"{s.pct(50):.1f}", f"{s.pct(95):.1f}",
                    f"{s.pct(99):.1f}", f"{statistics.fmean(s.ms):.1f}",
                    f"{statistics.fmean(s.rows):.0f}",
                ])  # fmt: skip
            p95 = results[("ours", limit)].pct(95)
            speedup = results[("baseline", limit)].pct(50) / results[("ours", limit)].pct(50)
            verdicts.append(
                f"- {label}, limit {limit}: p95 = **{p95:.1f} ms** (target <= "
                f"{TARGET_P95_MS:.0f} ms): **{'met' if p95 <= TARGET_P95_MS else 'NOT met'}**; "
                f"median {speedup:.1f}x faster than the baseline"
            )
        db.dispose()
    header = ["database", "query", "limit", "p50 ms", "p95 ms", "p99 ms", "mean ms", "mean rows"]
    body = (
        f"## Bounding-box + time queries: {args.incidents:,} incidents, {args.queries} queries\n\n"
        f"```\n{command_line()}\n```\n\n"
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}; seed {args.seed}; code: {code}; "
        f"{WARMUP} warm-up queries "
        "per database and limit are not counted; warm page cache.\n\n"
        + "\n".join(notes)
        + "\n\n"
        + table(header, rows)
        + "\n\n"
        + "\n".join(verdicts)
        + "\n"
    )
    print()
    print(body)
    write_section(f"query incidents={args.incidents}", body)
    write_machine(args.postgres)
    print("written to docs/benchmarks.md")


def sqlite_version(db: Database) -> str:
    with db.read() as conn:
        return str(conn.execute(text("SELECT sqlite_version()")).scalar_one())


if __name__ == "__main__":
    main()
