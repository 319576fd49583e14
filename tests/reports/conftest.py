from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ceasefire.cli import app
from ceasefire.store.database import Database

Run = Callable[..., Result]


@pytest.fixture
def run(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `ceasefire --db <the test database> ...` in a scratch working directory."""
    monkeypatch.chdir(tmp_path)
    if db.connect_args:  # the PostgreSQL fixture's throwaway schema
        monkeypatch.setattr(
            "ceasefire.cli.common.Database",
            lambda url, **_kw: Database(url, connect_args=db.connect_args),
        )

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, ["--db", db.url, *args], catch_exceptions=False)

    return invoke
