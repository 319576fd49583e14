"""Users, passwords, API tokens and sign-in sessions.

Passwords are hashed with Argon2id. A token or a session is a random secret shown once;
the database keeps only its SHA-256, so a copy of the database signs no one in. Sign-in is
rate-limited per username. Users and credentials are each party's own administration, not
shared state: they are not in the ledger; what users do is, signed with their party's key.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ceasefire.domain.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    TooManyRequestsError,
)
from ceasefire.domain.workflow import Role
from ceasefire.store import agreements as agreement_store
from ceasefire.store import users as user_store
from ceasefire.store.database import Database
from ceasefire.store.users import User

TOKEN_PREFIX = "cft_"  # API tokens: easy to spot in a leaked file, and to scan for
SESSION_PREFIX = "cfs_"
SESSION_COOKIE = "ceasefire_session"  # the sign-in cookie of the API and the workspace
SESSION_LIFETIME = timedelta(hours=12)
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
MAX_FAILURES = 5  # sign-in failures per username within FAILURE_WINDOW
FAILURE_WINDOW = 300.0  # seconds


@dataclass(frozen=True)
class Session:
    secret: str  # the cookie's value
    csrf: str  # what unsafe requests made with the cookie must send as X-CSRF-Token
    user: User
    expires: datetime


class SignInLimiter:
    """At most ``MAX_FAILURES`` failed sign-ins per username in ``FAILURE_WINDOW`` seconds."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, username: str) -> None:
        with self._lock:
            recent = self._recent(username)
            if len(recent) >= MAX_FAILURES:
                wait = int(FAILURE_WINDOW - (time.monotonic() - recent[0])) + 1
                raise TooManyRequestsError(
                    f"too many failed sign-ins for {username!r}: try again in {wait} s"
                )

    def failed(self, username: str) -> None:
        with self._lock:
            self._recent(username).append(time.monotonic())

    def _recent(self, username: str) -> deque[float]:
        recent = self._failures[username]
        while recent and time.monotonic() - recent[0] > FAILURE_WINDOW:
            recent.popleft()
        return recent


class Accounts:
    """Users and credentials of one database, with the password hasher's cost."""

    def __init__(self, db: Database, *, memory_kib: int = 65_536) -> None:
        self.db = db
        self.hasher = PasswordHasher(memory_cost=memory_kib, time_cost=3, parallelism=1)
        self.limiter = SignInLimiter()
        # a hash to check against when the username is unknown, so that the answer takes
        # as long as for a wrong password
        self._decoy = self.hasher.hash(secrets.token_urlsafe(16))

    def add_user(
        self,
        party_id: str,
        username: str,
        *,
        role: Role,
        password: str | None,
        display_name: str = "",
    ) -> User:
        if not USERNAME.fullmatch(username):
            raise InvalidInputError(
                "username", f"{username!r}: use 1 to 64 letters, digits, '.', '-' or '_'"
            )
        if password is not None and len(password) < 12:
            raise InvalidInputError("password", "use at least 12 characters")
        with self.db.transaction() as conn:
            if party_id not in {p.id for p in agreement_store.load_parties(conn)}:
                raise NotFoundError(f"party {party_id!r} does not exist")
            return user_store.add_user(
                conn,
                party_id=party_id,
                username=username,
                display_name=display_name or username,
                role=role,
                password_hash=None if password is None else self.hasher.hash(password),
                created=datetime.now(UTC),
            )

    def issue_token(self, username: str, *, name: str = "", days: int = 90) -> tuple[int, str]:
        """A new API token for the user: its id and its secret, which is shown only now."""
        if not 1 <= days <= 3650:
            raise InvalidInputError("days", f"{days} is outside 1..3650")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.db.transaction() as conn:
            user = user_store.get_user(conn, username)
            if user is None:
                raise NotFoundError(f"user {username!r} does not exist")
            token_id = user_store.add_credential(
                conn,
                user,
                kind="token",
                secret=secret,
                name=name,
                csrf=None,
                created=now,
                expires=now + timedelta(days=days),
            )
        return token_id, secret

    def set_language(self, user: User, language: str | None) -> None:
        """Remember the workspace's language the user chose."""
        with self.db.transaction() as conn:
            user_store.set_language(conn, user.id, language)

    def revoke(self, user: User, credential_id: int) -> None:
        """Revoke one of the user's own tokens (or sessions)."""
        with self.db.transaction() as conn:
            user_store.revoke_credential(conn, credential_id, user.id, datetime.now(UTC))

    def sign_in(self, username: str, password: str) -> Session:
        self.limiter.check(username)
        with self.db.read() as conn:
            user = user_store.get_user(conn, username)
        if user is None or user.password_hash is None or user.disabled is not None:
            self._check(self._decoy, password)
            self.limiter.failed(username)
            raise AuthenticationError("the username or the password is wrong")
        if not self._check(user.password_hash, password):
            self.limiter.failed(username)
            raise AuthenticationError("the username or the password is wrong")
        secret, csrf = SESSION_PREFIX + secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = datetime.now(UTC)
        with self.db.transaction() as conn:
            user_store.add_credential(
                conn,
                user,
                kind="session",
                secret=secret,
                name="sign-in",
                csrf=csrf,
                created=now,
                expires=now + SESSION_LIFETIME,
            )
        return Session(secret, csrf, user, now + SESSION_LIFETIME)

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def authenticate(self, secret: str, kind: str) -> user_store.Credential:
        """The live credential a token or session secret names; ``AuthenticationError`` if
        it is unknown, expired, revoked, or its user disabled."""
        with self.db.read() as conn:
            found = user_store.find_credential(conn, secret)
        what = "API token" if kind == "token" else "session"
        if found is None or found.kind != kind:
            raise AuthenticationError(f"the {what} is not known")
        if found.revoked is not None:
            raise AuthenticationError(f"the {what} was revoked")
        if found.expires <= datetime.now(UTC):
            raise AuthenticationError(f"the {what} expired on {found.expires:%Y-%m-%d %H:%M} UTC")
        if found.user.disabled is not None:
            raise AuthenticationError(f"user {found.user.username!r} is disabled")
        return found
