"""create_app(settings) -> the FastAPI application. Nothing connects at import time."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from ceasefire import web
from ceasefire.api import (
    accessions,
    actors,
    agreements,
    control,
    correlation,
    daily,
    designations,
    drafts,
    errors,
    exports,
    findings,
    humanitarian,
    incidents,
    ledger,
    limits,
    maps,
    parties,
    reports,
    restrictions,
    sessions,
    stream,
    webhooks,
)
from ceasefire.api.access import API_PREFIX, enforce
from ceasefire.config import Settings
from ceasefire.secret_files import with_secret
from ceasefire.services.accounts import Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.services.mapping_runs import MappingRunner
from ceasefire.services.webhooks import Dispatcher
from ceasefire.store.database import Database
from ceasefire.web.errors import too_large_page
from ceasefire.web.headers import SecurityHeaders

# in the order a request's path is matched against them, route by route: those called most
# first (filing reports, reading incidents, the map's tiles), as each route tried costs a
# request ~2 µs (a filed report's path went past 76 routes first: 160 µs; now 7 µs)
API_MODULES = (
    reports,
    exports,  # before incidents: /incidents/export is not /incidents/{incident_id}
    incidents,
    maps,
    sessions,
    agreements,
    actors,
    designations,
    accessions,
    control,
    humanitarian,
    daily,
    drafts,
    correlation,
    findings,
    restrictions,
    stream,
    webhooks,
    ledger,
    parties,
)
OPENAPI_URL = f"{API_PREFIX}/openapi.json"
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ceasefire API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/docs.js"></script></body></html>"""
STATIC = Path(__file__).with_name("web") / "static"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving: work on ``threads`` requests at once, deliver webhooks (unless
    ``deliver_webhooks`` is off), take up the runs of name mappings, and with a checkpoint
    interval sign a checkpoint every interval."""
    ledger = app.state.ledger
    assert isinstance(ledger, Ledger)
    settings = app.state.settings
    to_thread.current_default_thread_limiter().total_tokens = settings.threads
    task = None
    if ledger.checkpoint_interval > 0:
        task = asyncio.create_task(_checkpoints(ledger))
    dispatcher = None
    if settings.deliver_webhooks:
        dispatcher = Dispatcher(
            ledger.db,
            settings.feed_poll_seconds,
            allow_private=settings.webhook_private_addresses,
        )
        dispatcher.start()
    app.state.mapping_runner = runner = MappingRunner(ledger)
    runner.start()
    yield
    runner.stop()
    if dispatcher is not None:
        dispatcher.stop()
    if task is not None:
        task.cancel()


async def _checkpoints(ledger: Ledger) -> None:
    while True:
        await asyncio.sleep(ledger.checkpoint_interval)
        if ledger.checkpoint_due():
            await run_in_threadpool(ledger.checkpoint_now)


# the cyclic garbage collector's thresholds in a server process: a filed report makes
# thousands of objects, nearly all freed by reference counting, and at Python's 700 the
# young generation was collected at least once every six (over 1 % of a worker's time);
# with these, about 5 % more signed writes a second (docs/benchmarks.md, section 7; the
# older generations' thresholds, doubled too, were measured with it)
COLLECTOR_THRESHOLDS = (20_000, 20, 20)


def served_app() -> FastAPI:
    """The app as ``ceasefire serve`` runs it in each server process, from the environment."""
    app = create_app(with_secret(Settings(), create=False)[0])
    settle_collector()
    return app


def settle_collector() -> None:
    """Keep the cyclic garbage collector off what is loaded by now, which lives as long as
    the process (a full collection over it paused writes ~90 ms every second or so), and
    collect the young generation less often (``COLLECTOR_THRESHOLDS``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="ceasefire",
        version="0.1.0",
        description="A shared record and map for monitoring ceasefires: agreements, regimes, "
        "reports and incidents classified against the truces in force.",
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL,
    )
    app.state.settings = settings
    app.state.db = db = db or Database(settings.database_url)
    app.state.ledger = Ledger.from_settings(db, settings)
    app.state.mapping_runner = None  # while serving, the thread that runs name mappings
    app.state.accounts = Accounts(db, memory_kib=settings.password_memory_kib)
    errors.install(app)
    limits.install(app, settings.max_body_bytes, page=too_large_page)
    app.add_middleware(SecurityHeaders, tiles=settings.map_tiles)
    # each module's router straight under the prefix, not in one /api/v1 router: FastAPI
    # matches an included router's routes again at every level it is nested in, and the
    # extra level cost a filed report ~70 µs of routing (docs/benchmarks.md); and before the
    # pages, which a person opens a few times a minute where scripts call the API many times
    # a second (no page's path is under the API's prefix)
    for module in API_MODULES:
        app.include_router(
            module.router,
            prefix=API_PREFIX,
            dependencies=[Depends(enforce)],
            responses=errors.ERROR_RESPONSES,
        )
    web.install(app)  # and a page's errors are pages, where the API's are JSON

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The OpenAPI browser, from vendored assets (no CDN) and no inline script."""
        return HTMLResponse(DOCS_PAGE)

    return app
