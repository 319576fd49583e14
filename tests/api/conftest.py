from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from builders import scenario
from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store.database import Database
from conftest import PASSWORD_MEMORY_KIB

Headers = dict[str, str]
SignAs = Callable[..., Headers]


@pytest.fixture
def accounts(db: Database) -> Accounts:
    return Accounts(db, memory_kib=PASSWORD_MEMORY_KIB)


@pytest.fixture
def sign_as(accounts: Accounts) -> SignAs:
    """Headers with an API token of a new user of ``party`` with ``role``."""
    made = 0

    def headers(party: str, role: Role = Role.OFFICER) -> Headers:
        nonlocal made
        made += 1
        username = f"{party}-{role.label}-{made}"
        accounts.add_user(party, username, role=role, password=None)
        _, token = accounts.issue_token(username)
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def anonymous(db: Database, ledger: Ledger) -> Iterator[TestClient]:
    """The app with the test scenario loaded, and no credentials. It delivers no webhooks
    by itself: the tests that do call ``dispatch_once``, and a dispatcher of the app's own
    would race them (tests/api/test_webhooks.py starts one where that is the point)."""
    load_scenario(ledger, scenario())
    # the tests' webhook receivers listen on this machine, which a host allows by a setting
    settings = Settings(database_url=db.url, deliver_webhooks=False, webhook_private_addresses=True)
    app = create_app(settings, db)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous: TestClient, sign_as: SignAs) -> TestClient:
    """Signed in as an officer of the co-chair "us"."""
    anonymous.headers.update(sign_as("us", Role.OFFICER))
    return anonymous
