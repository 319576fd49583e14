"""/login, /logout and /language: signing in and out of the workspace, and its language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.sessions import client_of, set_session_cookie
from ceasefire.config import Settings
from ceasefire.domain.errors import AuthenticationError, TooManyRequestsError
from ceasefire.services.accounts import SESSION_COOKIE, Accounts
from ceasefire.web.context import (
    LANGUAGE_COOKIE,
    Csrf,
    Page,
    SignInRequired,
    UserPage,
    any_page,
    check_csrf,
    user_page,
)
from ceasefire.web.i18n import LANGUAGES
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)
AnyPage = Annotated[Page, Depends(any_page)]


def local(path: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another site)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


@router.get("/login", response_class=HTMLResponse)
def login_page(page: AnyPage, next: str = "/") -> HTMLResponse:
    return render(page, "login.html", next=local(next), error=None, username="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    page: AnyPage,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    accounts = request.app.state.accounts
    assert isinstance(accounts, Accounts)
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    try:
        session = accounts.sign_in(username, password, client_of(request, settings))
    except AuthenticationError:
        error, status = page._("The username or the password is wrong."), 401
    except TooManyRequestsError:
        error, status = page._("Too many failed attempts: wait a minute, then try again."), 429
    else:
        response = RedirectResponse(local(next), status_code=303)
        set_session_cookie(response, session.secret, settings)
        return response
    return render(
        page, "login.html", status=status, next=local(next), error=error, username=username
    )


@router.post("/logout")
def logout(page: UserPage, csrf: Csrf) -> Response:
    check_csrf(page, csrf)
    accounts = page.request.app.state.accounts
    assert isinstance(accounts, Accounts) and page.user is not None
    if page.session_id is not None:
        accounts.revoke(page.user, page.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def choose_language(
    request: Request,
    language: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=2048)] = "/",
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Switch the workspace's language: for this browser, and for the signed-in user."""
    code = language if language in LANGUAGES else "en"
    response = RedirectResponse(local(next), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    if request.cookies.get(SESSION_COOKIE):
        try:
            page = user_page(request)
        except SignInRequired:  # not signed in after all: the cookie is enough
            return response
        check_csrf(page, csrf)
        accounts = request.app.state.accounts
        assert isinstance(accounts, Accounts) and page.user is not None
        accounts.set_language(page.user, code)
    return response
