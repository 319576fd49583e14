"""Fixtures shared by the store, services, API and CLI tests: a fresh database per test,
SQLite always and PostgreSQL + PostGIS when CEASEFIRE_TEST_POSTGRES is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasefire.services.ledger import Ledger
from ceasefire.store.database import Database
from databases import PostgresSchemas, copy_of_migrated, migrated_sqlite

POSTGRES_URL = os.environ.get("CEASEFIRE_TEST_POSTGRES")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

LEDGER_SECRET = "a test ledger secret"
SEAL_COST = 10  # scrypt's least cost: sealing a key takes about 2 ms instead of 70
PASSWORD_MEMORY_KIB = 8  # Argon2id's least: hashing a password takes microseconds

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="set CEASEFIRE_TEST_POSTGRES to run on PostgreSQL")
    skip_shared = pytest.mark.skip(reason=f"{SHARED_DATA} is absent")
    # `make test` spreads the tests over the CPUs (pytest-xdist, --dist loadgroup): the
    # browser tests stay on one worker, which serves the demo and starts Chromium once
    browser = pytest.mark.xdist_group("browser")
    for item in items:
        if "e2e" in item.nodeid.split("/")[:2]:
            item.add_marker(browser)
        if "postgres" in item.keywords and not POSTGRES_URL:
            item.add_marker(skip_pg)
        if "shared_data" in item.keywords and not SHARED_DATA.is_dir():
            item.add_marker(skip_shared)


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated once a worker: each test gets a copy (``databases``)."""
    return migrated_sqlite(tmp_path_factory.mktemp("migrated") / "template.sqlite")


@pytest.fixture
def sqlite_db(tmp_path: Path, _migrated_sqlite: Path) -> Iterator[Database]:
    db = copy_of_migrated(_migrated_sqlite, tmp_path / "test.sqlite")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def _postgres_schemas() -> Iterator[PostgresSchemas]:
    """The worker's schemas in the test database, migrated once and reused (``databases``)."""
    assert POSTGRES_URL
    schemas = PostgresSchemas(POSTGRES_URL)
    yield schemas
    schemas.close()


@pytest.fixture
def postgres_db(_postgres_schemas: PostgresSchemas) -> Iterator[Database]:
    """A schema of the test database as a new migration leaves it, emptied afterwards (or
    dropped, if the test changed its shape)."""
    schema = _postgres_schemas.take()
    db = _postgres_schemas.database(schema)
    db.migrate()  # at the newest revision already: one read
    yield db
    db.dispose()
    _postgres_schemas.give_back(schema)


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest) -> Database:
    """A fresh, migrated database of each kind."""
    name = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    found = request.getfixturevalue(name)
    assert isinstance(found, Database)
    return found


@pytest.fixture(autouse=True)
def _ledger_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the CLI and the app read from the environment to sign writes."""
    monkeypatch.setenv("CEASEFIRE_LEDGER_SECRET", LEDGER_SECRET)
    monkeypatch.setenv("CEASEFIRE_LEDGER_SEAL_COST", str(SEAL_COST))
    monkeypatch.setenv("CEASEFIRE_PASSWORD_MEMORY_KIB", str(PASSWORD_MEMORY_KIB))
    # an in-process `ceasefire import events` would lower the test worker's priority for good
    monkeypatch.setenv("CEASEFIRE_IMPORT_NICENESS", "0")


@pytest.fixture
def ledger(db: Database) -> Ledger:
    """The ledger of a fresh database of each kind; writes are signed by the host party."""
    return Ledger(db, secret=LEDGER_SECRET, seal_cost=SEAL_COST)


def pytest_configure(config: pytest.Config) -> None:
    # every write of every test checks that the states it built from the rows it inserted
    # are the states read back (services.writers.Writer.check_written)
    from ceasefire.services.writers import Writer

    Writer.check_written = True
