"""Benchmark 1b: the floor under an import, what SQLite takes to store its rows alone.

    .venv/bin/python benchmarks/store_floor.py [--copies 10] [--write]

How long SQLite takes to insert the rows that ``ceasefire import events`` stores for
1,000,000 UCDP GED rows, with no other work: no parsing, validation, correlation,
classification or signing, only ``executemany`` of rows built beforehand. The rows are those
of section 1's 100,000-row import (``import_classify.py --rows 100000 --keep`` leaves its
database in benchmarks/.data/import_classify/rows100000-regimes1000-seed1/), ``--copies``
times over with new ids, inserted in transactions of 20,000 rows into a fresh file with the
same schema and the import's settings (WAL, ``synchronous=NORMAL``, a 64 MB page cache).
Four variants, each in a child process of its own:

- **as stored today**: reports, incidents (with their R*Tree), incident–regime pairs, and
  the ledger's leaf and subtree hashes of every report, indexes kept up as rows go in;
- **indexes after**: the same rows, the indexes, triggers and R*Tree built after the load;
- **one ledger entry a batch**: no leaf or subtree rows a report (an entry a batch that
  commits to its rows' states), indexes after;
- **reports alone**: one row a source row, as the baseline's events table, indexes after.

The baseline (benchmarks/baseline_import.py: pandas, geopandas.sjoin and to_sql) imports
the 1,000,000-row file of section 1 in the same run (generated when missing). A full run
(the defaults) rewrites its section of docs/benchmarks.md; ``--write`` writes another.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DATA,
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
from import_classify import REGIMES, SEED, TARGET_ROWS, data_dir, generate

SOURCE = data_dir(100_000, REGIMES, SEED) / "ours.sqlite"  # import_classify.py --keep's
FULL = data_dir(TARGET_ROWS, REGIMES, SEED)
FOLDER = DATA / "store_floor"
CHUNK = 20_000  # rows a transaction
ID_STEP = 10_000_000  # each copy's ids are the source's plus its number times this
LEDGER = ("ledger_entries", "ledger_subtrees")
STORED = ("reports", "incidents", "incident_regimes", *LEDGER)
VARIANTS = {
    "today": ("as stored today", STORED, False),
    "indexes-after": ("indexes after", STORED, True),
    "batch-entries": ("one ledger entry a batch, indexes after", STORED[:3], True),
    "reports-alone": ("reports alone, indexes after", ("reports",), True),
}
# what makes a copy's row new: its key columns shifted, its source id suffixed
SHIFTED = {
    "reports": ("id", "incident_id"),
    "incidents": ("id",),
    "incident_regimes": ("incident_id",),
    "ledger_entries": ("sequence",),
    "ledger_subtrees": ("index",),
}


def _statements(source: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The source's schema: (tables, everything else: indexes, triggers), as SQL."""
    tables, later = [], []
    for kind, name, sql in source.execute("SELECT type, name, sql FROM sqlite_master"):
        if sql is None or name.startswith("sqlite_") or name.startswith("incidents_rtree_"):
            continue  # internal, or the R*Tree's own shadow tables
        (tables if kind == "table" else later).append(sql)
    return tables, later


def _copies(
    table: str, cols: list[str], rows: list[tuple[object, ...]], copies: int
) -> Iterator[list[tuple[object, ...]]]:
    """The rows of each copy, CHUNK at a time."""
    shifted = [cols.index(c) for c in SHIFTED[table]]
    suffixed = cols.index("source_id") if table == "reports" else None
    for copy in range(copies):
        for start in range(0, len(rows), CHUNK):
            out = []
            for row in rows[start : start + CHUNK]:
                values = list(row)
                for i in shifted:
                    if values[i] is not None:
                        values[i] += copy * ID_STEP  # type: ignore[operator]
                if suffixed is not None:
                    values[suffixed] = f"{values[suffixed]}-{copy}"
                out.append(tuple(values))
            yield out


