"""Parties whose keys the server holds cosign its checkpoints; a key cosigns a checkpoint only
if it extends the last one the key cosigned (checked against a consistency proof)."""

from __future__ import annotations

from builders import report, scenario
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.logs import cosign_as
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import ledger as log_store


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


def test_with_an_interval_writes_sign_checkpoints_only_when_it_has_passed(ledger: Ledger) -> None:
    slow = Ledger(ledger.db, secret="s", seal_cost=10, checkpoint_interval=3600)
    load_scenario(slow, scenario())  # the first write signs one; the load ends with one
    with ledger.db.read() as conn:
        sizes = checkpoint_store.checkpoint_sizes(conn)
    submit_report(slow, report("r1"))
    submit_report(slow, report("r2"))
    with ledger.db.read() as conn:
        assert checkpoint_store.checkpoint_sizes(conn) == sizes  # not due for an hour
        size = log_store.DatabaseLog(conn).size
    slow.checkpoint_now()
    with ledger.db.read() as conn:
        assert checkpoint_store.checkpoint_sizes(conn) == [*sizes, size]
