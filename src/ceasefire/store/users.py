"""Users of a party and their credentials (API tokens and sign-in sessions).

Only the SHA-256 of a token or session secret is stored; the secret itself is shown once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from ceasefire.domain.errors import ConflictError, NotFoundError
from ceasefire.domain.workflow import Role
from ceasefire.store import tables as t


@dataclass(frozen=True)
class User:
    id: int
    party_id: str
    username: str
    display_name: str
    role: Role
    password_hash: str | None = None
    disabled: datetime | None = None
    language: str | None = None  # the workspace's language they chose


@dataclass(frozen=True)
class Credential:
    """A token or session, found by its secret: whose, and until when."""

    id: int
    user: User
    kind: str
    name: str
    csrf: str | None
    expires: datetime
    revoked: datetime | None


def secret_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def _user(row: Row[Any]) -> User:
    return User(
        id=int(row.id),
        party_id=row.party_id,
        username=row.username,
        display_name=row.display_name,
        role=Role.named(row.role),
        password_hash=row.password_hash,
        disabled=row.disabled,
        language=row.language,
    )


def add_user(
    conn: Connection,
    *,
    party_id: str,
    username: str,
    display_name: str,
    role: Role,
    password_hash: str | None,
    created: datetime,
) -> User:
    if get_user(conn, username) is not None:
        raise ConflictError(f"user {username!r} exists already")
    conn.execute(
        t.users.insert().values(
            party_id=party_id,
            username=username,
            display_name=display_name,
            role=role.label,
            password_hash=password_hash,
            created=created,
        )
    )
    found = get_user(conn, username)
    assert found is not None
    return found


def get_user(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(t.users).where(t.users.c.username == username)).first()
    return None if row is None else _user(row)


def list_users(conn: Connection, party_id: str | None = None) -> list[User]:
    query = select(t.users).order_by(t.users.c.party_id, t.users.c.username)
    if party_id is not None:
        query = query.where(t.users.c.party_id == party_id)
    return [_user(row) for row in conn.execute(query)]


def set_password(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(
        t.users.update().where(t.users.c.id == user_id).values(password_hash=password_hash)
    )


def add_credential(
    conn: Connection,
    user: User,
    *,
    kind: str,
    secret: str,
    name: str,
    csrf: str | None,
    created: datetime,
    expires: datetime,
) -> int:
    result = conn.execute(
        t.credentials.insert().values(
            user_id=user.id,
            kind=kind,
            secret_hash=secret_hash(secret),
            name=name,
            csrf=csrf,
            created=created,
            expires=expires,
        )
    )
    (credential_id,) = result.inserted_primary_key or (None,)
    assert credential_id is not None
    return int(credential_id)


def find_credential(conn: Connection, secret: str) -> Credential | None:
    c = t.credentials
    row = conn.execute(_CREDENTIAL, {"secret_hash": secret_hash(secret)}).first()
    if row is None:
        return None
    m = row._mapping
    user = User(
        id=int(m[t.users.c.id]),
        party_id=m[t.users.c.party_id],
        username=m[t.users.c.username],
        display_name=m[t.users.c.display_name],
        role=Role.named(m[t.users.c.role]),
        disabled=m[t.users.c.disabled],
        language=m[t.users.c.language],
    )
    return Credential(
        id=int(m[c.c.id]),
        user=user,
        kind=m[c.c.kind],
        name=m[c.c.name],
        csrf=m[c.c.csrf],
        expires=m[c.c.expires],
        revoked=m[c.c.revoked],
    )


_CREDENTIAL = (
    select(t.credentials, t.users)
    .join(t.users, t.users.c.id == t.credentials.c.user_id)
    .where(t.credentials.c.secret_hash == bindparam("secret_hash"))
)  # built once: every request with a token or a session asks


def revoke_credential(conn: Connection, credential_id: int, user_id: int, when: datetime) -> None:
    c = t.credentials
    done = conn.execute(
        c.update()
        .where(c.c.id == credential_id, c.c.user_id == user_id, c.c.revoked.is_(None))
        .values(revoked=when)
    )
    if done.rowcount != 1:
        raise NotFoundError(f"token {credential_id} does not exist or is revoked already")


def set_language(conn: Connection, user_id: int, language: str | None) -> None:
    conn.execute(t.users.update().where(t.users.c.id == user_id).values(language=language))
