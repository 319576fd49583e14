"""Benchmark 1: import and classify UCDP GED rows against many regimes, end to end.

    .venv/bin/python benchmarks/import_classify.py [--rows 1000000] [--regimes 1000]
                                                   [--seed 1] [--keep]

Generates (untimed, seeded; reused when already there) N UCDP GED rows with all 49
standard columns and a scenario with one agreement (UTC) and R regimes, then times, each
in its own child process with its own peak RSS (os.wait4):

- ours: ``ceasefire --db sqlite:///… load scenario.yaml`` then
  ``ceasefire --db … import events rows.csv --format ucdp`` into a fresh SQLite file;
- baseline: ``benchmarks/baseline_import.py`` (pandas.read_csv → points → geopandas.sjoin
  within → time-window filter → DataFrame.to_sql) into a fresh SQLite file.

Prints the times, ours/baseline, rows/s and peak RSS, and rewrites this run's section of
docs/benchmarks.md. Without --keep the generated files and databases are deleted at the
end; keep them to reuse the SQLite database in benchmarks/query.py.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DATA,
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


def fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_counts(path: Path, queries: dict[str, str]) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {name: int(conn.execute(sql).fetchone()[0]) for name, sql in queries.items()}


def file_mb(path: Path) -> float:
    return (
        sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
        / 1e6
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--regimes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep generated data and databases")
    args = parser.parse_args()

    folder = data_dir(args.rows, args.regimes, args.seed)
    generate(folder, args.rows, args.regimes, args.seed)
    scenario, rows_csv = folder / "scenario.yaml", folder / "rows.csv"
    ours_db, base_db = folder / "ours.sqlite", folder / "baseline.sqlite"
    fresh(ours_db)
    fresh(base_db)
    url = f"sqlite:///{ours_db}"
    args.code = code_version()  # before the children start: others may change src/ meanwhile
    ceasefire = str(VENV_BIN / "ceasefire")
    logs = folder / "logs"

    print(f"ours: load {scenario.name} …", flush=True)
    load = run_measured([ceasefire, "--db", url, "load", str(scenario)], logs / "ours_load.log")
    check(load, "ceasefire load", logs / "ours_load.log")
    print(f"  {load.seconds:.1f} s, peak RSS {load.peak_rss_mb:.0f} MB", flush=True)
    print(f"ours: import {rows_csv.name} ({args.rows} rows) …", flush=True)
    imp = run_measured(
        [ceasefire, "--db", url, "import", "events", str(rows_csv), "--format", "ucdp",
         "--quarantine", str(folder / "quarantine.csv")],
        logs / "ours_import.log",
    )  # fmt: skip
    check(imp, "ceasefire import", logs / "ours_import.log")
    print(f"  {imp.seconds:.1f} s, peak RSS {imp.peak_rss_mb:.0f} MB", flush=True)
    print("baseline: pandas + geopandas.sjoin + to_sql …", flush=True)
    base = run_measured(
        [sys.executable, str(ROOT / "benchmarks" / "baseline_import.py"), str(scenario),
         str(rows_csv), str(base_db)],
        logs / "baseline.log",
    )  # fmt: skip
    check(base, "baseline", logs / "baseline.log")
    print(f"  {base.seconds:.1f} s, peak RSS {base.peak_rss_mb:.0f} MB", flush=True)

    ours_counts = sqlite_counts(
        ours_db,
        {
            "incidents": "SELECT count(*) FROM incidents",
            "covered": "SELECT count(*) FROM incident_regimes WHERE verdict = 'covered'",
            "potential": "SELECT count(*) FROM incidents "
            "WHERE classification = 'potential_violation'",
        },
    )
    base_counts = sqlite_counts(
        base_db,
        {"events": "SELECT count(*) FROM events", "matches": "SELECT count(*) FROM matches"},
    )
    report(args, load, imp, base, ours_counts, base_counts, ours_db, base_db)
    if not args.keep:
        shutil.rmtree(folder)
        print(f"deleted {folder.relative_to(ROOT)} (use --keep to keep it)")


def report(
    args: argparse.Namespace,
    load: Measured,
    imp: Measured,
    base: Measured,
    ours_counts: dict[str, int],
    base_counts: dict[str, int],
    ours_db: Path,
    base_db: Path,
) -> None:
    n = args.rows
    total = load.seconds + imp.seconds
    ratio = total / base.seconds
    ours_rss = max(load.peak_rss_mb, imp.peak_rss_mb)
    rows = [
        ["ours: `ceasefire load` (scenario)", f"{load.seconds:.1f}", "",
         f"{load.peak_rss_mb:.0f}", ""],
        ["ours: `ceasefire import events --format ucdp`", f"{imp.seconds:.1f}",
         f"{n / imp.seconds:,.0f}", f"{imp.peak_rss_mb:.0f}", ""],
        ["**ours: total**", f"**{total:.1f}**", f"{n / total:,.0f}", f"{ours_rss:.0f}",
         f"{file_mb(ours_db):,.0f}"],
        ["**baseline: pandas + geopandas.sjoin + to_sql**", f"**{base.seconds:.1f}**",
         f"{n / base.seconds:,.0f}", f"{base.peak_rss_mb:.0f}", f"{file_mb(base_db):,.0f}"],
    ]  # fmt: skip
    results = table(["", "seconds", "rows/s", "peak RSS (MB)", "DB file (MB)"], rows)
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
    body = (
        f"## Import and classify: {n:,} UCDP GED rows, {args.regimes:,} regimes\n\n"
        f"```\n{command_line()}\n```\n\n"
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}; seed {args.seed}; code: {args.code}.\n\n"
        f"{results}\n\n{verdicts}\n\n{checks}\n"
    )
    print()
    print(body)
    write_section(f"import_classify rows={n} regimes={args.regimes}", body)
    write_machine()
    print(f"written to {Path('docs/benchmarks.md')}")


if __name__ == "__main__":
    main()
