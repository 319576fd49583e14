"""A party that holds its own key registers it and signs its own writes; the host never
sees the private key, cannot sign for the party, and the ledger verifies."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.conftest import SignAs
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.workflow import Role
from ceasefire.ledger import Opening, PartyKey
from ceasefire.services.ledger import Ledger
from ceasefire.services.rotations import rotate_key
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t

REPORT: dict[str, Any] = {
    "source": "ru-centre",
    "source_id": "2016-03-05-017",
    "date_start": "2016-03-05",
    "lon": 36.9,
    "lat": 35.1,
    "event_type": "Battles",
    "narrative": "Reported by the Hmeymim reconciliation centre.",
}


def signed(prepared: dict[str, Any], key: PartyKey) -> dict[str, Any]:
    message = base64.b64decode(prepared["message"])
    return {
        "author": prepared["author"],
        "time": prepared["time"],
        "start": prepared["start"],
        "signature": base64.b64encode(key.sign(message)).decode(),
    }


def register(client: TestClient, party: str, key: PartyKey) -> dict[str, Any]:
    body = {"name": key.name, "public_key": base64.b64encode(key.public_bytes).decode()}
    prepared = client.post(f"/api/v1/parties/{party}/keys/prepare", json=body)
    assert prepared.status_code == 200, prepared.text
    registered = client.post(
        f"/api/v1/parties/{party}/keys", json={**body, "signed": signed(prepared.json(), key)}
    )
    assert registered.status_code == 201, registered.text
    result: dict[str, Any] = registered.json()
    return result


@pytest.fixture
def ru(anonymous: TestClient, sign_as: SignAs) -> TestClient:
    """Signed in as an admin of the co-chair "ru", which holds its own key."""
    anonymous.headers.update(sign_as("ru", Role.ADMIN))
    return anonymous


def test_a_party_registers_its_key_and_signs_its_report_itself(
    ru: TestClient, ledger: Ledger
) -> None:
    client = ru
    key = PartyKey.generate("ru.example/hmeymim")
    registered = register(client, "ru", key)
    assert registered["key_id"] == key.key_id
    prepared = client.post("/api/v1/reports/prepare", json={"author": "ru", "report": REPORT})
    assert prepared.status_code == 200, prepared.text
    (entry,) = [json.loads(e) for e in prepared.json()["entries"]]
    assert (entry["kind"], entry["author_party"], entry["author_key_id"]) == (
        "report.created",
        "ru",
        key.key_id,
    )
    # the report is the co-chairs' (sealed): the party reads what it signs in the opening
    (line,) = prepared.json()["openings"]
    opening = Opening.from_json(line.encode())
    assert opening.state["narrative"] == REPORT["narrative"]
    assert entry["change"]["sealed"]["commitment"] == opening.commitment()
    assert client.get("/api/v1/reports").json()["items"] == []  # preparing stores nothing
    created = client.post(
        "/api/v1/reports", json={**REPORT, "signed": signed(prepared.json(), key)}
    )
    assert created.status_code == 201, created.text
    index = created.json()["ledger_index"]
    leaf = client.get("/api/v1/ledger/entries", params={"start": index}).json()["leaves"][0]
    assert json.loads(leaf)["entry"] == entry
    with ledger.db.read() as conn:
        held = (
            conn.execute(
                select(t.party_keys.c.sealed_private).where(t.party_keys.c.party_id == "ru")
            )
            .scalars()
            .all()
        )
    assert held == [None]  # the server holds no private key of ru
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []


def test_self_signed_writes_that_do_not_check_out_are_refused(
    ru: TestClient, sign_as: SignAs
) -> None:
    client = ru
    key = PartyKey.generate("ru.example/hmeymim")
    no_key = client.post("/api/v1/reports/prepare", json={"author": "ru", "report": REPORT})
    assert no_key.status_code == 422 and no_key.json()["field"] == "author"
    register(client, "ru", key)
    prepared = client.post(
        "/api/v1/reports/prepare", json={"author": "ru", "report": REPORT}
    ).json()
    impostor = PartyKey.generate("ru.example/hmeymim")
    forged = client.post("/api/v1/reports", json={**REPORT, "signed": signed(prepared, impostor)})
    assert forged.status_code == 422
    assert forged.json()["field"] == "signed.signature"
    us = sign_as("us", Role.REPORTER)
    moved = client.post("/api/v1/reports", json={**REPORT, "source_id": "other"}, headers=us)
    assert moved.status_code == 201  # another party's write moves the log on
    late = client.post("/api/v1/reports", json={**REPORT, "signed": signed(prepared, key)})
    assert late.status_code == 409
    assert "prepare the write again" in late.json()["message"]


def test_a_key_must_sign_its_own_registration(anonymous: TestClient, sign_as: SignAs) -> None:
    client = anonymous
    client.headers.update(sign_as("us", Role.ADMIN))
    key, other = PartyKey.generate("us.example/a"), PartyKey.generate("us.example/b")
    body = {"name": key.name, "public_key": base64.b64encode(key.public_bytes).decode()}
    prepared = client.post("/api/v1/parties/us/keys/prepare", json=body).json()
    refused = client.post(
        "/api/v1/parties/us/keys", json={**body, "signed": signed(prepared, other)}
    )
    assert refused.status_code == 422 and refused.json()["field"] == "signed.signature"
    unsigned = client.post("/api/v1/parties/us/keys", json=body)
    assert unsigned.status_code == 422 and unsigned.json()["field"] == "signed"
    other_party = client.post("/api/v1/parties/ru/keys/prepare", json=body)
    assert other_party.status_code == 403  # an admin of us acts for us only


def test_a_party_holding_its_own_key_signs_its_assessment(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    http = anonymous
    key = PartyKey.generate("ru.example/hmeymim")
    ru_admin, ru_officer = sign_as("ru", Role.ADMIN), sign_as("ru", Role.OFFICER)
    http.headers.update(ru_admin)
    register(http, "ru", key)
    http.headers.pop("Authorization")
    us = sign_as("us", Role.REPORTER)
    incident = http.post("/api/v1/reports", json={**REPORT, "source": "us-centre"}, headers=us)
    url = f"/api/v1/incidents/{incident.json()['incident_id']}/assessments"
    body = {"finding": "no_violation", "reasoning": "Return fire at an excluded group."}
    refused = http.post(url, json=body, headers=ru_officer)  # the server holds no ru key
    assert refused.status_code == 422 and refused.json()["field"] == "author"
    prepared = http.post(f"{url}/prepare", json=body, headers=ru_officer)
    assert prepared.status_code == 200, prepared.text
    (entry,) = [json.loads(e) for e in prepared.json()["entries"]]
    assert (entry["kind"], entry["author_party"], entry["author_key_id"]) == (
        "assessment.recorded",
        "ru",
        key.key_id,
    )
    made = http.post(url, json={**body, "signed": signed(prepared.json(), key)}, headers=ru_officer)
    assert made.status_code == 201, made.text
    assert made.json()["by_party"] == {"ru": "no_violation"}
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []


def rotate(client: TestClient, party: str, new: PartyKey, signer: PartyKey) -> Any:
    body = {"name": new.name, "public_key": base64.b64encode(new.public_bytes).decode()}
    prepared = client.post(f"/api/v1/parties/{party}/keys/rotate/prepare", json=body)
    assert prepared.status_code == 200, prepared.text
    kinds = [json.loads(e)["kind"] for e in prepared.json()["entries"]]
    assert kinds == ["key.rotated", "key.revoked"]
    return client.post(
        f"/api/v1/parties/{party}/keys/rotate",
        json={**body, "signed": signed(prepared.json(), signer)},
    )


def test_a_party_rotates_its_own_key_signing_with_the_old_one(
    ru: TestClient, ledger: Ledger
) -> None:
    client = ru
    old, new = PartyKey.generate("ru.example/a"), PartyKey.generate("ru.example/b")
    register(client, "ru", old)
    forged = rotate(client, "ru", new, new)  # signed by the new key: refused
    assert forged.status_code == 422 and forged.json()["field"] == "signed.signature"
    rotated = rotate(client, "ru", new, old)
    assert rotated.status_code == 201, rotated.text
    at = rotated.json()["ledger_index"]
    prepared = client.post(
        "/api/v1/reports/prepare", json={"author": "ru", "report": REPORT}
    ).json()
    assert json.loads(prepared["entries"][0])["author_key_id"] == new.key_id
    stale = client.post("/api/v1/reports", json={**REPORT, "signed": signed(prepared, old)})
    assert stale.status_code == 422 and stale.json()["field"] == "signed.signature"
    made = client.post("/api/v1/reports", json={**REPORT, "signed": signed(prepared, new)})
    assert made.status_code == 201, made.text
    checked = verify_database(ledger.db, origin="ceasefire.localhost/ledger")
    assert checked.problems == []
    assert checked.rotations == [
        f"party ru: key rotated at entry {at}, signed by the old key ({old.key_id} → {new.key_id})"
    ]
    again = rotate(client, "ru", PartyKey.generate("ru.example/c"), old)  # the old key is done
    assert again.status_code == 422 and again.json()["field"] == "signed.signature"


def test_the_server_rotates_no_key_a_party_holds_itself(ru: TestClient, ledger: Ledger) -> None:
    register(ru, "ru", PartyKey.generate("ru.example/a"))
    with pytest.raises(InvalidInputError, match="holds its own key: it rotates it itself"):
        rotate_key(ledger, "ru")
