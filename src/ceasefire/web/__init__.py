"""The workspace: server-rendered pages over the same services as the API, with the same
sign-in (docs/web.md)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError, GoneError
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
from ceasefire.web.context import Page, SignInRequired, any_page, same_site_path, user_page
from ceasefire.web.problems import form_error
from ceasefire.web.render import render

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


async def _sign_in(_request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInRequired)
    return RedirectResponse(error.location, status_code=303)


def error_page(request: Request, error: CeasefireError, status: int | None) -> Response:
    """A page's error, as a page in the reader's language (the API answers JSON); an
    incident merged into another sends the reader on to it."""
    status = status_of(error) if status is None else status
    if isinstance(error, GoneError) and request.method == "GET":
        return RedirectResponse(f"/{error.moved_to}", status_code=303)
    page = _reader_page(request)
    titles = {403: page._("Not allowed"), 404: page._("Not found"), 410: page._("Moved")}
    title = titles.get(status, page._("That did not work"))
    message = form_error(page, error)["message"]  # a catalogue message in their language
    back = _back(request)
    return render(page, "error.html", status=status, title=title, message=message, back=back)


def missing_page(request: Request, status: int, headers: dict[str, str] | None) -> Response:
    """An address with no page (404), or a request a page does not take (405), as a page
    in the reader's language rather than the API's JSON."""
    page = _reader_page(request)
    if status == 405:
        title, message = (
            page._("That did not work"),
            page._("This page does not take that request."),
        )
    else:
        title, message = page._("Not found"), page._("There is no page at this address.")
    found = render(
        page, "error.html", status=status, title=title, message=message, back=_back(request)
    )
    found.headers.update(headers or {})
    return found


def _back(request: Request) -> str | None:
    """The page of this site the reader came from, to go back to (None: none, or this
    one: a form's page that refused a post is offered again)."""
    came = same_site_path(request.headers.get("referer"))
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return None if came is None or (came == here and request.method == "GET") else came


def _reader_page(request: Request) -> Page:
    """An error page as the reader's other pages are: with the signed-in user's menu, in
    their language (it reads the session, so the error handlers call it in a thread)."""
    try:
        return user_page(request)
    except SignInRequired:
        return any_page(request)
