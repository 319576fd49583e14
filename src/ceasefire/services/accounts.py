"""Users, passwords, API tokens and sign-in sessions.

Passwords are hashed with Argon2id. A token or a session is a random secret shown once;
the database keeps only its SHA-256, so a copy of the database signs no one in. Failed
sign-ins slow the next attempt from the same address (a growing wait kept in the database,
never a lock), and at most two password checks run at once in a process. Users and
credentials are each party's own administration, not shared state: they are not in the
ledger; what users do is, signed with their party's key.
"""

from __future__ import annotations

import math
import re
import secrets
import threading
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
from ceasefire.domain.throttle import WINDOW, wait
from ceasefire.domain.workflow import Role
from ceasefire.store import agreements as agreement_store
from ceasefire.store import throttles as throttle_store
from ceasefire.store import users as user_store
from ceasefire.store.database import Database
from ceasefire.store.users import User

TOKEN_PREFIX = "cft_"  # API tokens: easy to spot in a leaked file, and to scan for
SESSION_PREFIX = "cfs_"
SESSION_COOKIE = "ceasefire_session"  # the sign-in cookie of the API and the workspace
SESSION_LIFETIME = timedelta(hours=12)
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class Session:
    secret: str  # the cookie's value
    csrf: str  # what unsafe requests made with the cookie must send as X-CSRF-Token
    user: User
    expires: datetime


class SignInThrottle:
    """Failed sign-ins counted in the database (shared by every server process, kept
    across restarts), per client address and per username from that address; an attempt
    made before its wait has passed is refused unchecked (``domain.throttle``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def keys(username: str, address: str) -> list[str]:
        return [f"address:{address}"[:200], f"user:{username}@{address}"[:200]]

    def check(self, username: str, address: str) -> None:
        now = datetime.now(UTC)
        with self.db.read() as conn:
            found = throttle_store.failures(conn, self.keys(username, address))
        waits = [wait(n, last, now) for n, last in found.values()]
        longest = max(waits, default=timedelta(0))
        if longest > timedelta(0):
            seconds = math.ceil(longest.total_seconds())
            raise TooManyRequestsError(
                f"too many failed sign-ins from {address}: try again in {seconds} s"
            )

    def failed(self, username: str, address: str) -> None:
        now = datetime.now(UTC)
        with self.db.transaction() as conn:
            throttle_store.prune(conn, now - WINDOW)
            throttle_store.record_failure(conn, self.keys(username, address), now)

    def succeeded(self, username: str, address: str) -> None:
        with self.db.transaction() as conn:
            throttle_store.forget(conn, self.keys(username, address)[1:])


# Argon2id takes 64 MiB and ~0.1 s of a core per check: at most this many at once in a
# process, so a burst of sign-ins cannot take the server's memory or every thread
MAX_HASHING = 2
HASHING_WAIT = 10.0  # seconds a sign-in waits for its turn before it is refused
_hashing = threading.BoundedSemaphore(MAX_HASHING)


class Accounts:
    """Users and credentials of one database, with the password hasher's cost."""

    def __init__(self, db: Database, *, memory_kib: int = 65_536) -> None:
        self.db = db
        self.hasher = PasswordHasher(memory_cost=memory_kib, time_cost=3, parallelism=1)
        self.throttle = SignInThrottle(db)
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

    def sign_in(self, username: str, password: str, address: str = "unknown") -> Session:
        """A new session for the right password. After failures from the same address the
        next attempt waits a while, growing with each failure (never a lock: the right
        password gets in once the wait has passed)."""
        self.throttle.check(username, address)
        with self.db.read() as conn:
            user = user_store.get_user(conn, username)
        if user is None or user.password_hash is None or user.disabled is not None:
            self._check(self._decoy, password)
            self.throttle.failed(username, address)
            raise AuthenticationError("the username or the password is wrong")
        if not self._check(user.password_hash, password):
            self.throttle.failed(username, address)
            raise AuthenticationError("the username or the password is wrong")
        self.throttle.succeeded(username, address)
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
        if not _hashing.acquire(timeout=HASHING_WAIT):
            raise TooManyRequestsError("the server is busy checking sign-ins: try again shortly")
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        finally:
            _hashing.release()

    def authenticate(self, secret: str, kind: str) -> user_store.Credential:
        """The live credential a token or session secret names; ``AuthenticationError`` if
        it is unknown, expired, revoked, or its user disabled."""
        with self.db.read_one() as conn:
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
