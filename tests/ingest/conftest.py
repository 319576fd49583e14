"""Shared helpers for the ingest tests: the fixtures folder, the real data, reading a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.ingest.events import EventFormat, open_events

from .reading import Read, ReadEvents

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# ``shared`` sits next to the repository root: /work/shared beside /work/main.
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture
def read_events() -> ReadEvents:
    """Read a whole event file: ``read_events(path, format, source=..., encoding=...)``."""

    def read(path: Path, format: EventFormat, **options: str) -> Read:
        with open_events(path, format, **options) as events:
            return Read(list(events.rows()), events.columns)

    return read


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared_events() -> Path:
    """The real event files in ../shared/data/events, or a skip when they are absent."""
    folder = SHARED_DATA / "events"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    return folder
