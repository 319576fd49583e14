"""Build the database a release writes, kept as a test fixture of upgrades.

Run by hand, from the repository, at the release's commit (it uses that release's code):

    .venv/bin/python scripts/build_release_fixture.py 0.1.0 \
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

It loads the demo, then, over the release's own HTTP API, files a report under the Syrian
agreement, records both co-chairs' assessments of its incident, proposes a response
measure, agrees it and comments on it, and records an access restriction. It writes
``tests/fixtures/releases/<version>/demo.sqlite.xz`` and, with ``--postgres``, a plain
``pg_dump`` of the same on PostgreSQL (``demo.postgresql.sql.xz``, schema
``release_fixture``). ``tests/store/test_upgrades.py`` upgrades each with ``ceasefire init``
and verifies its ledger. The keys are sealed with ``SECRET`` at the least scrypt cost.
"""

from __future__ import annotations

import argparse
import lzma
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "releases"
SECRET = "release fixture secret"
SCHEMA = "release_fixture"
ENV = {
    "CEASEFIRE_LEDGER_SECRET": SECRET,
    "CEASEFIRE_LEDGER_SEAL_COST": "10",
    "CEASEFIRE_PASSWORD_MEMORY_KIB": "8",
    "CEASEFIRE_HOST_PARTY": "un",
}
REPORT = {
    "source": "us-centre",
    "source_id": "release-fixture-1",
    "date_start": "2016-03-02",
    "lon": 36.29,
    "lat": 33.51,
    "event_type": "Explosions/Remote violence",
    "actors": [{"name": "Government of Syria", "role": "actor1"}],
    "narrative": "Shelling reported in Jobar.",
    "agreement": "syria-coh-2016",
}


def _ok(response: Any, status: int) -> dict[str, Any]:
    if response.status_code != status:
        sys.exit(f"{response.request.method} {response.request.url}: {response.text}")
    body: dict[str, Any] = response.json()
    return body


def _workflow(url: str, connect_args: dict[str, Any]) -> None:
    """The release's joint workflow over its own API, in this process."""
    from fastapi.testclient import TestClient

    from ceasefire.app import create_app
    from ceasefire.config import Settings
    from ceasefire.store.database import Database

    db = Database(url, connect_args=connect_args)
    app = create_app(Settings(database_url=url, deliver_webhooks=False), db)
    with TestClient(app) as http:
        users = {}
        for user in ("us-officer", "ru-officer"):
            signed = _ok(
                http.post("/api/v1/session", json={"username": user, "password": f"{user}-demo"}),
                200,
            )
            users[user] = {"X-CSRF-Token": signed["csrf_token"], "Cookie": _cookie(http)}
            http.cookies.clear()
        us, ru = users["us-officer"], users["ru-officer"]
        report = _ok(http.post("/api/v1/reports", json=REPORT, headers=us), 201)
        incident = report["incident_id"]
        assess = f"/api/v1/incidents/{incident}/assessments"
        finding = {"finding": "violation", "reasoning": "Shelling seen by the monitors."}
        _ok(http.post(assess, json={**finding, "attributed_actor_id": "sy-gov"}, headers=us), 201)
        _ok(http.post(assess, json=finding, headers=ru), 201)
        measure = _ok(
            http.post(
                f"/api/v1/incidents/{incident}/measures",
                json={
                    "kind": "communication",
                    "description": "Raise the shelling with the Syrian government.",
                    "owner_party": "ru",
                    "due": "2016-03-05",
                },
                headers=us,
            ),
            201,
        )
        measures = f"/api/v1/measures/{measure['id']}"
        _ok(http.post(f"{measures}/status", json={"status": "agreed"}, headers=ru), 200)
        _ok(http.post(f"{measures}/comments", json={"text": "Raised on 3 March."}, headers=ru), 201)
        restriction = {
            "patrol": "Team 2",
            "time": "2016-03-03T09:30:00+02:00",
            "lon": 36.3,
            "lat": 33.52,
            "denied_by": "Government of Syria",
            "reason": "security",
            "agreement": "syria-coh-2016",
        }
        _ok(http.post("/api/v1/restrictions", json=restriction, headers=us), 201)
    db.dispose()


def _cookie(http: Any) -> str:
    return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def _demo(url: str) -> None:
    env = {**os.environ, **ENV}
    ceasefire = Path(sys.executable).with_name("ceasefire")
    subprocess.run([str(ceasefire), "--db", url, "demo", "--no-serve"], env=env, check=True)


def _compress(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as raw, lzma.open(target, "wb", preset=9) as packed:
        shutil.copyfileobj(raw, packed)
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")


def build_sqlite(version: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sqlite"
        url = f"sqlite:///{path}"
        _demo(url)
        _workflow(url, {})
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        sqlite3.connect(path).execute("VACUUM")
        _compress(path, OUT / version / "demo.sqlite.xz")


def build_postgres(version: str, admin_url: str) -> None:
    from sqlalchemy import create_engine, text

    from ceasefire.store.database import normalize_url

    admin = create_engine(normalize_url(admin_url))
    with admin.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    options = f"-c search_path={SCHEMA},public"
    env = {**os.environ, **ENV, "PGOPTIONS": options}
    ceasefire = Path(sys.executable).with_name("ceasefire")
    subprocess.run([str(ceasefire), "--db", admin_url, "demo", "--no-serve"], env=env, check=True)
    os.environ.update(ENV)
    _workflow(admin_url, {"options": options})
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "demo.sql"
        plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", f"--schema={SCHEMA}", "-f", dump, plain],
            check=True,
        )
        _compress(dump, OUT / version / "demo.postgresql.sql.xz")
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", help="the release, e.g. 0.1.0")
    parser.add_argument("--postgres", help="a PostgreSQL database URL to build the dump in")
    args = parser.parse_args()
    os.environ.update(ENV)
    build_sqlite(args.version)
    if args.postgres:
        build_postgres(args.version, args.postgres)


if __name__ == "__main__":
    main()
