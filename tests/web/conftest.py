"""The workspace's pages, through the app as a browser posts forms (no JavaScript): on
SQLite, since the services under them are tested on both databases."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from builders import scenario
from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store.database import Database
from conftest import LEDGER_SECRET, PASSWORD_MEMORY_KIB, SEAL_COST

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Browser:
    """A signed-in browser: its client (cookies kept) and its forms' CSRF token."""

    client: TestClient
    csrf: str

    def post(self, path: str, data: dict[str, str] | None = None, **kwargs: object) -> object:
        return self.client.post(
            path, data={"csrf": self.csrf, **(data or {})}, follow_redirects=False, **kwargs
        )


SignIn = Callable[..., Browser]


@pytest.fixture
def web_db(sqlite_db: Database) -> Database:
    return sqlite_db


@pytest.fixture
def web_ledger(web_db: Database) -> Ledger:
    return Ledger(web_db, secret=LEDGER_SECRET, seal_cost=SEAL_COST)


@pytest.fixture
def site(web_db: Database, web_ledger: Ledger) -> Iterator[FastAPI]:
    load_scenario(web_ledger, scenario())
    app = create_app(Settings(database_url=web_db.url, deliver_webhooks=False), web_db)
    with TestClient(app):
        yield app


@pytest.fixture
def sign_in(site: FastAPI, web_db: Database) -> SignIn:
    """A browser signed in at /login as a new user of ``party`` with ``role``."""
    accounts = Accounts(web_db, memory_kib=PASSWORD_MEMORY_KIB)
    made = 0

    def browser(party: str, role: Role = Role.OFFICER, language: str | None = None) -> Browser:
        nonlocal made
        made += 1
        username = f"{party}-{made}"
        accounts.add_user(party, username, role=role, password=f"{username}-password")
        client = TestClient(site)
        if language:
            client.cookies.set("ceasefire_language", language)
        signed = client.post(
            "/login",
            data={"username": username, "password": f"{username}-password", "next": "/"},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        found = CSRF.search(client.get("/reports/new").text)
        assert found is not None
        return Browser(client, found.group(1))

    return browser
