"""The app does no blocking work on its event loop: authenticated requests whose database
reads are slow are still served side by side."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.conftest import SignAs
from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.store.database import Database
from overlaps import AtOnce
from served import run_apart

DELAY = 0.25  # seconds each authentication's database read is made to take


def test_twenty_authenticated_requests_are_served_concurrently(
    anonymous: TestClient, db: Database, sign_as: SignAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = sign_as("us", Role.OBSERVER)  # (the scenario that makes "us" is loaded)
    real = Accounts.authenticate
    reads = AtOnce()

    def slow(self: Accounts, secret: str, kind: str) -> Any:
        with reads.during():
            time.sleep(DELAY)  # as a database read under load would, holding its thread
        return real(self, secret, kind)

    monkeypatch.setattr(Accounts, "authenticate", slow)
    app = create_app(Settings(database_url=db.url, deliver_webhooks=False), db)

    async def twenty() -> tuple[float, list[int]]:
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),  # as served: Settings.threads at once
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            began = time.perf_counter()
            responses = await asyncio.gather(
                *(client.get("/api/v1/me", headers=headers) for _ in range(20))
            )
            return time.perf_counter() - began, [r.status_code for r in responses]

    elapsed, statuses = run_apart(twenty)
    assert statuses == [200] * 20
    # one after the other they would take 20 * DELAY = 5 s; the thread pool overlaps them,
    # as many at a time as a server process works on (two turns: 2 * DELAY)
    assert elapsed < 8 * DELAY, f"{elapsed:.2f} s for 20 requests"
    assert reads.most == Settings().threads == 12
