"""/api/v1/actors: which actor a name refers to, as the CLI answers it, and an actor."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.conftest import SignAs
from api.test_visibility import OUTSIDERS
from builders import report
from ceasefire.domain.workflow import Role
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.mapping_runs import LOCK
from ceasefire.services.scenarios import load_scenario


def test_resolve_answers_with_the_match_and_the_candidates(client: TestClient) -> None:
    found = client.get("/api/v1/actors/resolve", params={"name": "Джебхат ан-Нусра"})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["name"] == "Джебхат ан-Нусра"
    assert body["match"] == {
        "id": "nusra",
        "name": "Jabhat al-Nusra",
        "un_reference": None,
        "score": 1.0,
    }
    assert body["candidates"][0]["alias"] in ("Jabhat al-Nusra", "Al-Nusrah Front")

    none = client.get("/api/v1/actors/resolve", params={"name": "Jaish al-Islam"}).json()
    assert none["match"] is None


def test_a_bad_name_is_a_422_naming_it(client: TestClient) -> None:
    for params in ({}, {"name": ""}, {"name": "x" * 301}):
        refused = client.get("/api/v1/actors/resolve", params=params)
        assert refused.status_code == 422, params
        assert "name" in refused.text


def test_an_actor_with_its_names(client: TestClient) -> None:
    actor = client.get("/api/v1/actors/nusra")
    assert actor.status_code == 200
    assert actor.json()["aliases"] == ["Al-Nusrah Front", "جبهة النصرة"]
    assert actor.json()["affiliations"] == []
    assert client.get("/api/v1/actors/nobody").status_code == 404


def test_the_register_is_not_open_to_outsiders(anonymous: TestClient) -> None:
    assert anonymous.get("/api/v1/actors/resolve", params={"name": "x"}).status_code == 401


def test_an_analyst_maps_an_unresolved_name(
    client: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    submit_report(ledger, report("1", actors=("Jaysh al-Fatah",)))
    listed = client.get("/api/v1/actors/unresolved").json()
    assert listed["total"] == 1 and listed["names"][0]["name"] == "Jaysh al-Fatah"
    officer = client.post(
        "/api/v1/actors/mappings", json={"name": "Jaysh al-Fatah", "actor_id": "nusra"}
    )
    assert officer.status_code == 201, officer.text
    assert officer.json()["incidents_changed"] == 1
    mapping = client.get(f"/api/v1/actors/mappings/{officer.json()['mapping_id']}").json()
    assert mapping["progress"] == 1.0 and mapping["failures"] == 0
    assert mapping["finished"] is not None and mapping["incidents_changed"] == 1
    assert "reports_total" not in mapping  # some may be of agreements a party does not read
    assert (mapping["name"], mapping["actor_id"], mapping["mapped_by"]) == (
        "Jaysh al-Fatah",
        "nusra",
        "us",
    )
    other = client.get(
        f"/api/v1/actors/mappings/{officer.json()['mapping_id']}",
        headers=sign_as("ru", Role.OBSERVER),
    ).json()
    assert other["finished"] is not None and other["incidents_changed"] is None  # not theirs
    assert client.get("/api/v1/actors/mappings/999999").status_code == 404
    assert client.get("/api/v1/actors/mappings/0").status_code == 422
    assert client.get("/api/v1/actors/unresolved").json() == {"names": [], "total": 0}
    reader = client.post(
        "/api/v1/actors/mappings",
        json={"name": "x", "actor_id": None},
        headers=sign_as("us", Role.OBSERVER),
    )
    assert reader.status_code == 403
    unknown = client.post("/api/v1/actors/mappings", json={"name": "x", "actor_id": "nobody"})
    assert unknown.status_code == 422 and "actor" in unknown.json()["message"]


def test_a_party_sees_only_the_unresolved_names_of_the_reports_it_reads(
    client: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    """A report filed under an agreement is read by its parties alone: the names it gives
    are not shown to a party outside the agreement, even as names to resolve."""
    submit_report(ledger, report("1", actors=("Liwa Sirri",)), author="ru", scope="syria")
    submit_report(ledger, report("2", actors=("Liwa Alani",)), scope=None)
    load_scenario(ledger, OUTSIDERS)
    outsider = client.get("/api/v1/actors/unresolved", headers=sign_as("osce", Role.OBSERVER))
    assert outsider.status_code == 200
    assert [n["name"] for n in outsider.json()["names"]] == ["Liwa Alani"]
    assert outsider.json()["total"] == 1
    member = client.get("/api/v1/actors/unresolved", headers=sign_as("ru", Role.OBSERVER))
    assert {n["name"] for n in member.json()["names"]} == {"Liwa Sirri", "Liwa Alani"}


def test_a_mapping_counts_only_the_incidents_the_mapping_party_reads(
    client: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    submit_report(ledger, report("1", actors=("Liwa Sirri",)), author="ru", scope="syria")
    load_scenario(ledger, OUTSIDERS)
    body = {"name": "Liwa Sirri", "actor_id": "nusra"}
    outsider = client.post(
        "/api/v1/actors/mappings", json=body, headers=sign_as("osce", Role.ANALYST)
    )
    assert outsider.status_code == 201 and outsider.json()["incidents_changed"] == 0
    body["actor_id"] = "saa"
    member = client.post("/api/v1/actors/mappings", json=body, headers=sign_as("ru", Role.ANALYST))
    assert member.status_code == 201 and member.json()["incidents_changed"] == 1


def test_a_mapping_asked_to_respond_async_answers_before_its_run_and_says_where_to_follow(
    client: TestClient, ledger: Ledger
) -> None:
    """The runs' lock held elsewhere (another server process busy with another run): the
    answer comes at once, 202, the mapping as `GET` gives it, not yet finished."""
    submit_report(ledger, report("1", actors=("Jaysh al-Fatah",)))
    body = {"name": "Jaysh al-Fatah", "actor_id": "nusra"}
    with ledger.db.exclusive(LOCK) as mine:
        assert mine
        accepted = client.post(
            "/api/v1/actors/mappings", json=body, headers={"Prefer": "wait=5, Respond-Async"}
        )
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["finished"] is None and accepted.json()["progress"] is None
    location = accepted.headers["location"]
    assert location == f"/api/v1/actors/mappings/{accepted.json()['mapping_id']}"
    assert accepted.headers["preference-applied"] == "respond-async"
    client.app.state.mapping_runner.wake()  # type: ignore[attr-defined]
    for _ in range(100):
        followed = client.get(location).json()
        if followed["finished"] is not None:
            break
        time.sleep(0.1)
    assert followed["progress"] == 1.0 and followed["incidents_changed"] == 1
    waited = client.post(
        "/api/v1/actors/mappings", json={"name": "Liwa Sirri", "actor_id": None},
        headers={"Prefer": "return=minimal"},
    )  # fmt: skip
    assert waited.status_code == 201 and waited.json()["incidents_changed"] == 0
