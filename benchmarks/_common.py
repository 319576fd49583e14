"""Shared helpers of the benchmarks: data folder, measured child processes, the machine,
and writing results into docs/benchmarks.md (one marked section per benchmark run)."""

from __future__ import annotations

import os
import platform
import re
import shlex
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
DOC = ROOT / "docs" / "benchmarks.md"
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True, slots=True)
class Measured:
    """One child process: wall-clock seconds, its own peak RSS, exit status."""

    seconds: float
    peak_rss_mb: float
    returncode: int


def run_measured(argv: list[str], log: Path, *, cwd: Path | None = None) -> Measured:
    """Run ``argv`` as a child with stdout+stderr to ``log``; os.wait4 gives the rusage of
    this child alone (ru_maxrss in KiB on Linux), so each child is measured separately."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        out.write("$ " + shlex.join(argv) + "\n")
        out.flush()
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    return Measured(seconds, usage.ru_maxrss / 1024, child.returncode)


def check(measured: Measured, what: str, log: Path) -> None:
    if measured.returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-20:])
        sys.exit(f"{what} failed with status {measured.returncode}; log {log}:\n{tail}")


def command_line() -> str:
    """The command that reproduces this run, relative to the repository root."""
    script = Path(sys.argv[0]).resolve().relative_to(ROOT)
    return shlex.join([".venv/bin/python", str(script), *sys.argv[1:]])


def code_version() -> str:
    """The commit, and a digest of src/ when the working tree differs from it (other
    engineers change the code between runs: this says which code a number belongs to)."""
    import hashlib

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    dirty = bool(git("status", "--porcelain", "--", "src"))
    return f"commit {commit}" + (
        f" + uncommitted changes (src/*.py sha256 {digest.hexdigest()[:12]})" if dirty else ""
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


DEFAULT_POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_version(url: str | None = None) -> str:
    """The server's version (and PostGIS's, when the database has it), or why not known."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    url = url or os.environ.get("CEASEFIRE_BENCH_POSTGRES") or DEFAULT_POSTGRES_SERVER
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar())
            postgis = conn.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
            available = conn.execute(
                text("SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'")
            ).scalar()
    except SQLAlchemyError:
        return "not reachable"
    finally:
        engine.dispose()
    gis = postgis or available
    return version + (f", PostGIS {gis}" if gis else ", no PostGIS")


def machine(postgres_url: str | None = None) -> list[tuple[str, str]]:
    import geopandas
    import pandas
    import shapely
    import sqlalchemy

    return [
        ("CPUs (nproc)", str(os.cpu_count())),
        ("CPU", _cpu_model()),
        ("RAM", _ram_gb()),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("SQLite (Python's sqlite3)", sqlite3.sqlite_version),
        ("PostgreSQL", postgres_version(postgres_url)),
        (
            "libraries",
            f"SQLAlchemy {sqlalchemy.__version__}, pandas {pandas.__version__}, "
            f"geopandas {geopandas.__version__}, shapely {shapely.__version__}",
        ),
    ]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


_INTRO = """# Benchmarks

Run by hand, not in CI. Each benchmark runs the baseline side by side in the same run,
prints its results and rewrites its own section below (marked by HTML comments) together
with the command that reproduces it. Generated data lives in `benchmarks/.data/`
(git-ignored).
"""


def write_section(key: str, body: str) -> None:
    """Replace (or append) the section ``key`` of docs/benchmarks.md."""
    begin, end = f"<!-- begin {key} -->", f"<!-- end {key} -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _INTRO
    block = f"{begin}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _m: block, text)
        if pattern.search(text)
        else (text.rstrip() + "\n\n" + block + "\n")
    )
    DOC.write_text(text, encoding="utf-8")


def write_machine(postgres_url: str | None = None) -> None:
    rows = [[name, value] for name, value in machine(postgres_url)]
    write_section("machine", "## Machine\n\n" + table(["", ""], rows))
