"""Benchmark 4: the live feed at 200 writes/s (target: a new potential violation reaches a
subscriber within 1 s, p99).

    .venv/bin/python benchmarks/feed.py [--rate 200] [--seconds 30] [--quick]

A real server (uvicorn, in this process's threads) serves an SQLite database with the Syria
scenario's cessation of hostilities. A writer files reports through the service at
``--rate`` per second (each report its own signed write, so each a potential violation: a
new incident inside Syria after the cessation's start). Side by side, two subscribers ask
for potential violations:

- ``GET /api/v1/stream`` (Server-Sent Events), the feed;
- the baseline: a client polling ``GET /api/v1/incidents?classification=potential_violation``
  once a second, as a map page or a script without a feed would.

Latency is from the write's commit (the service call returning) to the subscriber reading
the incident. The result is written to docs/benchmarks.md with this command.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import uvicorn
from _common import DATA, code_version, command_line, machine, table, write_section

from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.domain.events import EventLocation, EventTime, Report
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.workflow import Role
from ceasefire.ingest.scenario import load_scenario_file
from ceasefire.scenarios import DEMO_SCENARIOS
from ceasefire.services.accounts import Accounts
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store.database import Database

PORT = 8765
START = datetime(2016, 3, 1, 12, tzinfo=UTC)  # after the cessation began


def report(n: int) -> Report:
    """A report well inside Syria (Homs to Raqqa), each in a place of its own."""
    lon, lat = 37.0 + (n % 30) * 0.05, 34.6 + (n // 30 % 40) * 0.04
    when = START + timedelta(days=n // 3000, minutes=n % 3000)
    return Report(
        "bench",
        f"r{n}",
        EventTime(when, when, TimePrecision.EXACT),
        EventLocation(lon, lat, LocationPrecision.EXACT),
        event_type="Battles",
    )


def stream_client(token: str, seen: dict[int, float], stop: threading.Event) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request(
        "GET",
        "/api/v1/stream?classification=potential_violation",
        headers={"Authorization": f"Bearer {token}"},
    )
    response = conn.getresponse()
    while not stop.is_set():
        line = response.readline()
        if not line:
            break
        if line.startswith(b"data: "):
            incident = json.loads(line[6:])
            seen.setdefault(int(incident["id"]), time.perf_counter())
    conn.close()


def polling_client(token: str, seen: dict[int, float], stop: threading.Event) -> None:
    after = 0
    while not stop.wait(1.0):
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            path = "/api/v1/incidents?classification=potential_violation&limit=1000"
            if after:
                path += f"&cursor={encode(after)}"
            conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            page = json.loads(conn.getresponse().read())
            conn.close()
            now = time.perf_counter()
            for item in page["items"]:
                seen.setdefault(int(item["id"]), now)
                after = max(after, int(item["id"]))
            if not page["next_cursor"]:
                break


def encode(last_id: int) -> str:
    import base64

    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def percentiles(values: list[float]) -> tuple[float, float, float, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return at(0.5), at(0.95), at(0.99), ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--quick", action="store_true", help="5 s; prints only")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    folder = DATA / "feed"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feed.sqlite"
    for leftover in folder.glob("feed.sqlite*"):
        leftover.unlink()
    os.environ.setdefault("CEASEFIRE_LEDGER_SECRET", "bench")
    settings = Settings(database_url=f"sqlite:///{path}", checkpoint_interval=1.0)
    db = Database(settings.database_url)
    db.migrate()
    ledger = Ledger.from_settings(db, settings)
    syria = next(p for p in DEMO_SCENARIOS if p.name.startswith("syria"))
    load_scenario(ledger, load_scenario_file(syria))
    accounts = Accounts(db, memory_kib=1024)
    accounts.add_user("un", "bench", role=Role.OBSERVER, password=None)
    token = accounts.issue_token("bench")[1]

    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, db), port=PORT, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)

    stop = threading.Event()
    streamed: dict[int, float] = {}
    polled: dict[int, float] = {}
    clients = [
        threading.Thread(target=stream_client, args=(token, streamed, stop), daemon=True),
        threading.Thread(target=polling_client, args=(token, polled, stop), daemon=True),
    ]
    for client in clients:
        client.start()
    time.sleep(1.0)  # the stream is open

    committed: dict[int, float] = {}
    total = int(args.rate * seconds)
    began = time.perf_counter()
    behind = 0.0
    for n in range(total):
        due = began + n / args.rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            behind = max(behind, -pause)
        stored = submit_report(ledger, report(n), author="un")
        committed[stored.incident_id] = time.perf_counter()
    wrote = time.perf_counter() - began
    time.sleep(3.0)  # let the subscribers catch up
    stop.set()
    server.should_exit = True

    rows = []
    for name, seen in (
        ("`GET /api/v1/stream` (SSE)", streamed),
        ("baseline: polling the list every 1 s", polled),
    ):
        latencies = [seen[i] - t for i, t in committed.items() if i in seen]
        p50, p95, p99, worst = percentiles(latencies)
        rows.append(
            [
                name,
                f"{len(latencies):,} of {len(committed):,}",
                f"{p50 * 1000:.0f}",
                f"{p95 * 1000:.0f}",
                f"{p99 * 1000:.0f}",
                f"{worst * 1000:.0f}",
            ]
        )
    achieved = total / wrote
    result = table(["subscriber", "incidents seen", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows)
    stream_p99 = float(rows[0][4])
    verdict = "met" if stream_p99 <= 1000 and achieved >= 0.95 * args.rate else "NOT met"
    body = (
        "## Live feed\n\n"
        f"```\n{command_line()}\n```\n\n"
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {code_version()}. "
        + "; ".join(f"{k} {v}" for k, v in machine())
        + ".\n\n"
        f"{total:,} reports, each its own signed write, at {args.rate:.0f}/s asked, "
        f"{achieved:.0f}/s achieved (the writer fell at most {behind * 1000:.0f} ms behind); "
        "SQLite, checkpoints every second, the feed looking every 0.25 s.\n\n"
        f"{result}\n\n"
        f"**Target** (a new potential violation reaches a subscriber within 1 s, p99, at "
        f"{args.rate:.0f} writes/s): **{verdict}** — p99 {stream_p99:.0f} ms at "
        f"{achieved:.0f} writes/s.\n"
    )
    print(body)
    if not args.quick:
        write_section("feed", body)


if __name__ == "__main__":
    main()
