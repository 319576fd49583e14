"""The ledger secret of an embedded deployment: kept in a file beside its SQLite database.

The secret seals the private keys the server signs with (docs/ledger.md, "Keys"). Set
``CEASEFIRE_LEDGER_SECRET`` and it is used as given. Left unset on a local SQLite database,
the first command or server that needs it makes a random one in ``<database>.secret``
beside the database (owner-only: mode 0600) and says so once; later runs read it, so a
single-machine install has no step to forget and no secret in the shell history. A
database that already holds keys sealed with another secret gets no file: the secret it
was written with must be given. A
deployment on PostgreSQL, or one with ``CEASEFIRE_REQUIRE_SECRET``, never makes a file: its
secret must be given explicitly (a server refuses to start without it).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path

from pydantic import SecretStr

from ceasefire.config import Settings
from ceasefire.store.database import normalize_url, sqlite_file

SUFFIX = ".secret"


def secret_file(settings: Settings) -> Path | None:
    """Where the embedded deployment keeps its secret (None: not embedded)."""
    if settings.require_secret:
        return None
    found = sqlite_file(normalize_url(settings.database_url))
    return None if found is None else found.with_name(found.name + SUFFIX)


def _has_sealed_keys(database: Path) -> bool:
    """Whether a SQLite database holds keys sealed with some secret already."""
    if not database.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
            found = conn.execute(
                "SELECT 1 FROM party_keys WHERE sealed_private IS NOT NULL LIMIT 1"
            ).fetchone()
    except sqlite3.Error:  # no such table yet: a new database
        return False
    return found is not None


def with_secret(settings: Settings, *, create: bool) -> tuple[Settings, Path | None]:
    """The settings with the ledger secret of the file beside the database when none is
    given; and the file's path when it was made now (``create``: the database is being
    made or written, so a secret may be made for it)."""
    if settings.ledger_secret is not None:
        return settings, None
    path = secret_file(settings)
    if path is None:
        return settings, None
    made = None
    if not path.exists():
        if not create or not path.parent.is_dir() or _has_sealed_keys(path.with_suffix("")):
            # a database with keys sealed under a secret it was given: a new secret would
            # open none of them; the secret it was written with must be given
            return settings, None
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
        made = path
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        return settings, None
    return settings.model_copy(update={"ledger_secret": SecretStr(text)}), made
