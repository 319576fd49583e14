"""/api/v1/ledger: a client checks a record's entry, its proof and the signed checkpoint
with nothing but the API's answers; parties add cosignatures."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from builders import DAMASCUS, ending, report, scenario
from ceasefire.app import create_app
from ceasefire.config import Settings
from ceasefire.ledger import (
    Checkpoint,
    Note,
    commitment,
    cosign,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store.database import Database

REPORT = {
    "source": "us-centre",
    "source_id": "2016-03-02-001",
    "date_start": "2016-03-02",
    "lon": 36.29,
    "lat": 33.51,
    "event_type": "Battles",
}


def checkpoint_of(note: str) -> Checkpoint:
    return Checkpoint.parse(Note.parse(note).text)


def test_a_reports_entry_proof_and_checkpoint_check_out_from_the_api_alone(
    client: TestClient,
) -> None:
    created = client.post("/api/v1/reports", json=REPORT).json()
    index = created["ledger_index"]
    assert isinstance(index, int)
    assert client.get(f"/api/v1/reports/{created['id']}").json()["ledger_index"] == index
    entries = client.get("/api/v1/ledger/entries", params={"start": index, "end": index + 1}).json()
    (leaf,) = entries["leaves"]
    entry = json.loads(leaf)["entry"]
    assert entry["record"] == f"report:{created['id']}"
    assert entry["kind"] == "report.created"
    # filed under the co-chairs' agreement: the entry commits to the report, and the
    # opening that the agreement's parties get shows what it commits to
    sealed = entry["change"]["sealed"]
    assert sealed["agreement"] == "syria"
    assert "2016-03-02-001" not in leaf
    (opened,) = client.get(
        "/api/v1/ledger/openings", params={"start": index, "end": index + 1}
    ).json()["openings"]
    assert opened["state"]["source_id"] == "2016-03-02-001"
    assert commitment(bytes.fromhex(opened["salt"]), opened["state"]) == sealed["commitment"]
    note = client.get("/api/v1/ledger/checkpoint")
    assert note.headers["content-type"].startswith("text/plain")
    checkpoint = checkpoint_of(note.text)
    assert checkpoint.size == entries["size"] == index + 1
    proof = client.get("/api/v1/ledger/proof/inclusion", params={"index": index}).json()
    assert proof["leaf_hash"] == leaf_hash(leaf.encode()).hex()
    assert bytes.fromhex(proof["root"]) == checkpoint.root_hash
    verify_inclusion(
        leaf_hash=leaf_hash(leaf.encode()),
        index=index,
        size=checkpoint.size,
        proof=[bytes.fromhex(h) for h in proof["proof"]],
        root=checkpoint.root_hash,
    )


def test_each_new_checkpoint_is_consistent_with_the_one_before(client: TestClient) -> None:
    old = checkpoint_of(client.get("/api/v1/ledger/checkpoint").text)
    client.post("/api/v1/reports", json=REPORT)
    new = checkpoint_of(client.get("/api/v1/ledger/checkpoint").text)
    assert new.size > old.size
    body = client.get(
        "/api/v1/ledger/proof/consistency", params={"old": old.size, "new": new.size}
    ).json()
    assert bytes.fromhex(body["old_root"]) == old.root_hash
    verify_consistency(
        old_size=old.size,
        new_size=new.size,
        old_root=old.root_hash,
        new_root=new.root_hash,
        proof=[bytes.fromhex(h) for h in body["proof"]],
    )
    earlier = client.get("/api/v1/ledger/checkpoint", params={"size": old.size}).text
    assert checkpoint_of(earlier) == old


def test_regimes_and_agreements_carry_their_ledger_index(
    client: TestClient, ledger: Ledger
) -> None:
    load_scenario(ledger, ending(scenario(), datetime(2016, 9, 20, tzinfo=DAMASCUS)))
    regime = client.get("/api/v1/regimes/coh").json()
    agreement = client.get("/api/v1/agreements/syria").json()
    assert isinstance(regime["ledger_index"], int)
    assert isinstance(agreement["ledger_index"], int)
    extended = client.post(
        "/api/v1/regimes/coh/extensions", json={"new_end": "2016-12-31T00:00"}
    ).json()
    assert extended["ledger_index"] > regime["ledger_index"]


def test_a_party_cosigns_a_checkpoint_with_its_registered_key(
    client: TestClient, ledger: Ledger
) -> None:
    submit_report(ledger, report("us-1"), author="us")  # us gets its key
    note = client.get("/api/v1/ledger/checkpoint").text
    checkpoint = checkpoint_of(note)
    with ledger.db.read() as conn:
        us = ledger.keys.cosigner(conn, "us")
    line = cosign(checkpoint, us, datetime(2016, 3, 3, tzinfo=UTC)).line()
    cosigned = client.post(
        "/api/v1/ledger/cosign", json={"size": checkpoint.size, "signature": line}
    )
    assert cosigned.status_code == 201, cosigned.text
    assert cosigned.text.endswith(line)
    assert client.get("/api/v1/ledger/checkpoint").text.endswith(line)
    result = verify_database(ledger.db, origin="ceasefire.localhost/ledger")
    assert result.problems == [] and result.cosignatures == 1


def test_bad_ledger_requests_get_a_4xx_naming_the_problem(client: TestClient) -> None:
    size = checkpoint_of(client.get("/api/v1/ledger/checkpoint").text).size
    too_many = client.get("/api/v1/ledger/entries", params={"start": 0, "end": 5000})
    assert too_many.status_code == 422 and too_many.json()["field"] == "end"
    past = client.get("/api/v1/ledger/proof/inclusion", params={"index": size})
    assert past.status_code == 422 and past.json()["field"] == "index"
    missing = client.get("/api/v1/ledger/checkpoint", params={"size": size + 10})
    assert missing.status_code == 404
    forged = "— ceasefire.localhost/ledger/us " + base64.b64encode(b"\0" * 76).decode()
    refused = client.post("/api/v1/ledger/cosign", json={"size": size, "signature": forged})
    assert refused.status_code == 422
    assert refused.json()["field"] == "signature"
    unknown = client.post("/api/v1/ledger/cosign", json={"size": size + 10, "signature": forged})
    assert unknown.status_code == 404


def test_the_host_may_serve_the_logs_public_parts_to_witnesses(
    db: Database, ledger: Ledger
) -> None:
    load_scenario(ledger, scenario())
    closed = create_app(Settings(database_url=db.url, deliver_webhooks=False), db)
    with TestClient(closed) as outsider:
        assert outsider.get("/api/v1/ledger/checkpoint").status_code == 401
    settings = Settings(database_url=db.url, deliver_webhooks=False, public_ledger=True)
    with TestClient(create_app(settings, db)) as witness:
        checkpoint = witness.get("/api/v1/ledger/checkpoint")
        assert checkpoint.status_code == 200 and checkpoint.text.startswith(
            "ceasefire.localhost/ledger\n"
        )
        assert (
            witness.get("/api/v1/ledger/entries", params={"start": 0, "end": 3}).status_code == 200
        )
        assert witness.get("/api/v1/ledger/proof/consistency", params={"old": 1}).status_code == 200
        # nothing else: openings, bundles and records stay behind sign-in
        assert witness.get("/api/v1/ledger/openings").status_code == 401
        assert witness.get("/api/v1/ledger/bundle").status_code == 401
        assert witness.get("/api/v1/incidents").status_code == 401
