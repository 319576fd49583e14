"""Shared records are visible to the agreement's parties only, generated from the route
table: a party outside the agreement reads none of its reports, incidents, findings,
measures or restrictions through any route, and no ledger entry reveals them to it; the
agreement's parties read them all, and can open every sealed entry."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from api.conftest import SignAs
from api.test_access import api_routes
from api.test_ledger import REPORT as LEDGER_REPORT
from api.test_webhooks import Receiver
from builders import DAMASCUS, ending, scenario
from ceasefire.domain.regimes import Agreement, Party
from ceasefire.domain.scenarios import Scenario
from ceasefire.domain.workflow import Role
from ceasefire.ledger import Opening, SignedEntry
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.services.webhooks import dispatch_once

# A second agreement whose only party is outside the first one.
OUTSIDERS = Scenario(
    id="outsiders",
    title="A monitoring mission of another agreement",
    parties=(Party("osce", "OSCE Special Monitoring Mission"),),
    actors=(),
    places=(),
    agreements=(Agreement("minsk", "Minsk II", "Europe/Kyiv", co_chairs=("osce",)),),
    regimes=(),
)
MARKERS = ("SECRET-REPORT", "SECRET-FINDING", "SECRET-MEASURE", "SECRET-COMMENT", "SECRET-PATROL")
REPORT = {**LEDGER_REPORT, "narrative": "SECRET-REPORT shelling seen from the north"}


@dataclass
class World:
    http: TestClient
    us: dict[str, str]
    ru: dict[str, str]
    osce: dict[str, str]
    report: dict[str, object]
    open_report: dict[str, object]
    measure: int
    ids: dict[str, str]


def ok(response: object, status: int = 200) -> dict[str, object]:
    assert hasattr(response, "status_code") and hasattr(response, "json")
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    found = response.json()  # type: ignore[attr-defined]
    assert isinstance(found, dict)
    return found


@pytest.fixture
def world(anonymous: TestClient, sign_as: SignAs, ledger: Ledger) -> World:
    """us files under the Syrian agreement (its only one, so by default) and works the
    incident with ru; osce, a party of another agreement, looks on; us also files an
    open report, for every party."""
    load_scenario(ledger, OUTSIDERS)
    http = anonymous
    us, ru, osce = sign_as("us"), sign_as("ru"), sign_as("osce")
    report = ok(http.post("/api/v1/reports", json=REPORT, headers=us), 201)
    assert report["agreement"] == "syria"
    incident = report["incident_id"]
    ok(
        http.post(
            f"/api/v1/incidents/{incident}/assessments",
            json={"finding": "violation", "reasoning": "SECRET-FINDING the maps agree"},
            headers=us,
        ),
        201,
    )
    measure = ok(
        http.post(
            f"/api/v1/incidents/{incident}/measures",
            json={
                "kind": "demarche",
                "description": "SECRET-MEASURE démarche",
                "owner_party": "ru",
            },
            headers=us,
        ),
        201,
    )
    ok(
        http.post(
            f"/api/v1/measures/{measure['id']}/comments",
            json={"text": "SECRET-COMMENT delivered"},
            headers=ru,
        ),
        201,
    )
    ok(
        http.post(
            "/api/v1/restrictions",
            json={
                "patrol": "SECRET-PATROL team 3",
                "time": "2016-03-04T08:00:00+02:00",
                "lon": 36.3,
                "lat": 33.5,
                "denied_by": "Syrian Arab Army",
            },
            headers=us,
        ),
        201,
    )
    open_report = ok(
        http.post(
            "/api/v1/reports",
            json={
                **REPORT,
                "source_id": "open-1",
                "lon": 38.0,
                "narrative": "OPEN press release",
                "agreement": None,
            },
            headers=us,
        ),
        201,
    )
    assert open_report["agreement"] is None
    ids = {
        "incident_id": str(incident),
        "report_id": str(report["id"]),
        "measure_id": str(measure["id"]),
        "agreement_id": "syria",
        "regime_id": "coh",
    }
    return World(http, us, ru, osce, report, open_report, int(str(measure["id"])), ids)


def fill(path: str, ids: dict[str, str], party: str) -> str:
    path = path.replace("{party_id}", party)
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return re.sub(r"\{[a-z_]+\}", "999999", path)


def every_get(world: World, headers: dict[str, str], party: str) -> dict[str, str]:
    """The text of every GET route of the app, filled with the secret records' ids,
    asked for everything it can give (the stream replays the ledger from its start)."""
    answers = {}
    for method, path in api_routes():
        if method != "GET":
            continue
        url = fill(path, world.ids, party)
        response = world.http.get(
            url,
            headers={**headers, "Last-Event-ID": "0"},
            params={"max_seconds": "0.5", "limit": "1000", "reasons": "true"},
        )
        assert response.status_code < 500, f"{url}: {response.status_code} {response.text}"
        answers[url] = response.text
    return answers


def test_no_route_shows_an_outsider_anything_of_the_agreements_records(world: World) -> None:
    seen = every_get(world, world.osce, "osce")
    leaks = [(url, m) for url, text in seen.items() for m in MARKERS if m in text]
    assert leaks == []
    # and what is open, it reads: the open report, its incident
    assert any("OPEN press release" in text for text in seen.values())


def test_the_agreements_parties_read_every_record_through_the_same_routes(
    world: World,
) -> None:
    for headers, party in ((world.us, "us"), (world.ru, "ru")):
        seen = "\n".join(every_get(world, headers, party).values())
        assert [m for m in MARKERS if m not in seen] == [], party


def test_an_outsider_is_told_the_records_do_not_exist_or_are_not_its_own(world: World) -> None:
    http, osce, ids = world.http, world.osce, world.ids
    for url in (f"/api/v1/incidents/{ids['incident_id']}", f"/api/v1/reports/{ids['report_id']}"):
        response = http.get(url, headers=osce)
        assert response.status_code == 404 and "does not exist" in response.text
    findings = http.get(f"/api/v1/incidents/{ids['incident_id']}/findings", headers=osce)
    assert findings.status_code == 404
    open_incident = world.open_report["incident_id"]
    named = http.get(
        f"/api/v1/incidents/{open_incident}/findings",
        params={"agreement_id": "syria"},
        headers=osce,
    )
    assert named.status_code == 403 and "osce is not a party of syria" in named.text
    listed = ok(http.get("/api/v1/incidents", headers=osce))["items"]
    assert [i["id"] for i in listed] == [open_incident]  # type: ignore[index]


def test_an_outsider_cannot_act_on_the_agreements_records(world: World) -> None:
    http, osce, ids = world.http, world.osce, world.ids
    commented = http.post(
        f"/api/v1/measures/{world.measure}/comments", json={"text": "x"}, headers=osce
    )
    assert commented.status_code == 404
    merged = http.post(
        "/api/v1/incidents/merge",
        json={"incident_ids": [int(ids["incident_id"]), world.open_report["incident_id"]]},
        headers=osce,
    )
    assert merged.status_code == 404
    split = http.post(
        f"/api/v1/incidents/{ids['incident_id']}/split",
        json={"report_ids": [int(ids["report_id"])]},
        headers=osce,
    )
    assert split.status_code == 404


def test_incidents_of_two_scopes_are_never_merged(world: World) -> None:
    both = [int(world.ids["incident_id"]), world.open_report["incident_id"]]
    merged = world.http.post(
        "/api/v1/incidents/merge", json={"incident_ids": both}, headers=world.us
    )
    assert merged.status_code == 422
    assert "different scopes" in merged.json()["message"]


def test_the_ledger_seals_the_agreements_entries_and_opens_them_to_its_parties_only(
    world: World, ledger: Ledger
) -> None:
    http = world.http
    leaves = ok(http.get("/api/v1/ledger/entries", headers=world.osce))["leaves"]
    assert isinstance(leaves, list)
    entries = [SignedEntry.from_leaf(leaf.encode()).entry for leaf in leaves]
    sealed = {e.sequence: e.sealed() for e in entries if e.sealed() is not None}
    kinds = {e.kind for e in entries if e.sealed() is not None}
    assert {"report.created", "assessment.recorded", "measure.proposed"} <= kinds
    assert {"measure.commented", "restriction.recorded"} <= kinds
    assert not any(m in "".join(leaves) for m in MARKERS)
    assert "OPEN press release" in "".join(leaves)  # the open report's entry is plain
    outsider = ok(http.get("/api/v1/ledger/openings", headers=world.osce))["openings"]
    assert outsider == []
    opened = ok(http.get("/api/v1/ledger/openings", headers=world.ru))["openings"]
    assert isinstance(opened, list)
    assert sorted(o["sequence"] for o in opened) == sorted(sealed)
    for item in opened:
        opening = Opening.from_json(item["line"].encode())
        assert sealed[opening.sequence] == ("syria", opening.commitment())
    assert verify_database(ledger.db, origin=None).problems == []


def test_the_outsiders_stream_replays_only_what_it_may_read(world: World) -> None:
    response = world.http.get(
        "/api/v1/stream",
        headers={**world.osce, "Last-Event-ID": "0"},
        params={"max_seconds": "0.5"},
    )
    events = [json.loads(line[6:]) for line in response.text.splitlines() if line[:6] == "data: "]
    assert [e["id"] for e in events] == [world.open_report["incident_id"]]


def test_a_party_of_several_agreements_must_name_one_and_only_its_own(
    world: World, sign_as: SignAs, ledger: Ledger
) -> None:
    http = world.http
    load_scenario(
        ledger,
        Scenario(
            id="more",
            title="ru in two agreements",
            parties=(),
            actors=(),
            places=(),
            regimes=(),
            agreements=(Agreement("minsk-2", "Minsk II", "Europe/Kyiv", co_chairs=("ru", "osce")),),
        ),
    )
    ru = sign_as("ru", Role.REPORTER)
    body = {**REPORT, "source_id": "ru-1"}
    unsaid = http.post("/api/v1/reports", json=body, headers=ru)
    assert unsaid.status_code == 422
    assert unsaid.json()["field"] == "agreement" and "minsk-2, syria" in unsaid.json()["message"]
    foreign = http.post("/api/v1/reports", json={**body, "agreement": "minsk"}, headers=ru)
    assert foreign.status_code == 422 and "ru is not a party of minsk" in foreign.json()["message"]
    unknown = http.post("/api/v1/reports", json={**body, "agreement": "nowhere"}, headers=ru)
    assert unknown.status_code == 422 and "does not exist" in unknown.json()["message"]
    named = ok(http.post("/api/v1/reports", json={**body, "agreement": "minsk-2"}, headers=ru), 201)
    assert named["agreement"] == "minsk-2"
    assert ok(http.get(f"/api/v1/reports/{named['id']}", headers=world.osce))["id"] == named["id"]
    assert http.get(f"/api/v1/reports/{named['id']}", headers=world.us).status_code == 404


def test_a_draft_left_without_an_agreement_is_filed_under_the_partys_own_when_shared(
    world: World,
) -> None:
    http = world.http
    draft = ok(
        http.post("/api/v1/drafts", json={**REPORT, "source_id": "d-1"}, headers=world.us), 201
    )
    assert "agreement" not in draft["report"]  # type: ignore[operator]
    shared = ok(http.post(f"/api/v1/drafts/{draft['id']}/share", headers=world.us), 201)
    assert shared["agreement"] == "syria"


def test_a_webhook_delivers_only_what_its_party_may_read(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    load_scenario(ledger, OUTSIDERS)
    us, osce = sign_as("us"), sign_as("osce")
    receivers = {"us": Receiver([]), "osce": Receiver([])}
    try:
        for party, headers in (("us", us), ("osce", osce)):
            made = anonymous.post(
                "/api/v1/webhooks", json={"url": receivers[party].url}, headers=headers
            )
            assert made.status_code == 201, made.text
        scoped = ok(anonymous.post("/api/v1/reports", json=REPORT, headers=us), 201)
        opened = ok(
            anonymous.post(
                "/api/v1/reports",
                json={**REPORT, "source_id": "open-1", "lon": 38.0, "agreement": None},
                headers=us,
            ),
            201,
        )
        assert dispatch_once(ledger.db, backoff=(0.01,), allow_private=True) == 3
        got = {
            party: [json.loads(body)["incident"]["id"] for _, body in r.received]
            for party, r in receivers.items()
        }
    finally:
        for r in receivers.values():
            r.close()
    assert got == {
        "us": [scoped["incident_id"], opened["incident_id"]],
        "osce": [opened["incident_id"]],
    }


def test_only_the_co_chairs_of_its_agreement_extend_a_regime(world: World, ledger: Ledger) -> None:
    load_scenario(ledger, ending(scenario(), datetime(2016, 9, 20, tzinfo=DAMASCUS)))
    http = world.http
    refused = http.post(
        "/api/v1/regimes/coh/extensions", json={"new_end": None}, headers=world.osce
    )
    assert refused.status_code == 403 and "co-chairs of syria" in refused.json()["message"]
    extended = http.post("/api/v1/regimes/coh/extensions", json={"new_end": None}, headers=world.ru)
    assert extended.status_code == 201, extended.text
    assert extended.json()["extensions"][-1]["new_end"] is None
