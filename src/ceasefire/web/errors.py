"""Error pages: what the API answers as JSON, a page answers as a page in the reader's
language (right to left in Arabic), with the signed-in reader's menu and a way back.

``api/errors.py`` holds the one error->status table and the handlers; for a path outside
the API they call the hooks here (``app.state.page_error``, ``page_refusal``,
``page_failure``). A page says an error by its catalogue message (the error's
``template``); an error raised with none (the services' and the store's English
sentences) is said in English to an English reader, and to any other reader by a sentence
of the catalogue for its kind, so that no page speaks English to a Russian or Arabic one.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response

from ceasefire.api.errors import field_of, status_of
from ceasefire.domain.errors import (
    CeasefireError,
    ConflictError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from ceasefire.domain.words import N_
from ceasefire.web.context import (
    EXPIRED,
    Page,
    SignInRequired,
    any_page,
    same_site_path,
    settings_of,
    user_page,
)
from ceasefire.web.headers import headers_of
from ceasefire.web.i18n import DEFAULT
from ceasefire.web.problems import form_error, known_reason
from ceasefire.web.render import render

# what a page says of an error that carries no catalogue message, by its kind
SAID: tuple[tuple[type[CeasefireError], str], ...] = (
    (NotFoundError, N_("There is no such record, or it is not one your party reads.")),
    (PermissionDeniedError, N_("Your role or your party may not do this.")),
    (ConflictError, N_("This conflicts with what is recorded already.")),
    (CeasefireError, N_("The server cannot act on this request.")),
)
INVALID = N_("The value given for %(field)s is not one this page takes.")
NAMED = N_("%(field)s: %(reason)s")  # an input's reason, on a page that does not show the input


def error_page(
    request: Request, error: CeasefireError | RequestValidationError, status: int | None
) -> Response:
    """A page's error (or its request's parameters that fail their types), as a page; an
    incident merged into another sends the reader on to it."""
    if isinstance(error, GoneError) and request.method == "GET":
        return RedirectResponse(f"/{error.moved_to}", status_code=303)
    page = _reader_page(request)
    if isinstance(error, RequestValidationError):
        status, message = _invalid(page, error)
    else:
        status = status_of(error) if status is None else status
        message = said(page, error)
    titles = {403: page._("Not allowed"), 404: page._("Not found"), 410: page._("Moved")}
    title = titles.get(status, page._("That did not work"))
    return render(
        page, "error.html", status=status, title=title, message=message, back=_back(request)
    )


def said(page: Page, error: CeasefireError) -> str:
    """The error's message in the reader's language, naming the field of an input error:
    its catalogue message; else (no catalogue message) as written to an English reader,
    and its kind's sentence to others."""
    field = error.field if isinstance(error, InvalidInputError) else ""
    if error.template is None and page.language.code != DEFAULT:
        if field:
            return page._(INVALID) % {"field": field}
        return page._(next(text for kind, text in SAID if isinstance(error, kind)))
    reason: str = form_error(page, error)["reason"]
    return page._(NAMED) % {"field": field, "reason": reason} if field else reason


def _invalid(page: Page, error: RequestValidationError) -> tuple[int, str]:
    """A request whose parameters (path, query, form) fail their types: a form without its
    CSRF token is refused (403); otherwise the first parameter wrong, and why (pydantic's
    words only to an English reader, where the catalogue has no sentence for the type)."""
    problems = error.errors()
    fields = [field_of(tuple(p["loc"])) for p in problems]
    if "csrf" in fields:
        return 403, page._(EXPIRED)
    if not problems:
        return 422, page._(SAID[-1][1])
    reason = known_reason(page, problems[0])
    if reason is None and page.language.code == DEFAULT:
        reason = str(problems[0].get("msg", ""))
    if not reason:
        return 422, page._(INVALID) % {"field": fields[0]}
    return 422, page._(NAMED) % {"field": fields[0], "reason": reason}


def refusal_page(request: Request, status: int, headers: Mapping[str, str] | None) -> Response:
    """An address with no page (404), a request a page does not take (405), or another of
    the server's refusals, as a page in the reader's language rather than the API's JSON."""
    page = _reader_page(request)
    if status == 404:
        title, message = page._("Not found"), page._("There is no page at this address.")
    elif status == 405:
        title, message = (
            page._("That did not work"),
            page._("This page does not take that request."),
        )
    else:
        title, message = page._("That did not work"), page._(SAID[-1][1])
    found = render(
        page, "error.html", status=status, title=title, message=message, back=_back(request)
    )
    found.headers.update(headers or {})
    return found


TOO_LARGE = N_(
    "What was sent is larger than this server takes at once (%(limit)s bytes): shorten the "
    "text or send the file by the command line. Nothing was saved."
)


def too_large_page(request: Request, limit: int) -> Response:
    """A form's post over the server's limit on a request's size (413), as a page in the
    reader's language (``api.limits``)."""
    page = _reader_page(request)
    message = page._(TOO_LARGE) % {"limit": page.language.number(limit)}
    return render(
        page,
        "error.html",
        status=413,
        title=page._("That did not work"),
        message=message,
        back=_back(request),
    )


def failure_page(request: Request) -> Response:
    """A page the server failed to make (500), said in the reader's language; the failure
    itself goes on to the server's log."""
    page = _reader_page(request, failing=True)
    title = page._("The server failed")
    message = page._(
        "Something went wrong on the server while making this page. Try again; if it "
        "fails again, tell the host's operator."
    )
    found = render(page, "error.html", status=500, title=title, message=message, back=None)
    # made outside the middleware that adds them to every other answer
    found.headers.update(headers_of(settings_of(page).map_tiles))
    return found


def _back(request: Request) -> str | None:
    """The page of this site the reader came from, to go back to (None: none, or this
    one: a form's page that refused a post is offered again)."""
    came = same_site_path(request.headers.get("referer"))
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return None if came is None or (came == here and request.method == "GET") else came


def _reader_page(request: Request, *, failing: bool = False) -> Page:
    """An error page as the reader's other pages are: with the signed-in user's menu, in
    their language (it reads the session, so the error handlers call it in a thread). When
    the server is failing (``failing``), reading the session may fail too: then the page
    is in the language of the cookie or the browser, without the menu."""
    try:
        return user_page(request)
    except SignInRequired:
        return any_page(request)
    except Exception:
        if not failing:
            raise
        return any_page(request)
