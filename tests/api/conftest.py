from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from builders import scenario
from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store.database import Database


@pytest.fixture
def client(db: Database, ledger: Ledger) -> Iterator[TestClient]:
    load_scenario(ledger, scenario())
    app = create_app(Settings(database_url=db.url), db)
    with TestClient(app) as test_client:
        yield test_client
