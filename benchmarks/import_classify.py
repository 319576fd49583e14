"""Benchmark 1: import and classify UCDP GED rows against many regimes, end to end.

    .venv/bin/python benchmarks/import_classify.py [--rows 1000000] [--regimes 1000]
                                                   [--seed 1] [--keep]
                                                   [--database sqlite|postgresql]
                                                   [--format ucdp|acled] [--write]

Generates (untimed, seeded; reused when already there) N UCDP GED rows with all 49
standard columns and a scenario with one agreement (UTC) and R regimes, then times, each
in its own child process with its own peak RSS (os.wait4):

- ours: ``ceasefire --db sqlite:///… load scenario.yaml`` then
  ``ceasefire --db … import events rows.csv --format ucdp`` into a fresh SQLite file;
- baseline: ``benchmarks/baseline_import.py`` (pandas.read_csv → points → geopandas.sjoin
  within → time-window filter → DataFrame.to_sql) into a fresh SQLite file.

With ``--format acled`` the same generated events are told again in ACLED's export format
(``benchmarks/_acled.py``: 33 columns, day-first dates, ACLED's precisions and event types)
and both sides read that file instead.

With ``--database postgresql`` both write instead into fresh PostgreSQL databases on the
server ``CEASEFIRE_BENCH_POSTGRES`` names (default: postgres on 127.0.0.1:5432):
``ceasefire_bench_import_ours`` (with PostGIS) and ``ceasefire_bench_import_base``; the
baseline's ``to_sql`` then goes through a SQLAlchemy engine (psycopg), as a user would
write it.

Prints the times, ours/baseline, rows/s and peak RSS, and rewrites this run's section of
docs/benchmarks.md where the run is of a size it keeps (100,000 or 1,000,000 rows, 1,000
regimes, seed 1; another size only with --write). Without --keep the generated files and
databases are deleted at the end; keep them to reuse the SQLite database in
benchmarks/query.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DATA,
    DEFAULT_POSTGRES_SERVER,
    ROOT,
    VENV_BIN,
    Measured,
    check,
    code_version,
    command_line,
    run_measured,
    table,
    write_machine,
    write_section,
)

TARGET_RATIO = 1.0
TARGET_RSS_MB = 2048.0
TARGET_ROWS = 1_000_000
# the sizes docs/benchmarks.md keeps (the default regimes and seed); another is printed
# only, unless --write
DOCUMENTED_ROWS = (100_000, TARGET_ROWS)
REGIMES = 1000
SEED = 1


def data_dir(rows: int, regimes: int, seed: int) -> Path:
    return DATA / "import_classify" / f"rows{rows}-regimes{regimes}-seed{seed}"


def generate(folder: Path, rows: int, regimes: int, seed: int) -> None:
    """Generate the inputs in a child process: on Linux a child's ru_maxrss starts from the
    RSS of the process it was forked from, so this process must stay small (stdlib only)."""
    done = folder / "generated.ok"
    if done.exists():
        print(f"reusing generated data in {folder.relative_to(ROOT)}")
        return
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    script = ROOT / "benchmarks" / "_generate.py"
    argv = [sys.executable, str(script), str(folder), str(rows), str(regimes), str(seed)]
    subprocess.run(argv, check=True)
    done.write_text("ok\n")
    size = (folder / "rows.csv").stat().st_size / 1e6
    print(f"generated {rows} rows ({size:.0f} MB) and {regimes} regimes "
          f"in {time.perf_counter() - started:.1f} s (not timed)")  # fmt: skip


class Target:
    """Where one side writes: its URL, made fresh, counted and measured."""

    url: str

    def fresh(self) -> None:
        raise NotImplementedError

    def counts(self, queries: dict[str, str]) -> dict[str, int]:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return {
                    name: int(conn.execute(text(sql)).scalar_one()) for name, sql in queries.items()
                }
        finally:
            engine.dispose()

    def size_mb(self) -> float:
        raise NotImplementedError


class SqliteTarget(Target):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"

    def fresh(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def size_mb(self) -> float:
        files = (Path(f"{self.path}{s}") for s in ("", "-wal"))
        return sum(f.stat().st_size for f in files if f.exists()) / 1e6


class PostgresTarget(Target):
    def __init__(self, server: str, name: str, *, postgis: bool) -> None:
        from sqlalchemy.engine import make_url

        self.server, self.name, self.postgis = server, name, postgis
        self.url = make_url(server).set(database=name).render_as_string(hide_password=False)

    def _admin(self, sql: str) -> float:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.server, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                result = conn.execute(text(sql))
                return float(result.scalar() or 0) if result.returns_rows else 0.0
        finally:
            engine.dispose()

    def fresh(self) -> None:
        from sqlalchemy import create_engine, text

        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        if self.postgis:
            engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            engine.dispose()

    def size_mb(self) -> float:
        return self._admin(f"SELECT pg_database_size('{self.name}')") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--regimes", type=int, default=REGIMES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true", help="keep generated data and databases")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--format", choices=("ucdp", "acled"), default="ucdp")
    parser.add_argument(
        "--write", action="store_true", help="write another size's section to docs/benchmarks.md"
    )
    args = parser.parse_args()

    folder = data_dir(args.rows, args.regimes, args.seed)
    generate(folder, args.rows, args.regimes, args.seed)
    scenario, rows_csv = folder / "scenario.yaml", folder / "rows.csv"
    if args.format == "acled":
        rows_csv = acled_rows(folder, rows_csv, args.seed)
    ours_db: Target = SqliteTarget(folder / "ours.sqlite")
    base_db: Target = SqliteTarget(folder / "baseline.sqlite")
    if args.database == "postgresql":
        server = os.environ.get("CEASEFIRE_BENCH_POSTGRES") or DEFAULT_POSTGRES_SERVER
        ours_db = PostgresTarget(server, "ceasefire_bench_import_ours", postgis=True)
        base_db = PostgresTarget(server, "ceasefire_bench_import_base", postgis=False)
        os.environ.setdefault("CEASEFIRE_LEDGER_SECRET", "benchmark secret")
    ours_db.fresh()
    base_db.fresh()
    url = ours_db.url
    args.code = code_version()  # before the children start: others may change src/ meanwhile
    ceasefire = str(VENV_BIN / "ceasefire")
    logs = folder / "logs"

    print(f"ours: load {scenario.name} …", flush=True)
    load = run_measured([ceasefire, "--db", url, "load", str(scenario)], logs / "ours_load.log")
    check(load, "ceasefire load", logs / "ours_load.log")
    print(f"  {load.seconds:.1f} s, peak RSS {load.peak_rss_mb:.0f} MB", flush=True)
    print(f"ours: import {rows_csv.name} ({args.rows} rows) …", flush=True)
    imp = run_measured(
        [ceasefire, "--db", url, "import", "events", str(rows_csv), "--format", args.format,
         "--quarantine", str(folder / "quarantine.csv")],
        logs / "ours_import.log",
    )  # fmt: skip
    check(imp, "ceasefire import", logs / "ours_import.log")
    print(f"  {imp.seconds:.1f} s, peak RSS {imp.peak_rss_mb:.0f} MB", flush=True)
    print("baseline: pandas + geopandas.sjoin + to_sql …", flush=True)
    base = run_measured(
        [sys.executable, str(ROOT / "benchmarks" / "baseline_import.py"), str(scenario),
         str(rows_csv), base_db.url, args.format],
        logs / "baseline.log",
    )  # fmt: skip
    check(base, "baseline", logs / "baseline.log")
    print(f"  {base.seconds:.1f} s, peak RSS {base.peak_rss_mb:.0f} MB", flush=True)

    ours_counts = ours_db.counts(
        {
            "incidents": "SELECT count(*) FROM incidents",
            "covered": "SELECT count(*) FROM incident_regimes WHERE verdict = 'covered'",
            "potential": "SELECT count(*) FROM incidents "
            "WHERE classification = 'potential_violation'",
        },
    )
    base_counts = base_db.counts(
        {"events": "SELECT count(*) FROM events", "matches": "SELECT count(*) FROM matches"},
    )
    report(args, load, imp, base, ours_counts, base_counts, ours_db, base_db)
    if not args.keep:
        shutil.rmtree(folder)
        print(f"deleted {folder.relative_to(ROOT)} (use --keep to keep it)")


def acled_rows(folder: Path, ucdp_csv: Path, seed: int) -> Path:
    """The generated events in ACLED's format, made once from the UCDP file (not timed)."""
    path = folder / "rows.acled.csv"
    if not path.exists():
        script = ROOT / "benchmarks" / "_acled.py"
        subprocess.run([sys.executable, str(script), str(ucdp_csv), str(path), str(seed)],
                       check=True)  # fmt: skip
    return path


