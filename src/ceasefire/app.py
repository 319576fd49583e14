"""create_app(settings) -> the FastAPI application. Nothing connects at import time."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from ceasefire.api import (
    agreements,
    drafts,
    errors,
    findings,
    incidents,
    ledger,
    limits,
    parties,
    reports,
    restrictions,
    sessions,
    stream,
    webhooks,
)
from ceasefire.api.access import API_PREFIX, enforce
from ceasefire.config import Settings
from ceasefire.services.accounts import Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.services.webhooks import Dispatcher
from ceasefire.store.database import Database

API_MODULES = (
    sessions,
    agreements,
    reports,
    drafts,
    incidents,
    findings,
    restrictions,
    stream,
    webhooks,
    ledger,
    parties,
)
OPENAPI_URL = f"{API_PREFIX}/openapi.json"
STATIC = Path(__file__).with_name("web") / "static"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving: deliver webhooks (unless ``deliver_webhooks`` is off), and with a
    checkpoint interval sign a checkpoint every interval."""
    ledger = app.state.ledger
    assert isinstance(ledger, Ledger)
    task = None
    if ledger.checkpoint_interval > 0:
        task = asyncio.create_task(_checkpoints(ledger))
    settings = app.state.settings
    dispatcher = None
    if settings.deliver_webhooks:
        dispatcher = Dispatcher(ledger.db, settings.feed_poll_seconds)
        dispatcher.start()
    yield
    if dispatcher is not None:
        dispatcher.stop()
    if task is not None:
        task.cancel()


async def _checkpoints(ledger: Ledger) -> None:
    while True:
        await asyncio.sleep(ledger.checkpoint_interval)
        if ledger.checkpoint_due():
            await run_in_threadpool(ledger.checkpoint_now)


def served_app() -> FastAPI:
    """The app as ``ceasefire serve`` runs it in each server process, from the environment:
    what is loaded by then lives as long as the process, so the cyclic garbage collector
    is kept off it (a full collection over it paused writes ~90 ms every second or so)."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


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
    app.state.accounts = Accounts(db, memory_kib=settings.password_memory_kib)
    errors.install(app)
    limits.install(app, settings.max_body_bytes)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(enforce)])
    for module in API_MODULES:
        api.include_router(module.router)
    app.include_router(api)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The OpenAPI browser, served from vendored assets (no CDN)."""
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="ceasefire API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
