"""Serve the app for benchmarks/writes.py, as ``ceasefire serve`` does, optionally with the
ledger's work replaced by a no-op (``--no-ledger``: a write signs, appends and checkpoints
nothing), so the two can be measured against the same route in the same run. Never use
``--no-ledger`` outside a benchmark: its writes are in no ledger.

    python benchmarks/_serve.py DATABASE_URL PORT [--no-ledger] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fastapi import FastAPI

from ceasefire.app import create_app, settle_collector
from ceasefire.cli import workers
from ceasefire.config import Settings
from ceasefire.store.database import Database

NO_LEDGER = "CEASEFIRE_BENCH_NO_LEDGER"


def app() -> FastAPI:
    """The app of one worker (uvicorn calls this in each worker process)."""
    if os.environ.get(NO_LEDGER):
        from _noledger import without_ledger

        without_ledger()
    made = create_app(Settings(deliver_webhooks=False))
    settle_collector()  # as ceasefire serve does
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("port", type=int)
    parser.add_argument("--no-ledger", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ["CEASEFIRE_DATABASE_URL"] = args.url
    if args.no_ledger:
        os.environ[NO_LEDGER] = "1"
    db = Database(args.url)
    if not db.is_current():  # migrating waits for the writer lock, which an import holds
        db.migrate()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(workers.serve("_serve:app", "127.0.0.1", args.port, args.workers))


if __name__ == "__main__":
    main()
