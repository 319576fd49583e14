"""Browser tests: the demo served by the app on a free port (SQLite), driven by Debian's
Chromium through Playwright's Python package (never a downloaded browser).

Without /usr/bin/chromium these tests are skipped, saying so; CI sets
CEASEFIRE_TEST_BROWSER=1, and then a missing browser fails them instead. Screenshots go to
build/e2e/ (CEASEFIRE_E2E_ARTEFACTS to choose), kept as the run's artefacts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from ceasefire.app import create_app
from ceasefire.config import Settings
from conftest import LEDGER_SECRET, PASSWORD_MEMORY_KIB, SEAL_COST
from served import free_port

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parents[2]
ARTEFACTS = Path(os.environ.get("CEASEFIRE_E2E_ARTEFACTS", ROOT / "build" / "e2e"))
ENV = {
    "CEASEFIRE_LEDGER_SECRET": LEDGER_SECRET,
    "CEASEFIRE_LEDGER_SEAL_COST": str(SEAL_COST),
    "CEASEFIRE_PASSWORD_MEMORY_KIB": str(PASSWORD_MEMORY_KIB),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CEASEFIRE_TEST_BROWSER"):
        raise pytest.UsageError(f"CEASEFIRE_TEST_BROWSER is set, but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's database URL (SQLite): both agreements, the bundled events, the users."""
    path = tmp_path_factory.mktemp("e2e") / "demo.sqlite"
    url = f"sqlite:///{path}"
    loaded = subprocess.run(
        [Path(sys.executable).with_name("ceasefire"), "--db", url, "demo", "--no-serve"],
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    return url


@pytest.fixture(scope="session")
def demo_url(demo_database: str) -> Iterator[str]:
    """The demo, served."""
    url = demo_database
    saved = {name: os.environ.get(name) for name in ENV}
    os.environ.update(ENV)
    try:
        settings = Settings(database_url=url, deliver_webhooks=False)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


OpenAs = Callable[..., Page]


@pytest.fixture
def open_as(browser: Browser, demo_url: str) -> Iterator[OpenAs]:
    """A page in a browser context of its own, signed in at /login as a demo user; every
    script error on it fails the test."""
    contexts = []
    errors: list[str] = []

    def signed_in(
        username: str, *, width: int = 1366, height: int = 768, language: str | None = None
    ) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale={"ru": "ru-RU", "ar": "ar-SY"}.get(language or "", "en-GB"),
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{username}: {error}"))
        page.goto(f"{demo_url}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", f"{username}-demo")
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url(f"{demo_url}/")
        # the language is kept with the account: choose it every time (English by default)
        if page.get_attribute("html", "lang") != (language or "en"):
            with page.expect_navigation():
                page.select_option("#language-choice", language or "en")
        return page

    yield signed_in
    for context in contexts:
        context.close()
    assert errors == [], "script errors in the pages"


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
