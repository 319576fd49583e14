from __future__ import annotations

import gc
import time

import anyio
from anyio import to_thread

from ceasefire.app import COLLECTOR_THRESHOLDS, create_app, settle_collector
from ceasefire.config import Settings
from ceasefire.store.database import Database
from overlaps import AtOnce
from served import run_apart


def test_a_server_process_keeps_the_collector_off_what_it_loaded_and_collects_less_often() -> None:
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        settle_collector()
        assert gc.get_freeze_count() > 0  # what is loaded is never scanned again
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_serving_app_works_on_as_many_requests_at_once_as_its_threads(
    sqlite_db: Database,
) -> None:
    """The routes' work runs in the thread pool: while the app serves, no more than
    ``threads`` pieces of it run at once; the others wait their turn."""
    settings = Settings(database_url=sqlite_db.url, deliver_webhooks=False, threads=2)
    app = create_app(settings, sqlite_db)
    pieces = AtOnce()

    def work() -> None:
        with pieces.during():
            time.sleep(0.05)

    async def serve() -> None:
        async with app.router.lifespan_context(app), anyio.create_task_group() as tasks:
            for _ in range(6):
                tasks.start_soon(to_thread.run_sync, work)

    run_apart(serve)
    assert pieces.most == 2
