"""The workspace: server-rendered pages over the same services as the API, with the same
sign-in (docs/web.md)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ceasefire.web import (
    accessions,
    actors,
    candidates,
    control,
    daily,
    designations,
    drafts,
    humanitarian,
    incidents,
    ledger,
    maps,
    measures,
    regimes,
    reports,
    restrictions,
    signin,
)
from ceasefire.web.context import SignInRequired
from ceasefire.web.errors import error_page, failure_page, refusal_page

ROUTERS = (
    signin,
    maps,
    incidents,
    candidates,
    reports,
    drafts,
    restrictions,
    measures,
    regimes,
    actors,
    accessions,
    control,
    humanitarian,
    designations,
    ledger,
    daily,
)


def install(app: FastAPI) -> None:
    for module in ROUTERS:
        app.include_router(module.router)
    app.add_exception_handler(SignInRequired, _sign_in)
    # what the API answers as JSON (api/errors.py), a page answers as a page
    app.state.page_error = error_page  # an error of ours, or parameters of the wrong type
    app.state.page_refusal = refusal_page  # no page at the address, a method not taken
    app.state.page_failure = failure_page  # the server failed (500)


async def _sign_in(_request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInRequired)
    return RedirectResponse(error.location, status_code=303)
