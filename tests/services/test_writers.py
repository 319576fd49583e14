"""A write signs the state of the records it inserted from the rows it inserted, without
reading them back; the tests check on every write that the two agree."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from builders import report, scenario
from ceasefire.services.incidents import file_report, submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.services.writers import Writer
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t


def _report_reads(ledger: Ledger, source_id: str) -> list[str]:
    """The statements that read a report's state back while one is filed."""
    reads: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().startswith("SELECT") and "reports.narrative" in statement:
            reads.append(statement)

    event.listen(ledger.db.engine, "before_cursor_execute", seen)
    try:
        submit_report(ledger, report(source_id))
    finally:
        event.remove(ledger.db.engine, "before_cursor_execute", seen)
    return reads


def test_a_filed_report_is_signed_from_its_row_without_reading_it_back(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_scenario(ledger, scenario())
    monkeypatch.setattr(Writer, "check_written", False)
    assert _report_reads(ledger, "r1") == []
    monkeypatch.setattr(Writer, "check_written", True)  # as in every other test
    assert len(_report_reads(ledger, "r2")) == 1
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []


def test_the_check_names_each_field_where_the_row_inserted_and_the_row_stored_differ(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_scenario(ledger, scenario())
    monkeypatch.setattr(Writer, "check_written", True)

    def changed_behind_the_writer() -> None:
        with ledger.write() as writer:
            file_report(writer, report("r1"))
            writer.conn.execute(update(t.reports).values(narrative="x"))

    with pytest.raises(AssertionError, match=r"report:\d+: .* in narrative: .* != 'x'"):
        changed_behind_the_writer()
    with ledger.db.read() as conn:  # the write was rolled back
        assert report_store.existing_source_ids(conn, "field", ["r1"]) == set()
