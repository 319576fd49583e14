"""The live feed: a new potential violation reaches a subscriber of the stream; incidents
outside its filters do not; a reconnecting client resumes from its last event id."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

from fastapi.testclient import TestClient

from api.conftest import SignAs
from builders import report
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger


def events(lines: list[str]) -> list[tuple[int, dict[str, object]]]:
    found, event_id = [], None
    for line in lines:
        if line.startswith("id: "):
            event_id = int(line[4:])
        elif line.startswith("data: "):
            assert event_id is not None
            found.append((event_id, json.loads(line[6:])))
    return found


def test_a_new_potential_violation_reaches_a_stream_subscriber(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    headers = sign_as("ru", Role.OBSERVER)
    params = {"classification": "potential_violation", "max_seconds": "3"}

    def write_later() -> None:
        time.sleep(0.5)
        submit_report(ledger, report("outside", lon=20.0, lat=20.0))  # not in Syria
        submit_report(ledger, report("inside", day=date(2016, 3, 3)))

    writer = threading.Thread(target=write_later)
    with anonymous.stream("GET", "/api/v1/stream", params=params, headers=headers) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        writer.start()
        lines = list(response.iter_lines())
    writer.join()
    assert lines[0] == ": connected"
    ((first_id, incident),) = events(lines)
    assert incident["classification"] == "potential_violation"
    assert incident["regime_ids"] == ["coh"]
    # a client that reconnects after the first event gets nothing it has seen
    resumed_headers = {**headers, "Last-Event-ID": str(first_id)}
    submit_report(ledger, report("later", day=date(2016, 3, 4), lon=36.6))
    with anonymous.stream(
        "GET", "/api/v1/stream", params={"max_seconds": "0.5"}, headers=resumed_headers
    ) as resumed:
        later = events(list(resumed.iter_lines()))
    assert [i for i, _ in later] == [first_id + 1]


def test_a_bad_last_event_id_is_refused(anonymous: TestClient, sign_as: SignAs) -> None:
    headers = {**sign_as("ru", Role.OBSERVER), "Last-Event-ID": "yesterday"}
    refused = anonymous.get("/api/v1/stream", headers=headers)
    assert refused.status_code == 422 and refused.json()["field"] == "Last-Event-ID"


def test_a_revoked_token_closes_the_streams_open_with_it(
    anonymous: TestClient, accounts: Accounts
) -> None:
    user = accounts.add_user("ru", "ru-watcher", role=Role.OBSERVER, password=None)
    token_id, token = accounts.issue_token("ru-watcher")
    headers = {"Authorization": f"Bearer {token}"}

    def revoke_later() -> None:
        time.sleep(0.5)
        accounts.revoke(user, token_id)

    revoker = threading.Thread(target=revoke_later)
    started = time.monotonic()
    with anonymous.stream(
        "GET", "/api/v1/stream", params={"max_seconds": "30"}, headers=headers
    ) as response:
        revoker.start()
        lines = list(response.iter_lines())
    revoker.join()
    took = time.monotonic() - started
    assert took < 6, took  # within seconds, not at max_seconds
    assert "event: closed" in lines
    reason = json.loads(next(line for line in lines if line.startswith("data: "))[6:])
    assert reason == {"reason": "the API token was revoked"}
    assert anonymous.get("/api/v1/me", headers=headers).status_code == 401
