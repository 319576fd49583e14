"""Parties whose keys the server holds cosign its checkpoints; a key cosigns a checkpoint only
if it extends the last one the key cosigned (checked against a consistency proof)."""

from __future__ import annotations

from builders import report, scenario
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.logs import cosign_as
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database


def test_cosigners_follow_the_log_and_their_cosignatures_verify(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    first = cosign_as(ledger, ["us", "ru"])
    assert {c.name for c in first.cosignatures} == {
        "ceasefire.localhost/ledger/us",
        "ceasefire.localhost/ledger/ru",
    }
    submit_report(ledger, report("r1"))
    second = cosign_as(ledger, ["us"])
    assert second.checkpoint.size > first.checkpoint.size
    result = verify_database(ledger.db, origin="ceasefire.localhost/ledger")
    assert result.problems == [] and result.cosignatures == 3
