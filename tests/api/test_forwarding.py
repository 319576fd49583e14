"""The sign-in throttle behind a reverse proxy: a trusted proxy's X-Forwarded-For names the
client; anyone else's is ignored. Both the API's sign-in and the page's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from builders import scenario
from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import tables as t
from ceasefire.store.database import Database

PROXY = ("10.0.0.5", 41000)
WRONG = {"username": "ru-web", "password": "a wrong password"}
RIGHT = {"username": "ru-web", "password": "the right password"}


@pytest.fixture
def served(db: Database, ledger: Ledger, accounts: Accounts) -> Settings:
    load_scenario(ledger, scenario())
    accounts.add_user("ru", "ru-web", role=Role.OFFICER, password="the right password")
    return Settings(database_url=db.url, deliver_webhooks=False, trusted_proxies="10.0.0.0/24")


def counted(accounts: Accounts) -> list[str]:
    with accounts.db.read() as conn:
        return sorted(conn.execute(select(t.sign_in_failures.c.key)).scalars())


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_apart(
    served: Settings, db: Database, accounts: Accounts
) -> None:
    with TestClient(create_app(served, db), client=PROXY) as http:
        for _ in range(4):
            attempt = http.post(
                "/api/v1/session", json=WRONG, headers={"X-Forwarded-For": "203.0.113.7"}
            )
            assert attempt.status_code == 401
        slowed = http.post(
            "/api/v1/session", json=RIGHT, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert slowed.status_code == 429
        assert "from 203.0.113.7" in slowed.json()["message"]
        # another client behind the same proxy is not slowed by the first one's failures
        other = http.post(
            "/api/v1/session", json=RIGHT, headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.8"}
        )
        assert other.status_code == 200, other.text
    assert counted(accounts) == ["address:203.0.113.7", "user:ru-web@203.0.113.7"]


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(
    served: Settings, db: Database, accounts: Accounts
) -> None:
    with TestClient(create_app(served, db), client=("198.51.100.9", 5000)) as http:
        for spoofed in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
            attempt = http.post("/api/v1/session", json=WRONG, headers={"X-Forwarded-For": spoofed})
            assert attempt.status_code == 401
        fresh = http.post("/api/v1/session", json=RIGHT, headers={"X-Forwarded-For": "192.0.2.1"})
        assert fresh.status_code == 429  # a new forged address each time does not help
        assert "from 198.51.100.9" in fresh.json()["message"]
    assert counted(accounts) == ["address:198.51.100.9", "user:ru-web@198.51.100.9"]


def test_the_sign_in_page_counts_the_forwarded_client_too(
    served: Settings, db: Database, accounts: Accounts
) -> None:
    with TestClient(create_app(served, db), client=PROXY, follow_redirects=False) as http:
        form = {**WRONG, "next": "/"}
        page = http.post("/login", data=form, headers={"X-Forwarded-For": "203.0.113.9"})
        assert page.status_code == 401
    assert counted(accounts) == ["address:203.0.113.9", "user:ru-web@203.0.113.9"]


def test_without_trusted_proxies_the_proxys_own_address_is_counted(
    db: Database, ledger: Ledger, accounts: Accounts
) -> None:
    load_scenario(ledger, scenario())
    settings = Settings(database_url=db.url, deliver_webhooks=False)
    with TestClient(create_app(settings, db), client=PROXY) as http:
        attempt = http.post("/api/v1/session", json=WRONG, headers={"X-Forwarded-For": "1.2.3.4"})
        assert attempt.status_code == 401
    assert counted(accounts) == ["address:10.0.0.5", "user:ru-web@10.0.0.5"]


def test_a_trusted_proxies_setting_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'proxy\.example' is not an IP address or network"):
        Settings(trusted_proxies="10.0.0.5, proxy.example")
