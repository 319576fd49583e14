"""/api/v1/session, /me and /tokens: signing in and out, and one's own API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response

from ceasefire.api import schemas as s
from ceasefire.api.auth import AccountsDep, Caller
from ceasefire.api.deps import Config, Id
from ceasefire.config import Settings
from ceasefire.domain.forwarding import client_address
from ceasefire.services.accounts import SESSION_COOKIE, SESSION_LIFETIME

router = APIRouter(tags=["sign-in"])


def _me(user: Caller) -> s.Me:
    return s.Me(
        username=user.username,
        display_name=user.display_name,
        party_id=user.party_id,
        role=user.role.label,
    )


@router.post("/session", response_model=s.SessionOut)
def sign_in(
    body: s.SignIn,
    request: Request,
    response: Response,
    accounts: AccountsDep,
    settings: Config,
) -> s.SessionOut:
    """Sign in: sets an HttpOnly session cookie; send the CSRF token back in X-CSRF-Token
    with every unsafe request. After three failures from an address, each further attempt
    from it waits longer (2, 4, 8 ... up to 60 s; 429 with the wait before then): the right
    password always gets in once the wait has passed."""
    session = accounts.sign_in(body.username, body.password, client_of(request, settings))
    set_session_cookie(response, session.secret, settings)
    me = _me(session.user)
    return s.SessionOut(**me.model_dump(), csrf_token=session.csrf, expires=session.expires)


def client_of(request: Request, settings: Settings) -> str:
    """The address a request comes from, for the sign-in throttle: the peer's, or behind a
    trusted proxy (``CEASEFIRE_TRUSTED_PROXIES``) the one its X-Forwarded-For gives."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.getlist("x-forwarded-for"), settings.proxies())


def set_session_cookie(response: Response, secret: str, settings: Settings) -> None:
    """The session's cookie: HttpOnly, SameSite=Strict, Secure behind TLS (the pages' sign-in
    sets the same)."""
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )


@router.delete("/session", status_code=204)
def sign_out(request: Request, response: Response, user: Caller, accounts: AccountsDep) -> None:
    credential_id = getattr(request.state, "credential_id", None)
    if credential_id is not None:
        accounts.revoke(user, credential_id)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", response_model=s.Me)
def me(user: Caller) -> s.Me:
    return _me(user)


@router.post("/tokens", response_model=s.TokenOut, status_code=201)
def create_token(
    user: Caller, accounts: AccountsDep, body: Annotated[s.TokenIn | None, Body()] = None
) -> s.TokenOut:
    """A new API token for yourself, shown only in this answer (no body: unnamed, valid
    90 days)."""
    body = body or s.TokenIn()
    token_id, secret = accounts.issue_token(user.username, name=body.name, days=body.days)
    return s.TokenOut(id=token_id, token=secret, expires_in_days=body.days)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: Id, user: Caller, accounts: AccountsDep) -> None:
    accounts.revoke(user, token_id)
