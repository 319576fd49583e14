"""Who is calling: a bearer API token, or a sign-in session cookie with its CSRF token.

Scripts send ``Authorization: Bearer <token>``. Browsers sign in (``POST /api/v1/session``)
and get an HttpOnly, SameSite=Strict cookie; every unsafe request made with the cookie
must repeat the session's CSRF token in ``X-CSRF-Token``, which another site cannot read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from ceasefire.api.deps import Db
from ceasefire.domain.errors import AuthenticationError, PermissionDeniedError
from ceasefire.domain.visibility import Audience
from ceasefire.services import scopes
from ceasefire.services.accounts import SESSION_COOKIE, Accounts
from ceasefire.store.users import User

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_accounts(request: Request) -> Accounts:
    accounts = request.app.state.accounts
    assert isinstance(accounts, Accounts)
    return accounts


def signed_in(request: Request) -> User | None:
    """The caller, from its token or session (checked once per request), or ``None``. A
    plain function, so FastAPI runs it in its thread pool: it reads the database, which
    must never happen on the event loop (every other request would wait)."""
    if hasattr(request.state, "user"):
        found: User | None = request.state.user
        return found
    accounts = get_accounts(request)
    header = request.headers.get("Authorization", "")
    user: User | None = None
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError("the Authorization header must be 'Bearer <token>'")
        user = accounts.authenticate(secret.strip(), "token").user
        request.state.credential_id = None
    elif cookie := request.cookies.get(SESSION_COOKIE):
        session = accounts.authenticate(cookie, "session")
        if request.method not in SAFE_METHODS and request.headers.get(CSRF_HEADER) != session.csrf:
            raise PermissionDeniedError(
                f"a request signed in with the session cookie must send its CSRF token in "
                f"{CSRF_HEADER}"
            )
        user = session.user
        request.state.credential_id = session.id
    request.state.user = user
    return user


def still_valid(request: Request) -> str | None:
    """Why the credential a long request (the live feed) was made with no longer holds —
    revoked, expired, its session ended or its user disabled — or None while it holds.
    Read again from the database each time: a plain function, for the thread pool."""
    accounts = get_accounts(request)
    header = request.headers.get("Authorization", "")
    try:
        if header:
            accounts.authenticate(header.partition(" ")[2].strip(), "token")
        elif cookie := request.cookies.get(SESSION_COOKIE):
            accounts.authenticate(cookie, "session")
    except AuthenticationError as error:
        return error.message
    return None


def required(user: User | None) -> User:
    """The caller, who must be signed in (``AuthenticationError`` if not)."""
    if user is None:
        raise AuthenticationError("sign in, or send an API token (Authorization: Bearer …)")
    return user


async def current_user(request: Request) -> User:
    """The caller, as ``enforce`` found it before the route (every API route's first
    dependency); read in the thread pool where nothing found it yet."""
    if hasattr(request.state, "user"):
        user: User | None = request.state.user
    else:
        user = await run_in_threadpool(signed_in, request)
    return required(user)


Caller = Annotated[User, Depends(current_user)]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]


def reader(db: Db, user: Caller) -> Audience:
    """What the caller may read: open records and those of its party's agreements."""
    return scopes.audience(db, user.party_id)


Reader = Annotated[Audience, Depends(reader)]