def run_variant(variant: str, copies: int, target: Path) -> None:
    """Child: store ``copies`` copies of the source's rows as ``variant`` says; print the
    seconds of the inserts and of building the indexes after."""
    _, tables, late = VARIANTS[variant]
    source = sqlite3.connect(f"file:{SOURCE}?mode=ro", uri=True)
    data = {}
    for name in tables:
        cursor = source.execute(f'SELECT * FROM "{name}"')
        data[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    created, later = _statements(source)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-65536")
    for sql in created:
        db.execute(sql)
    if not late:
        for sql in later:
            db.execute(sql)
    began = time.perf_counter()
    for name, (cols, rows) in data.items():
        names = ", ".join(f'"{c}"' for c in cols)
        insert = f'INSERT INTO "{name}" ({names}) VALUES ({", ".join("?" * len(cols))})'
        for chunk in _copies(name, cols, rows, copies):
            db.execute("BEGIN")
            db.executemany(insert, chunk)
            db.execute("COMMIT")
    inserted = time.perf_counter()
    if late:
        db.execute("BEGIN")
        for sql in later:
            db.execute(sql)
        if "incidents" in data:
            db.execute(
                "INSERT INTO incidents_rtree SELECT id, lon, lon, lat, lat, "
                "julianday(time_start) - 2440587.5, julianday(time_end) - 2440587.5 "
                "FROM incidents"
            )
        db.execute("COMMIT")
    done = time.perf_counter()
    db.close()
    rows_stored = sum(len(rows) for _, rows in data.values()) * copies
    size = target.stat().st_size
    print(f"{inserted - began:.3f} {done - inserted:.3f} {rows_stored} {size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--variant", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help="write a partial run's section")
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    if args.variant:
        run_variant(args.variant, args.copies, FOLDER / f"{args.variant}.sqlite")
        return
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: run import_classify.py --rows 100000 --keep first")
    python = str(VENV_BIN / "python")
    results = []
    for variant, (label, _, _) in VARIANTS.items():
        log = FOLDER / f"{variant}.log"
        argv = [python, __file__, "--variant", variant, "--copies", str(args.copies)]
        measured = run_measured(argv, log)
        check(measured, variant, log)
        inserts, indexes, rows, size = log.read_text().split()[-4:]
        results.append((label, float(inserts), float(indexes), int(rows), int(size)))
        (FOLDER / f"{variant}.sqlite").unlink()
        print(f"{label}: {float(inserts) + float(indexes):.1f} s", flush=True)
    baseline = _baseline()
    print(f"baseline: {baseline:.1f} s")
    body = _section(args.copies, results, baseline)
    print(body)
    if args.copies == 10 or args.write:
        write_section("store_floor", body)
        write_machine()
        print("written to docs/benchmarks.md")


def _baseline() -> float:
    """Seconds of the baseline on the 1,000,000-row file (generated when missing)."""
    generate(FULL, TARGET_ROWS, REGIMES, SEED)
    rows, scenario = FULL / "rows.csv", FULL / "scenario.yaml"
    target = FOLDER / "baseline.sqlite"
    target.unlink(missing_ok=True)
    log = FOLDER / "baseline.log"
    script = str(ROOT / "benchmarks" / "baseline_import.py")
    argv = [str(VENV_BIN / "python"), script, str(scenario), str(rows), f"sqlite:///{target}"]
    measured = run_measured(argv, log)
    check(measured, "baseline", log)
    target.unlink()
    return measured.seconds


def _section(copies: int, results: list[tuple[str, float, float, int, int]], base: float) -> str:
    rows = [
        [
            label,
            f"{rows:,}",
            f"{inserts:.1f}",
            f"{indexes:.1f}",
            f"**{inserts + indexes:.1f}**",
            f"{(inserts + indexes) / base:.2f}x",
            f"{size / 1e6:,.0f}",
        ]
        for label, inserts, indexes, rows, size in results
    ]
    rows.append(["**baseline: pandas + geopandas.sjoin + to_sql**", "", "", "", f"**{base:.1f}**",
                 "1.00x", ""])  # fmt: skip
    header = ["stored", "rows", "inserts s", "indexes after s", "total s", "/ baseline",
              "database MB"]  # fmt: skip
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return (
        f"## The floor under an import: storing {copies * 100_000:,} reports' rows and nothing"
        f" else\n\n```\n{command_line()}\n```\n\nRun {when}; code: {code_version()}; the rows of"
        f" the 100,000-row import, {copies} times over.\n\n" + table(header, rows) + "\n"
    )


if __name__ == "__main__":
    main()
