"""Rotating keys the server holds, and a host that cannot be swapped for another."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from builders import report, scenario
from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import Note, SignedEntry, Verifier
from ceasefire.ledger.keychain import note_key_string
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.rotations import rotate_key
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import tables as t
from conftest import LEDGER_SECRET, SEAL_COST

ORIGIN = "ceasefire.localhost/ledger"


def entries_by(ledger: Ledger, party: str) -> list[SignedEntry]:
    query = select(t.ledger_entries.c.leaf).order_by(t.ledger_entries.c.sequence)
    with ledger.db.read() as conn:
        leaves = [SignedEntry.from_leaf(bytes(x)) for x in conn.execute(query).scalars()]
    return [s for s in leaves if s.entry.author_party == party]


def test_a_party_signs_with_its_new_key_after_a_rotation_and_the_log_verifies(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, scenario())
    submit_report(ledger, report("us-1", source="us"), author="us")
    done = rotate_key(ledger, "us")
    submit_report(ledger, report("us-2", source="us"), author="us")
    rotated, revoked, after = entries_by(ledger, "us")[-3:]
    assert (rotated.entry.kind, rotated.entry.sequence) == ("key.rotated", done.sequence)
    assert rotated.entry.author_key_id == revoked.entry.author_key_id == done.old.key_id
    assert rotated.entry.change["public_key"] == done.new.public_bytes.hex()
    assert after.entry.author_key_id == done.new.key_id
    checked = verify_database(ledger.db, origin=ORIGIN)
    assert checked.problems == []
    assert checked.rotations == [
        f"party us: key rotated at entry {done.sequence}, signed by the old key "
        f"({done.old.key_id} → {done.new.key_id})"
    ]


def test_after_the_hosts_rotation_checkpoints_are_signed_by_its_new_key(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    done = rotate_key(ledger, "host")
    submit_report(ledger, report("us-1", source="us"), author="us")
    with ledger.db.read() as conn:
        latest = checkpoint_store.load_checkpoint(conn)
    assert latest is not None and latest.checkpoint.size > done.sequence
    assert done.new.name == ORIGIN
    (line,) = Note.parse(latest.note).signatures
    assert line.key_id == Verifier.from_key_string(note_key_string(done.new)).key_id
    checked = verify_database(ledger.db, origin=ORIGIN)
    assert checked.problems == []


def test_a_server_told_another_host_signs_no_checkpoint_as_it(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    submit_report(ledger, report("us-1", source="us"), author="us")  # us has a key now
    other = Ledger(ledger.db, secret=LEDGER_SECRET, host_party="us", seal_cost=SEAL_COST)
    with pytest.raises(InvalidInputError, match="this log's host is 'host', not 'us'"):
        submit_report(other, report("us-2", source="us"), author="us")
    assert [e.entry.kind for e in entries_by(ledger, "us")] == ["key.added", "report.created"]