def report(
    args: argparse.Namespace,
    load: Measured,
    imp: Measured,
    base: Measured,
    ours_counts: dict[str, int],
    base_counts: dict[str, int],
    ours_db: Target,
    base_db: Target,
) -> None:
    n = args.rows
    total = load.seconds + imp.seconds
    ratio = total / base.seconds
    ours_rss = max(load.peak_rss_mb, imp.peak_rss_mb)
    rows = [
        ["ours: `ceasefire load` (scenario)", f"{load.seconds:.1f}", "",
         f"{load.peak_rss_mb:.0f}", ""],
        [f"ours: `ceasefire import events --format {args.format}`", f"{imp.seconds:.1f}",
         f"{n / imp.seconds:,.0f}", f"{imp.peak_rss_mb:.0f}", ""],
        ["**ours: total**", f"**{total:.1f}**", f"{n / total:,.0f}", f"{ours_rss:.0f}",
         f"{ours_db.size_mb():,.0f}"],
        ["**baseline: pandas + geopandas.sjoin + to_sql**", f"**{base.seconds:.1f}**",
         f"{n / base.seconds:,.0f}", f"{base.peak_rss_mb:.0f}", f"{base_db.size_mb():,.0f}"],
    ]  # fmt: skip
    results = table(["", "seconds", "rows/s", "peak RSS (MB)", "database (MB)"], rows)
    ratio_ok = ratio <= TARGET_RATIO
    rss_ok = ours_rss <= TARGET_RSS_MB
    at_target = n == TARGET_ROWS
    scope = (
        "" if at_target else f" (the targets are set for {TARGET_ROWS:,} rows; this run has {n:,})"
    )
    verdicts = (
        f"- ours / baseline = **{ratio:.2f}x** (target <= {TARGET_RATIO:.1f}x): "
        f"**{'met' if ratio_ok else 'NOT met'}**{scope}\n"
        f"- peak RSS of ours = **{ours_rss:,.0f} MB** (target <= {TARGET_RSS_MB:,.0f} MB): "
        f"**{'met' if rss_ok else 'NOT met'}**{scope}"
    )
    checks = (
        f"Sanity: ours stored {ours_counts['incidents']:,} incidents, "
        f"{ours_counts['potential']:,} classified `potential_violation`, "
        f"{ours_counts['covered']:,} incident-regime pairs `covered`; the baseline stored "
        f"{base_counts['events']:,} events and {base_counts['matches']:,} point-in-regime "
        "matches in time."
    )
    where = ", PostgreSQL + PostGIS" if args.database == "postgresql" else ""
    name = "ACLED" if args.format == "acled" else "UCDP GED"
    body = (
        f"## Import and classify: {n:,} {name} rows, {args.regimes:,} regimes{where}\n\n"
        f"```\n{command_line()}\n```\n\n"
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}; seed {args.seed}; code: {args.code}.\n\n"
        f"{results}\n\n{verdicts}\n\n{checks}\n"
    )
    print()
    print(body)
    documented = args.rows in DOCUMENTED_ROWS and (args.regimes, args.seed) == (REGIMES, SEED)
    if not documented and not args.write:  # a run while iterating: not in the docs
        print("not written to docs/benchmarks.md: not a documented size (--write)")
        return
    postgres = args.database == "postgresql"
    key = f"import_classify rows={n} regimes={args.regimes}"
    key += " database=postgresql" if postgres else ""
    write_section(key + (" format=acled" if args.format == "acled" else ""), body)
    write_machine(ours_db.url if postgres else None)
    print(f"written to {Path('docs/benchmarks.md')}")


if __name__ == "__main__":
    main()
