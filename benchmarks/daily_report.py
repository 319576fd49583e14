"""Benchmark 8: the daily report over 30 days of history with 100,000 incidents — the time
to build and render one day's report as HTML and as PDF (target: <= 10 s each), against a
baseline that only reads the day's incidents and writes them out as a plain HTML table.

    .venv/bin/python benchmarks/daily_report.py [--rows 100000] [--runs 3]

The demo is loaded into an SQLite file and ``--rows`` generated UCDP GED events are
imported on top (kept in benchmarks/.data/daily/ for the next run): spread over the 30 days
up to 1 March 2016 and placed over Syria, so the Syrian cessation's regimes bear on them
(about 3,300 a day). Each run builds the report of 1 March 2016 for the agreement's
parties, in Arabic (the slowest text to set), in this process; the median of ``--runs`` is
reported. The results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pypdfium2
from _common import DATA, code_version, command_line, machine, table, write_section
from _generate import ucdp_frame
from writes import ceasefire

from ceasefire.domain.daily import DEFAULT_CUTOFF, window
from ceasefire.domain.filters import IncidentFilter
from ceasefire.reports.daily import agreement_audience
from ceasefire.reports.documents import daily_document
from ceasefire.services import queries
from ceasefire.store.database import Database

FOLDER = DATA / "daily"
AGREEMENT = "syria-coh-2016"
DAY = date(2016, 3, 1)
FIRST = pd.Timestamp("2016-01-31")  # the 30 days of the trend: 31 Jan (after 19:30) to 1 Mar


def events(rows: int, seed: int = 8) -> Path:
    """``rows`` generated UCDP GED events in the 30 days up to DAY, over Syria."""
    path = FOLDER / f"events-{rows}.csv"
    if path.exists():
        return path
    FOLDER.mkdir(parents=True, exist_ok=True)
    frame = ucdp_frame(rows, seed, first_id=5_000_000)
    rng = np.random.default_rng(seed)
    days = rng.integers(1, 31, rows)
    starts = FIRST + pd.to_timedelta(days, unit="D")
    frame["date_prec"] = 1
    frame["date_start"] = starts.strftime("%Y-%m-%d 00:00:00.000")
    frame["date_end"] = frame["date_start"]
    frame["year"] = starts.year
    # inside Syria's west and north, where the cessation and the local truces lie
    frame["longitude"] = np.round(rng.uniform(36.2, 40.5, rows), 5)
    frame["latitude"] = np.round(rng.uniform(33.0, 36.8, rows), 5)
    frame["where_prec"] = rng.choice([1, 2], rows, p=[0.4, 0.6])
    frame["country"] = "Syria"
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def database(rows: int) -> Database:
    path = FOLDER / f"daily-{rows}.sqlite"
    if not path.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        partial = Path(f"{path}.partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{partial}"
        print(f"loading the demo and importing {rows:,} generated events (once)", flush=True)
        ceasefire(url, "demo", "--no-serve")
        ceasefire(url, "import", "events", str(events(rows)), "--format", "ucdp")
        Database(url).dispose()
        partial.rename(path)
    return Database(f"sqlite:///{path}")


def timed(runs: int, make: object) -> tuple[float, object]:
    assert callable(make)
    seconds, made = [], None
    for _ in range(runs):
        started = time.perf_counter()
        made = make()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), made


def baseline(db: Database) -> bytes:
    """The day's incidents read through the same query and written as a bare table."""
    zone = queries.get_agreement(db, AGREEMENT).time_zone
    span = window(DAY, DEFAULT_CUTOFF, zone)
    f = IncidentFilter(agreement_id=AGREEMENT, start=span.start, end=span.end, limit=10_000)
    rows = [
        f"<tr><td>{i.id}</td><td>{i.time_start:%Y-%m-%d}</td>"
        f"<td>{html.escape(i.place or '')}</td><td>{i.classification.value}</td></tr>"
        for i in queries.list_incidents(db, f, agreement_audience(AGREEMENT))
        if span.start <= i.time_start < span.end
    ]
    return ("<table>" + "".join(rows) + "</table>").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = database(args.rows)
    audience = agreement_audience(AGREEMENT)
    with db.read() as conn:
        total = int(conn.exec_driver_sql("SELECT count(*) FROM incidents").scalar_one())

    def build(form: str) -> object:
        return daily_document(db, AGREEMENT, DAY, DEFAULT_CUTOFF, audience, "ar", form)

    results = []
    report = None
    for form in ("html", "pdf"):
        seconds, made = timed(args.runs, lambda form=form: build(form))
        body, report = made  # type: ignore[misc]
        results.append((form, seconds, len(body)))
        print(f"{form}: {seconds:.2f} s (median of {args.runs}), {len(body):,} bytes", flush=True)
    base_seconds, _table = timed(args.runs, lambda: baseline(db))
    print(f"baseline table: {base_seconds:.2f} s", flush=True)
    assert report is not None
    document = pypdfium2.PdfDocument(build("pdf")[0])  # type: ignore[index]
    pages = f"{len(document)} pages"
    document.close()
    rows = [
        [
            f"report, {form}",
            f"{seconds:.2f} s",
            f"{size / 1e6:.1f} MB" + (f", {pages}" if form == "pdf" else ""),
        ]
        for form, seconds, size in results
    ]
    rows.append(["baseline: the day's incidents as a bare table", f"{base_seconds:.2f} s", ""])
    machine_line = "; ".join(f"{k}: {v}" for k, v in machine())
    body = f"""## 8. The daily report: 30 days, {total:,} incidents

Command: `{command_line()}` · code {code_version()}

{total:,} incidents in an SQLite file (the demo and {args.rows:,} generated UCDP GED events
over Syria in the 30 days up to 1 March 2016). The report of 1 March 2016 for the parties of
the Syrian cessation, in Arabic: {report.total:,} incidents that day ({report.listed:,}
listed, {len(report.mapped):,} on the map), the 30-day trend of {len(report.trends)}
regimes. Each figure is the median of {args.runs} runs in one process, from the query to
the bytes. Baseline: the same day's incidents read through the incident query and written
as a bare HTML table.

{table(["what", "median", "size"], rows)}

Target: ≤ 10 s each. Machine: {machine_line}
"""
    write_section("daily", body)
    print("wrote docs/benchmarks.md", file=sys.stderr)


if __name__ == "__main__":
    main()
