"""Benchmark: actors loaded into a large database, and the writes that come meanwhile.

    .venv/bin/python benchmarks/resolve_again.py [--rows 100000] [--before COMMIT]

Loading a scenario that adds actors resolves the names of every stored report again, and
classifies again the incidents whose exclusions they moved (docs/ledger.md, "Bulk work in
turns"). This times
``ceasefire load`` of two actors that the benchmark's UCDP rows name ("IS", "Government of
Syria": about two reports in three) into a copy of the database that
``import_classify.py --rows N --keep`` left, while another process files a signed report
every 50 ms, and says how long those writes took. The same is run with the code of
``--before`` (a git worktree, its ``src/`` first on the path), one after the other in
the same run, each on its own fresh copy. Prints a table; with ``--write``, it replaces
this benchmark's section of docs/benchmarks.md.
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

from _common import DATA, ROOT, code_version, command_line, table, write_section

ACTORS = """id: bench-actors
title: Actors the benchmark's rows name
parties:
- {id: us, name: United States, kind: state}
- {id: ru, name: Russian Federation, kind: state}
actors:
  - {id: isil, name: Islamic State, kind: designated, aliases: [IS, ISIL, ISIS]}
  - {id: syria-government, name: Government of Syria, kind: state_force}
"""

# a signed report every 50 ms until the file ``stop`` exists: when each ended, and its ms
PROBE = """
import os, sys, time
from datetime import date
from ceasefire.config import Settings
from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Report
from ceasefire.domain.precision import LocationPrecision
from ceasefire.secret_files import with_secret
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.store.database import Database
url, stop = sys.argv[1], sys.argv[2]
settings, _ = with_secret(Settings(database_url=url), create=False)
ledger = Ledger.from_settings(Database(url), settings)
day = date(2020, 3, 2)
n = 0
while not os.path.exists(stop):
    n += 1
    report = Report(source="probe", source_id=str(n), time=EventTime.dates(day, day),
                    location=EventLocation(36.2, 33.5, LocationPrecision.EXACT),
                    event_type="Battles", actors=(ActorMention("IS"),), narrative="probe")
    began = time.perf_counter()
    submit_report(ledger, report)
    print(time.time(), round((time.perf_counter() - began) * 1000, 1), flush=True)
    time.sleep(0.05)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    # code older than the database's schema cannot open it (4e8c0a7, before bulk work ran in
    # turns, stops at 0027; a55a248, the run at 52eeefa's before, at 0028; 557c1f6: 0029)
    parser.add_argument(
        "--before", default="557c1f6", help="the code to compare with (at the database's schema)"
    )
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    source = DATA / "import_classify" / f"rows{args.rows}-regimes1000-seed1" / "ours.sqlite"
    if not source.exists():
        sys.exit(f"no {source}: run benchmarks/import_classify.py --rows {args.rows} --keep")
    work = DATA / "resolve_again"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    before = work / "before"
    subprocess.run(["git", "worktree", "add", "-f", "--detach", str(before), args.before],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    rows = []
    try:
        for name, src in (("before", before / "src"), ("after", ROOT / "src")):
            label = f"{name} ({args.before})" if name == "before" else f"after ({code_version()})"
            rows.append([label, *run(work, name, source, src)])
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT)
    header = ["code", "load s", "writes meanwhile", "p50 ms", "p99 ms", "longest ms"]
    body = (
        f"## Actors loaded into a database of {args.rows:,} imported reports\n\n"
        f"```\n{command_line()}\n```\n\n"
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n\n" + table(header, rows)
    )
    print(body)
    if args.write:
        write_section(f"resolve_again rows={args.rows}", body)


def run(work: Path, name: str, source: Path, src: Path) -> list[str]:
    db = work / f"{name}.sqlite"
    shutil.copyfile(source, db)
    shutil.copyfile(f"{source}.secret", f"{db}.secret")
    env = {**os.environ, "PYTHONPATH": str(src)}
    url = f"sqlite:///{db}"
    stop = work / f"{name}.stop"
    log = (work / f"{name}.probe").open("w")
    probe = subprocess.Popen([sys.executable, "-c", PROBE, url, str(stop)], env=env, stdout=log)
    time.sleep(3)  # its first write, which loads the rules
    began = time.time()
    load = [sys.executable, "-c", "import sys; from ceasefire.cli import main; sys.exit(main())",
            "--db", url, "load", str(work / "actors.yaml")]  # fmt: skip
    subprocess.run(load, env=env, check=True, capture_output=True)
    ended = time.time()
    stop.touch()
    probe.wait()
    log.close()
    lines = (work / f"{name}.probe").read_text().splitlines()
    done = [(float(at), float(ms)) for at, ms in map(str.split, lines)]
    times = sorted(ms for at, ms in done if began < at - ms / 1000 < ended)  # begun meanwhile
    return [f"{ended - began:.1f}", str(len(times)), *_quantiles(times)]


def _quantiles(times: list[float]) -> list[str]:
    """p50, p99 and the longest of the writes begun while the load ran ("-": none)."""
    if not times:
        return ["-", "-", "-"]
    at = [times[min(len(times) - 1, int(q * len(times)))] for q in (0.5, 0.99)]
    return [f"{at[0]:.0f}", f"{at[1]:.0f}", f"{times[-1]:.0f}"]


if __name__ == "__main__":
    main()
