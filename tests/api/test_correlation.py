"""/api/v1/correlation/candidates: the queue of conflicting accounts, confirmed (a merge)
or rejected (never proposed again), by analysts of the parties that read them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.conftest import SignAs
from ceasefire.domain.workflow import Role

US: dict[str, Any] = {
    "source": "us-centre",
    "source_id": "2016-03-02-001",
    "date_start": "2016-03-02",
    "lon": 36.29,
    "lat": 33.51,
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actors": [{"name": "Syrian Arab Army", "role": "actor1"}],
    "narrative": "Clashes in Jobar.",
}
RU = {**US, "source": "ru-centre", "lon": 36.32, "actors": [{"name": "Jabhat al-Nusra"}]}
QUEUE = "/api/v1/correlation/candidates"


def file(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> int:
    response = client.post("/api/v1/reports", json=body, headers=headers)
    assert response.status_code == 201, response.text
    incident: int = response.json()["incident_id"]
    return incident


def two_accounts(client: TestClient, sign_as: SignAs) -> tuple[int, int]:
    a = file(client, sign_as("us", Role.REPORTER), US)
    b = file(client, sign_as("ru", Role.REPORTER), RU)
    assert a != b
    return min(a, b), max(a, b)


def test_conflicting_accounts_are_queued_and_confirming_makes_one_incident(
    anonymous: TestClient, sign_as: SignAs
) -> None:
    a, b = two_accounts(anonymous, sign_as)
    observer = sign_as("ru", Role.OBSERVER)
    queue = anonymous.get(QUEUE, headers=observer)
    assert queue.status_code == 200
    assert queue.json()["total"] == 1
    (candidate,) = queue.json()["candidates"]
    assert (candidate["incident_id"], candidate["other_id"]) == (a, b)
    assert candidate["reasons"].startswith("2.8 km apart, same day, both 'Armed clash'")
    assert candidate["agreement_id"] == "syria"

    denied = anonymous.post(f"{QUEUE}/{a}/{b}/confirm", headers=observer)
    assert denied.status_code == 403
    confirmed = anonymous.post(f"{QUEUE}/{b}/{a}/confirm", headers=sign_as("us", Role.ANALYST))
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["id"] == a
    assert confirmed.json()["merged_ids"] == [b]
    assert confirmed.json()["report_count"] == 2
    assert anonymous.get(QUEUE, headers=observer).json()["total"] == 0
    assert anonymous.get(f"/api/v1/incidents/{b}", headers=observer).status_code == 410


def test_a_rejected_candidate_is_not_proposed_again(anonymous: TestClient, sign_as: SignAs) -> None:
    a, b = two_accounts(anonymous, sign_as)
    analyst = sign_as("ru", Role.ANALYST)
    rejected = anonymous.post(f"{QUEUE}/{a}/{b}/reject", headers=analyst)
    assert rejected.status_code == 201, rejected.text
    assert rejected.json()["incident_id"] == a and rejected.json()["other_id"] == b
    file(anonymous, sign_as("us", Role.REPORTER), {**US, "source": "osce", "lon": 36.30})
    assert anonymous.get(QUEUE, headers=analyst).json()["total"] == 0
    again = anonymous.post(f"{QUEUE}/{a}/{b}/reject", headers=analyst)
    assert again.status_code == 404
    assert again.json()["error"] == "NotFoundError"
    assert f"incidents {a} and {b}" in again.json()["message"]


def test_queue_limits_are_checked_and_need_a_signed_in_user(
    anonymous: TestClient, sign_as: SignAs
) -> None:
    observer = sign_as("us", Role.OBSERVER)
    assert anonymous.get(QUEUE).status_code == 401
    too_many = anonymous.get(QUEUE, params={"limit": 1001}, headers=observer)
    assert too_many.status_code == 422
    assert too_many.json()["field"] == "limit"
    assert anonymous.get(QUEUE, params={"min_score": 2}, headers=observer).status_code == 422
    zero = anonymous.post(f"{QUEUE}/0/1/confirm", headers=sign_as("us", Role.ANALYST))
    assert zero.status_code == 422
