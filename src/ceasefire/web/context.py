"""Who is looking at a page, in which language, and the token their forms carry.

A page is for a signed-in user: a request without a live session is sent to ``/login``
(never answered with a JSON 401). The session is the API's (the same HttpOnly cookie), so
the map's scripts call the API with it; every form that changes something carries the
session's CSRF token, which another site cannot read.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Form, Request

from ceasefire.api import deps
from ceasefire.config import Settings
from ceasefire.domain.errors import AuthenticationError, PermissionDeniedError
from ceasefire.domain.visibility import Audience
from ceasefire.domain.words import N_
from ceasefire.services import scopes
from ceasefire.services.accounts import SESSION_COOKIE, Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.store.database import Database
from ceasefire.store.users import User
from ceasefire.web.i18n import Language, choose

LANGUAGE_COOKIE = "ceasefire_language"
EXPIRED = N_("The form has expired: reload the page and try again.")
MAX_ID = deps.MAX_ID
Id = deps.Id


class SignInRequired(Exception):
    """The page needs a signed-in user: answered with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path

    @property
    def location(self) -> str:
        return "/login?next=" + quote(self.next_path, safe="/")


@dataclass(frozen=True)
class Page:
    """The request, its user (None on the sign-in page), language, audience and CSRF token."""

    request: Request
    language: Language
    user: User | None = None
    csrf: str = ""
    session_id: int | None = None
    audience: Audience | None = None
    agreements: tuple[str, ...] = ()  # the user's party's agreements

    @property
    def db(self) -> Database:
        db = self.request.app.state.db
        assert isinstance(db, Database)
        return db

    def _(self, message: str) -> str:
        return self.language.gettext(message)


def _accounts(request: Request) -> Accounts:
    accounts = request.app.state.accounts
    assert isinstance(accounts, Accounts)
    return accounts


def any_page(request: Request) -> Page:
    """A page anyone may see (sign-in): in the language of the cookie or the browser."""
    language = choose(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))
    return Page(request, language)


def user_page(request: Request) -> Page:
    """A page for the signed-in user (else ``SignInRequired``), in their language."""
    cookie = request.cookies.get(SESSION_COOKIE)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":  # a form posted after the session ended: back to its page
        target = same_site_path(request.headers.get("referer")) or "/"
    if not cookie:
        raise SignInRequired(target)
    try:
        session = _accounts(request).authenticate(cookie, "session")
    except AuthenticationError:
        raise SignInRequired(target) from None
    user = session.user
    wanted = user.language or request.cookies.get(LANGUAGE_COOKIE)
    language = choose(wanted, request.headers.get("accept-language"))
    db = request.app.state.db
    audience = scopes.audience(db, user.party_id)
    return Page(
        request,
        language,
        user,
        session.csrf or "",
        session.id,
        audience,
        tuple(sorted(audience.agreements)),
    )


UserPage = Annotated[Page, Depends(user_page)]
"""A page for a signed-in user (a reader who is not is sent to sign in)."""
Csrf = Annotated[str, Form(max_length=128)]
"""A form's CSRF token (``check_csrf``)."""


def ledger_of(page: Page) -> Ledger:
    found = page.request.app.state.ledger
    assert isinstance(found, Ledger)
    return found


def settings_of(page: Page) -> Settings:
    found = page.request.app.state.settings
    assert isinstance(found, Settings)
    return found


def same_site_path(referer: str | None) -> str | None:
    """The path (and query) of a referring page of this site, else None."""
    if not referer:
        return None
    parts = urlsplit(referer)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_csrf(page: Page, token: str | None) -> None:
    """A form that changes something must carry the session's CSRF token."""
    if not page.csrf or not hmac.compare_digest((token or "").encode(), page.csrf.encode()):
        raise PermissionDeniedError(EXPIRED, template=EXPIRED)


def as_typed(text: str) -> str:
    """A text area's value with each line break one character, as its ``maxlength`` counted
    it (a browser sends each as CR LF): a text posted unchanged is the text it was shown."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
