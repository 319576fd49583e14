"""A write group reads its authors' parties, keys and agreements once, and again as soon as
one of its writes changes them or is rolled back."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from builders import report, scenario
from ceasefire.domain.errors import ConflictError, InvalidInputError
from ceasefire.domain.regimes import Agreement
from ceasefire.ledger import Note, SignedEntry, Verifier
from ceasefire.ledger.keychain import note_key_string
from ceasefire.services.incidents import file_report, submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.rotations import rotate_held_key, rotate_key
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import agreements as agreement_store
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import tables as t
from ceasefire.store.records import AGREEMENT
from conftest import LEDGER_SECRET, SEAL_COST
from groups import joined

ORIGIN = "ceasefire.localhost/ledger"


@pytest.fixture
def loaded(ledger: Ledger) -> Ledger:
    load_scenario(ledger, scenario())
    for party in ("us", "ru"):  # each party's key exists before the tests' groups
        submit_report(ledger, report(f"{party}-first", source=party), author=party)
    return ledger


def signer_of(ledger: Ledger, source_id: str) -> str:
    """The key id that signed the entry of the report ``source_id``."""
    with ledger.db.read() as conn:
        report_id = conn.execute(
            select(t.reports.c.id).where(t.reports.c.source_id == source_id)
        ).scalar_one()
        leaf = conn.execute(
            select(t.ledger_entries.c.leaf).where(
                t.ledger_entries.c.record == f"report:{report_id}"
            )
        ).scalar_one()
    return SignedEntry.from_leaf(bytes(leaf)).entry.author_key_id


def test_a_group_of_writes_reads_its_authors_party_keys_and_agreements_once(
    loaded: Ledger,
) -> None:
    writes = [
        threading.Thread(target=submit_report, args=(loaded, report(f"us-{n}", source="us")),
                         kwargs={"author": "us"})
        for n in range(4)
    ]  # fmt: skip
    loaded._committer._committed = None  # nothing to carry over: this group reads afresh
    with loaded.write("us") as first:
        group = loaded._committer._group
        assert group is not None
        file_report(first, report("us-0th", source="us"))
        for write in writes:
            write.start()
        joined(loaded, 5)
    for write in writes:
        write.join()
    # once each: us exists, every party's keys (us's, and for the checkpoint which party
    # is the host and the host's), us's agreements
    assert group.authors.reads == 3
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_a_key_rotated_in_a_group_signs_the_next_write_of_the_same_group(
    loaded: Ledger,
) -> None:
    rotated = []
    after = threading.Thread(
        target=submit_report,
        args=(loaded, report("us-after", source="us")),
        kwargs={"author": "us"},
    )

    def rotation() -> None:  # the group's second write; the report after it, its third
        with loaded.write("us") as writer:
            rotated.append(rotate_held_key(writer, loaded.keys))
            after.start()
            joined(loaded, 3)

    rotating = threading.Thread(target=rotation)
    with loaded.write("us") as first:
        file_report(first, report("us-before", source="us"))  # its key read into the group
        rotating.start()
        joined(loaded, 2)
    rotating.join()
    after.join()
    ((old, new),) = rotated
    assert signer_of(loaded, "us-before") == old.key_id
    assert signer_of(loaded, "us-after") == new.key_id
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_an_agreement_joined_in_a_group_scopes_the_next_write_of_the_same_group(
    loaded: Ledger,
) -> None:
    refused: list[Exception] = []

    def report_after() -> None:  # us is a party of two agreements now: it must name one
        try:
            submit_report(loaded, report("us-after", source="us"), author="us")
        except InvalidInputError as error:
            refused.append(error)

    after = threading.Thread(target=report_after)

    def new_agreement() -> None:
        with loaded.write() as writer:
            second = Agreement("second", "Local truce", "UTC", co_chairs=("us", "ru"))
            agreement_store.save_agreement(writer.conn, second)
            writer.changed("agreement.created", AGREEMENT, [(second.id,)], new=True)
            after.start()
            joined(loaded, 3)

    making = threading.Thread(target=new_agreement)
    with loaded.write("us") as first:
        file_report(first, report("us-before", source="us"))  # us's one agreement read
        making.start()
        joined(loaded, 2)
    making.join()
    after.join()
    assert [(e.field, "second" in e.message) for e in refused] == [("agreement", True)]


def test_a_write_rolled_back_in_a_group_leaves_nothing_it_read_for_the_next(
    loaded: Ledger,
) -> None:
    filed = []
    after = threading.Thread(
        target=lambda: filed.append(
            submit_report(loaded, report("us-after", source="us"), author="us")
        )
    )

    def add_agreement_and_fail() -> None:
        with loaded.write() as writer:
            gone = Agreement("gone", "Rolled back", "UTC", co_chairs=("us", "ru"))
            agreement_store.save_agreement(writer.conn, gone)
            writer.changed("agreement.created", AGREEMENT, [(gone.id,)], new=True)
            assert writer.authors.audience_of(writer.conn, "us").agreements == {"syria", "gone"}
            after.start()
            joined(loaded, 3)
            raise ConflictError("rolled back after reading what it wrote")

    def rolled_back() -> None:
        with pytest.raises(ConflictError):
            add_agreement_and_fail()

    failing = threading.Thread(target=rolled_back)
    with loaded.write("us") as first:
        file_report(first, report("us-before", source="us"))
        failing.start()
        joined(loaded, 2)
    failing.join()
    after.join()
    assert [s.report.agreement_id for s in filed] == ["syria"]  # its one agreement again


def test_the_hosts_key_rotated_in_a_group_signs_the_groups_checkpoint(loaded: Ledger) -> None:
    rotated = []

    def rotation() -> None:
        with loaded.write() as writer:
            rotated.append(rotate_held_key(writer, loaded.keys))

    rotating = threading.Thread(target=rotation)
    with loaded.write() as first:
        file_report(first, report("host-before"))  # the host's keys read into the group
        rotating.start()
        joined(loaded, 2)
    rotating.join()
    ((_, new),) = rotated
    with loaded.db.read() as conn:
        latest = checkpoint_store.load_checkpoint(conn)
    assert latest is not None
    (line,) = Note.parse(latest.note).signatures
    assert line.key_id == Verifier.from_key_string(note_key_string(new)).key_id
    assert verify_database(loaded.db, origin=ORIGIN).problems == []


def test_a_group_after_this_process_last_keeps_what_that_one_read_of_the_authors(
    loaded: Ledger,
) -> None:
    submit_report(loaded, report("us-1", source="us"), author="us")
    first = loaded._committer._committed
    assert first is not None
    reads = first.authors.reads
    submit_report(loaded, report("us-2", source="us"), author="us")
    second = loaded._committer._committed
    assert second is not first and second is not None
    assert second.authors is first.authors and second.authors.reads == reads  # none
    assert second.rules_version == first.rules_version


def test_a_key_another_process_rotated_signs_this_process_next_write(loaded: Ledger) -> None:
    """What a group carries over from the last is dropped once another process appended
    an entry that may change it: here a rotated key, which must sign the next write."""
    submit_report(loaded, report("us-before", source="us"), author="us")  # us's keys read
    other = Ledger(loaded.db, secret=LEDGER_SECRET, seal_cost=SEAL_COST)  # another process
    rotated = rotate_key(other, "us")
    submit_report(loaded, report("us-after", source="us"), author="us")
    assert signer_of(loaded, "us-before") == rotated.old.key_id
    assert signer_of(loaded, "us-after") == rotated.new.key_id
    assert verify_database(loaded.db, origin=ORIGIN).problems == []
