"""create_app(settings) -> the FastAPI application. Nothing connects at import time."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse

from ceasefire.api import agreements, errors, incidents, reports
from ceasefire.config import Settings
from ceasefire.store.database import Database

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="ceasefire",
        version="0.1.0",
        description="A shared record and map for monitoring ceasefires: agreements, regimes, "
        "reports and incidents classified against the truces in force.",
        docs_url="/docs",
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url)
    errors.install(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (agreements, reports, incidents):
        api.include_router(module.router)
    app.include_router(api)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
