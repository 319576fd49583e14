"""Benchmark 5: signed report writes against a live server, alone and during a bulk import
(targets: >= 500 writes/s with 16 clients on 2 cores, p99 <= 100 ms; p99 <= 250 ms while a
1,000,000-row import runs).

    .venv/bin/python benchmarks/writes.py [--databases sqlite,postgresql] [--seconds 10]
        [--clients 1,4,16,64] [--import-rows 1000000] [--workers 2] [--quick] [--write]

For each database, the demo is loaded (``ceasefire demo --no-serve``) and served by
benchmarks/_serve.py (``ceasefire serve``'s app on uvicorn, ``--workers`` processes, each
accepting on a socket of its own as ``ceasefire serve`` does: ``cli/workers.py``).
Client processes (4, each with its share of threads, keep-alive HTTP/1.1) file reports as
us-officer with an API token, each a new signed write (``POST /api/v1/reports``), for
``--seconds`` at each number of clients, and time every request from send to response.
The same runs are made against the same route with the ledger's work (entries,
signatures, appends, checkpoints) replaced by a no-op: the difference is the ledger's
share. Then the same again while
``ceasefire import events`` stores ``--import-rows`` generated UCDP GED rows into the same
database from another process. The results go to docs/benchmarks.md with this command,
for a full run only (the defaults; ``--port`` and ``--pg-database`` aside): a partial run
prints them, and writes them only with ``--write``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DATA,
    DEFAULT_POSTGRES_SERVER,
    ROOT,
    VENV_BIN,
    code_version,
    command_line,
    machine,
    table,
    write_section,
)

FOLDER = DATA / "writes"
PORT = 8791  # --port changes it
PG_DATABASE = "ceasefire_bench_writes"  # --pg-database changes it
PROCESSES = 4
WORKERS = 2  # server processes (ceasefire serve --workers); --workers changes it
ENV = {
    "CEASEFIRE_LEDGER_SECRET": "benchmark secret",
    "CEASEFIRE_LEDGER_SEAL_COST": "10",
    "CEASEFIRE_HOST_PARTY": "un",
    "CEASEFIRE_PASSWORD_MEMORY_KIB": "8",
}
Result = dict[str, float]


def ceasefire(url: str, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "ceasefire"), "--db", url, *args],
        env={**os.environ, **ENV},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout if capture else ""


def fresh_database(kind: str) -> str:
    """An empty database of this kind for the demo; its URL."""
    if kind == "sqlite":
        path = FOLDER / "demo.sqlite"
        for suffix in ("", "-wal", "-shm", ".writer.lock", ".writer.waiting"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine, text

    server = os.environ.get("CEASEFIRE_BENCH_POSTGRES") or DEFAULT_POSTGRES_SERVER
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE}"))
        conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + f"/{PG_DATABASE}"


@contextmanager
def serving(url: str, *, ledger: bool) -> Iterator[int]:
    """The server running, its process id given."""
    argv = [sys.executable, str(ROOT / "benchmarks" / "_serve.py"), url, str(PORT)]
    argv += ["--workers", str(WORKERS)]
    log = (FOLDER / f"server{'' if ledger else '-no-ledger'}.log").open("w")
    server = subprocess.Popen(
        [*argv, *([] if ledger else ["--no-ledger"])],
        env={**os.environ, **ENV},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(1200):  # up to 2 minutes: a loaded machine starts it slowly
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
                conn.request("GET", "/docs")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit(f"the server did not start: see {log.name}")
        yield server.pid
    finally:
        server.terminate()
        server.wait(30)
        log.close()


class _Connection:
    """A keep-alive HTTP/1.1 connection that sends a request and reads the whole answer,
    with as little work as the client can do (http.client parses every answer's headers
    with the email package): the load generator shares the server's 2 cores."""

    def __init__(self, port: int, token: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.head = (
            "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            "Content-Length: "
        ).encode()
        self.buffer = b""

    def post(self, body: bytes) -> int:
        """Send one report; the answer's status, once all of it has arrived."""
        self.sock.sendall(self.head + str(len(body)).encode() + b"\r\n\r\n" + body)
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self.buffer += self._receive()
        head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
        lines = head.split(b"\r\n")
        length = next(
            int(line.split(b":", 1)[1]) for line in lines if line[:15].lower() == b"content-length:"
        )
        while len(self.buffer) < length:
            self.buffer += self._receive()
        self.buffer = self.buffer[length:]
        return int(lines[0].split(b" ", 2)[1])

    def _receive(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk


def _client(args: tuple[str, int, int, float, str, int]) -> tuple[list[float], int, float]:
    """One client process: ``threads`` keep-alive connections filing reports for
    ``seconds``; the latency of each write, how many failed, and the CPU time it took."""
    import threading

    token, proc, threads, seconds, tag, port = args
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    cpu = time.process_time()
    stop_at = time.perf_counter() + seconds

    def run(thread: int) -> None:
        conn = _Connection(port, token)
        n = 0
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < stop_at:
            n += 1
            spot = (proc * 1000 + thread * 37 + n) % 4000
            body = json.dumps(
                {
                    "source": "bench",
                    "source_id": f"{tag}-{proc}-{thread}-{n}",
                    "date_start": f"2016-0{3 + spot % 6}-{1 + spot % 28:02d}",
                    "lon": 36.0 + (spot % 80) * 0.05,
                    "lat": 33.0 + (spot // 80) * 0.05,
                    "event_type": "Explosions/Remote violence",
                    "narrative": "benchmark write",
                    "agreement": "syria-coh-2016",
                }
            ).encode()
            began = time.perf_counter()
            status = conn.post(body)
            mine.append(time.perf_counter() - began)
            failed += status != 201
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    workers = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return latencies, failures[0], time.process_time() - cpu


def _postmaster() -> int:
    """The pid of a PostgreSQL server on this machine, whose processes' CPU time is counted
    beside the server's (0: none here)."""
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)
                command = fields[0].split("(", 1)[1]
            except (OSError, IndexError):
                continue
            if command in ("postgres", "postmaster") and fields[1].split()[1] == "1":
                return int(name)
    return 0


POSTMASTER = _postmaster()


def tree_cpu(root: int) -> float:
    """CPU seconds (user and system) that process ``root`` and its descendants alive now have
    used (Linux /proc). The server's per write is a steadier measure of what the code costs
    than writes/s, on a machine whose speed drifts by a fifth within an hour."""
    found: dict[int, tuple[int, int]] = {}  # pid: (parent, clock ticks)
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            found[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, (parent, _) in found.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(found[pid][1] for pid in tree if pid in found) / os.sysconf("SC_CLK_TCK")


def load(token: str, clients: int, seconds: float, tag: str, server: int) -> Result:
    """``clients`` clients filing reports for ``seconds`` against the server ``server``."""
    used, database = tree_cpu(server), tree_cpu(POSTMASTER) if POSTMASTER else 0.0
    processes = min(PROCESSES, clients)
    shares = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        done = pool.map(
            _client,
            [(token, p, shares[p], seconds, f"{tag}-{clients}", PORT) for p in range(processes)],
        )
    latencies = sorted(x for part, _, _ in done for x in part)
    used = tree_cpu(server) - used
    database = (tree_cpu(POSTMASTER) - database) if POSTMASTER else 0.0
    failures = sum(f for _, f, _ in done)
    cpu = sum(c for _, _, c in done)
    if not latencies:
        nothing = {"rate": 0.0, "p50": 0.0, "p99": 0.0, "client": 0.0, "server": 0.0}
        return nothing | {"failures": float(failures)}
    return {
        "rate": len(latencies) / seconds,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "failures": float(failures),
        "client": cpu / len(latencies) * 1000,  # the client's CPU ms per write
        "server": used / len(latencies) * 1000,  # the server's
        "database": database / len(latencies) * 1000,  # PostgreSQL's (all its processes)
    }


def said(tag: str, key: str, r: Result) -> None:
    print(
        f"  {tag:>6} {key:>12}: {r['rate']:7.1f} writes/s, p50 {r['p50']:7.1f} ms, "
        f"p99 {r['p99']:7.1f} ms, {r['failures']:.0f} failed; server CPU "
        f"{r['server']:.2f} ms a write, PostgreSQL's {r.get('database', 0.0):.2f}",
        flush=True,
    )


def sweep(url: str, token: str, clients: list[int], seconds: float, tag: str) -> dict[str, Result]:
    results: dict[str, Result] = {}
    for ledger in (True, False):
        with serving(url, ledger=ledger) as server:
            load(token, 1, 1.0, f"{tag}-warm-{ledger}", server)
            for n in clients:
                key = f"{n}/{'ledger' if ledger else 'no-op'}"
                results[key] = load(token, n, seconds, f"{tag}-{key}", server)
                said(tag, key, results[key])
    return results


def generated(rows: int) -> Path:
    path = FOLDER / f"import-{rows}.csv"
    if not path.exists():
        code = (
            "import sys; sys.path.insert(0, 'benchmarks'); from pathlib import Path; "
            f"from _generate import write_ucdp_csv; write_ucdp_csv(Path('{path}'), {rows}, 5)"
        )
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return path


@contextmanager
def importing(url: str, rows: int, source: str) -> Iterator[None]:
    """``ceasefire import events`` of ``rows`` rows in another process, well under way."""
    argv = [str(VENV_BIN / "ceasefire"), "--db", url, "import", "events", str(generated(rows))]
    argv += ["--format", "ucdp", "--source", source]
    log = (FOLDER / f"import-{source}.log").open("w")
    child = subprocess.Popen(argv, env={**os.environ, **ENV}, stdout=log, stderr=subprocess.STDOUT)
    time.sleep(15)  # past reading the first chunks
    try:
        yield
        if child.poll() is not None:
            print(f"  warning: the import ended before the load did (see {log.name})")
    finally:
        child.terminate()
        child.wait(60)
        log.close()


def run(kind: str, clients: list[int], seconds: float, rows: int) -> dict[str, Result]:
    """Alone, then (unless ``rows`` is 0) during an import of ``rows`` rows."""
    url = fresh_database(kind)
    print(f"{kind}: loading the demo", flush=True)
    ceasefire(url, "demo", "--no-serve")
    token = ceasefire(url, "users", "token", "us-officer", capture=True).strip()
    results = {f"alone {k}": v for k, v in sweep(url, token, clients, seconds, "alone").items()}
    for ledger in (True, False) if rows else ():
        source = f"bench-import-{'ledger' if ledger else 'noop'}"
        with importing(url, rows, source), serving(url, ledger=ledger) as server:
            load(token, 1, 1.0, f"import-warm-{ledger}", server)
            for n in clients:
                key = f"{n}/{'ledger' if ledger else 'no-op'}"
                results[f"import {key}"] = load(token, n, seconds, f"import-{key}", server)
                said("import", key, results[f"import {key}"])
    return results


def section(
    results: dict[str, dict[str, Result]], clients: list[int], args: argparse.Namespace
) -> str:
    rows = []
    for kind, found in results.items():
        for when in ("alone", "import"):
            for n in clients:
                with_ledger, noop = found.get(f"{when} {n}/ledger"), found.get(f"{when} {n}/no-op")
                if with_ledger is None or noop is None:
                    continue
                rows.append(
                    [
                        kind,
                        "alone" if when == "alone" else f"during a {args.import_rows:,}-row import",
                        str(n),
                        f"{with_ledger['rate']:.0f}",
                        f"{with_ledger['p50']:.1f}",
                        f"{with_ledger['p99']:.1f}",
                        f"{noop['rate']:.0f}",
                        f"{noop['p50']:.1f}",
                        f"{noop['p99']:.1f}",
                        f"{with_ledger['failures'] + noop['failures']:.0f}",
                        f"{with_ledger.get('server', 0.0):.2f}",
                        f"{with_ledger.get('database', 0.0):.2f}" if kind == "postgresql" else "",
                        f"{with_ledger.get('client', 0.0):.2f}",
                    ]
                )
    header = [
        "database", "when", "clients", "writes/s", "p50 ms", "p99 ms",
        "no-op ledger: writes/s", "p50 ms", "p99 ms", "failed",
        "server CPU ms/write", "PostgreSQL CPU ms/write", "client CPU ms/write",
    ]  # fmt: skip
    return (
        "## Signed writes against a live server\n\n"
        f"`{command_line()}` — {code_version()}\n\n"
        f"Each cell: {args.seconds:g} s of `POST /api/v1/reports` by us-officer (API token),\n"
        "keep-alive HTTP/1.1 from 4 client processes on the same machine (raw sockets; the\n"
        "last column is their CPU time per write, taken from the same 2 cores), each write a\n"
        f"new signed report; the server is `ceasefire serve --workers {WORKERS}` (uvicorn, a\n"
        "listening socket each); its CPU time per write (its processes' user and system time,\n"
        "with the ledger) is steadier than writes/s on a machine whose speed drifts, and\n"
        "PostgreSQL's (all its processes', on the same cores) is beside it.\n"
        "The no-op columns are the same route in the same run with the ledger's entries,\n"
        "signatures, appends and checkpoints replaced by a no-op.\n\n"
        + table(header, rows)
        + "\n\nTargets: >= 500 writes/s with 16 clients, p99 <= 100 ms; p99 <= 250 ms during\n"
        "the import.\n\n" + table(["", ""], [[k, v] for k, v in machine()])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", default="1,4,16,64")
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=WORKERS, help="server processes")
    parser.add_argument("--quick", action="store_true", help="3 s per cell, 100,000 rows")
    parser.add_argument("--port", type=int, default=PORT, help="the server's port")
    parser.add_argument(
        "--pg-database", default=PG_DATABASE, help="PostgreSQL database (made afresh)"
    )
    parser.add_argument("--no-import", action="store_true", help="alone only (while iterating)")
    parser.add_argument(
        "--write", action="store_true", help="write a partial run's section to docs/benchmarks.md"
    )
    args = parser.parse_args()
    globals().update(WORKERS=args.workers, PORT=args.port, PG_DATABASE=args.pg_database)
    if args.quick:
        args.seconds, args.import_rows = 3.0, 100_000
    FOLDER.mkdir(parents=True, exist_ok=True)
    clients = [int(c) for c in args.clients.split(",")]
    rows = 0 if args.no_import else args.import_rows
    results = {kind: run(kind, clients, args.seconds, rows) for kind in args.databases.split(",")}
    if args.no_import:
        return  # printed only: the section shows both
    defaults = parser.parse_args([])
    partial = [
        f"--{name.replace('_', '-')}"
        for name in ("databases", "seconds", "clients", "import_rows", "workers", "quick")
        if getattr(args, name) != getattr(defaults, name)
    ]
    if partial and not args.write:  # a run while iterating must not replace the full run's
        print(f"not written to docs/benchmarks.md: a partial run ({', '.join(partial)}); --write")
        return
    write_section("writes", section(results, clients, args))
    print(f"written to {Path('docs/benchmarks.md')}")


if __name__ == "__main__":
    main()
