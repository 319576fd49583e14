"""Webhooks: a real HTTP receiver gets each new potential violation, signed with HMAC-SHA256;
failed deliveries are retried and logged, and a webhook that keeps failing is disabled."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.conftest import SignAs
from builders import report, scenario
from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.domain.workflow import Role
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.webhooks import MAX_FAILURES, Dispatcher, dispatch_once
from ceasefire.store.database import Database


class Receiver:
    """A local HTTP server that answers each POST with the next status of ``statuses``
    (200 once they run out) and keeps what it received."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.received.append((dict(self.headers), body))
                status = owner.statuses.pop(0) if owner.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _receivers_on_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test receivers listen on 127.0.0.1, which a host allows only by this setting."""
    monkeypatch.setenv("CEASEFIRE_WEBHOOK_PRIVATE_ADDRESSES", "true")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver([500])  # the first attempt fails
    yield found
    found.close()


def test_a_webhook_receives_each_matching_incident_signed_after_a_retry(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger, receiver: Receiver
) -> None:
    officer = sign_as("us", Role.OFFICER)
    made = anonymous.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "classification": "potential_violation"},
        headers=officer,
    )
    assert made.status_code == 201, made.text
    hook = made.json()
    submit_report(ledger, report("outside", lon=20.0, lat=20.0))  # filtered out
    submit_report(ledger, report("inside", day=date(2016, 3, 3)))
    assert dispatch_once(ledger.db, backoff=(0.01, 0.01, 0.01), allow_private=True) == 1
    assert len(receiver.received) == 2  # the failed attempt, then the delivery
    headers, body = receiver.received[-1]
    expected = "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Ceasefire-Signature"] == expected
    message = json.loads(body)
    assert message["event"] == "incident"
    assert message["incident"]["classification"] == "potential_violation"
    # the same form as the API's incident list (and the live feed): one serializer
    listed = anonymous.get("/api/v1/incidents?reasons=true", headers=officer).json()["items"]
    (same,) = [i for i in listed if i["id"] == message["incident"]["id"]]
    assert message["incident"] == same and "agreement" in same
    assert headers["X-Ceasefire-Delivery"] == str(message["sequence"])
    log = anonymous.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=officer).json()
    assert [(d["attempts"], d["status_code"], d["error"]) for d in log] == [(2, 200, None)]
    # nothing new: nothing sent twice
    assert dispatch_once(ledger.db, backoff=(0.01,), allow_private=True) == 0
    other = sign_as("ru", Role.OFFICER)
    hidden = anonymous.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=other)
    assert hidden.status_code == 404  # another party's webhook does not exist for ru


def test_a_webhook_that_keeps_failing_is_disabled(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    officer = sign_as("us", Role.OFFICER)
    hook = anonymous.post(
        "/api/v1/webhooks", json={"url": f"http://127.0.0.1:{port}/gone"}, headers=officer
    ).json()
    for n in range(MAX_FAILURES + 1):
        submit_report(ledger, report(f"r{n}", lon=36.0 + n / 10))
    dispatch_once(ledger.db, backoff=(0.0,), allow_private=True)
    listed = anonymous.get("/api/v1/webhooks", headers=officer).json()
    assert listed[0]["active"] is False and listed[0]["failures"] == MAX_FAILURES
    log = anonymous.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=officer).json()
    assert len(log) == MAX_FAILURES
    assert all(d["error"].startswith("no answer") and d["attempts"] == 2 for d in log)


def test_the_server_delivers_on_its_own(
    db: Database, ledger: Ledger, sign_as: SignAs, receiver: Receiver
) -> None:
    load_scenario(ledger, scenario())
    receiver.statuses.clear()
    app = create_app(Settings(database_url=db.url, feed_poll_seconds=0.05), db)
    with TestClient(app) as http:  # starts the dispatcher
        http.post(
            "/api/v1/webhooks", json={"url": receiver.url}, headers=sign_as("us", Role.OFFICER)
        )
        submit_report(ledger, report("live"))
        deadline = time.monotonic() + 10
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(receiver.received) == 1


def test_a_webhook_needs_an_http_url(anonymous: TestClient, sign_as: SignAs) -> None:
    bad = anonymous.post(
        "/api/v1/webhooks", json={"url": "file:///etc/passwd"}, headers=sign_as("us")
    )
    assert bad.status_code == 422 and bad.json()["field"] == "url"


def test_a_stopping_server_ends_the_retries_and_leaves_the_change_for_the_next(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    officer = sign_as("us", Role.OFFICER)
    made = anonymous.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/x"}, headers=officer)
    assert made.status_code == 201, made.text
    submit_report(ledger, report("late"))
    stop = threading.Event()
    calls: list[str] = []

    def refused(url: str, body: bytes, headers: dict[str, str]) -> int:
        calls.append(url)
        stop.set()  # the server is asked to stop while the first attempt fails
        raise OSError("connection refused")

    started = time.monotonic()
    sent = dispatch_once(ledger.db, send=refused, backoff=(30.0, 30.0), stop=stop)
    assert time.monotonic() - started < 5  # not the 60 s of retries
    assert (sent, len(calls)) == (0, 1)
    log = anonymous.get(f"/api/v1/webhooks/{made.json()['id']}/deliveries", headers=officer)
    assert log.json() == []  # nothing given up on, so nothing logged
    assert dispatch_once(ledger.db, send=lambda *_: 200, backoff=()) == 1  # sent next time


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_a_webhook_may_not_reach_inside_the_hosts_network(
    db: Database, ledger: Ledger, sign_as: SignAs, url: str
) -> None:
    load_scenario(ledger, scenario())
    settings = Settings(
        database_url=db.url, deliver_webhooks=False, webhook_private_addresses=False
    )
    with TestClient(create_app(settings, db)) as client:
        refused = client.post(
            "/api/v1/webhooks", json={"url": url}, headers=sign_as("us", Role.OFFICER)
        )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "url"
    assert "address" in refused.json()["message"]


def test_every_delivery_checks_the_address_again_and_follows_no_redirect(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger, receiver: Receiver
) -> None:
    headers = sign_as("us", Role.OFFICER)
    made = anonymous.post("/api/v1/webhooks", json={"url": receiver.url}, headers=headers)
    assert made.status_code == 201, made.text
    submit_report(ledger, report("1", day=date(2016, 3, 3)))
    # the host no longer allows its own network: the same URL is refused at delivery
    assert dispatch_once(ledger.db, backoff=(0.0,), allow_private=False) == 1
    assert receiver.received == []
    (delivery,) = anonymous.get(
        f"/api/v1/webhooks/{made.json()['id']}/deliveries", headers=headers
    ).json()
    assert "refused" in delivery["error"] and "loopback" in delivery["error"]

    receiver.statuses = [302, 302, 302, 302]  # a redirect is an answer, not a place to go
    submit_report(ledger, report("2", day=date(2016, 3, 4), lon=36.6))
    assert dispatch_once(ledger.db, backoff=(0.0, 0.0, 0.0), allow_private=True) == 1
    assert len(receiver.received) == 4
    assert all(h.get("X-Ceasefire-Event") == "incident" for h, _ in receiver.received)


def test_a_dead_receiver_delays_only_its_own_partys_deliveries(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    slow = Receiver([500] * 10)
    fast = Receiver([])
    original = slow.server.RequestHandlerClass.do_POST  # type: ignore[attr-defined]

    def stall(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(2.0)  # a receiver that hangs on every attempt
        original(handler)

    slow.server.RequestHandlerClass.do_POST = stall  # type: ignore[attr-defined]
    try:
        us, ru = sign_as("us", Role.OFFICER), sign_as("ru", Role.OFFICER)
        assert (
            anonymous.post("/api/v1/webhooks", json={"url": slow.url}, headers=us).status_code
            == 201
        )
        assert (
            anonymous.post("/api/v1/webhooks", json={"url": fast.url}, headers=ru).status_code
            == 201
        )
        dispatcher = Dispatcher(ledger.db, 0.05, allow_private=True)
        dispatcher.start()
        try:
            submit_report(ledger, report("1", day=date(2016, 3, 3)))
            started = time.monotonic()
            while not fast.received and time.monotonic() - started < 5:
                time.sleep(0.05)
            took = time.monotonic() - started
        finally:
            dispatcher.stop()
        assert fast.received, "the other party's receiver got nothing"
        assert took < 1.5, took  # not held behind the slow receiver's 2 s attempts
    finally:
        slow.close()
        fast.close()
