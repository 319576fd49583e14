"""Issuing a daily report: a signed daily_report/1 record that `ledger verify` checks like
every other; a day's report is issued once, by a co-chair's officer or the host."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from ceasefire.domain.errors import ConflictError, PermissionDeniedError
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.daily_reports import Issuing, find_issued, issue_daily_report
from ceasefire.services.ledger import Ledger
from ceasefire.store import ledger as log_store
from ceasefire.store import tables as t
from ceasefire.store.records import DAILY_REPORT
from conftest import PASSWORD_MEMORY_KIB
from services.test_verification import another_referenced, history, verify

__all__ = ["history"]
BODY = b"%PDF- the report of 2 March 2016"
DRAWN_BY = {"ceasefire": "0.1.0", "drawing": "0123456789abcdef", "weasyprint": "70.0"}


def _issuing(ledger: Ledger, body: bytes = BODY, lang: str = "en") -> Issuing:
    with ledger.db.read() as conn:
        size = log_store.DatabaseLog(conn).size
    return Issuing("syria", date(2016, 3, 2), time(19, 30), lang, "pdf", body, size, DRAWN_BY)


def _officer(ledger: Ledger, party: str, role: Role = Role.OFFICER) -> Any:
    accounts = Accounts(ledger.db, memory_kib=PASSWORD_MEMORY_KIB)
    return accounts.add_user(party, f"{party}-{role.label}-2", role=role, password=None)


def test_an_issued_report_is_found_by_its_bytes_and_verifies(history: Ledger) -> None:
    issued = issue_daily_report(history, _issuing(history), _officer(history, "ru"))
    found = find_issued(history.db, BODY)
    assert found is not None and found.issued == issued and found.entry is not None
    assert issued.issued_by == "ru" and issued.checkpoint_root
    assert find_issued(history.db, BODY + b" ") is None
    assert verify(history.db).problems == []


def test_changing_any_column_of_an_issued_report_is_named(history: Ledger) -> None:
    issue_daily_report(history, _issuing(history), _officer(history, "ru"))
    db, table = history.db, t.daily_reports
    columns = [column for _, column, _ in DAILY_REPORT.row_fields()]
    assert "sha256" in columns and "checkpoint_size" in columns
    checked = []
    for name in columns:
        with db.read() as conn:
            row = conn.execute(select(table).where(table.c[name].is_not(None))).first()
        assert row is not None, name
        changed = another_referenced(db, table, name, row._mapping[name])
        try:
            with db.transaction() as conn:
                conn.execute(update(table).where(table.c.id == row.id).values({name: changed}))
        except DBAPIError:
            continue  # a foreign key refuses it: the one agreement of the history
        checked.append(name)
        problems = verify(db).problems
        with db.transaction() as conn:
            conn.execute(
                update(table).where(table.c.id == row.id).values({name: row._mapping[name]})
            )
        assert problems and f"daily_report:{row.id}" in str(problems[0]), (name, problems)
    assert len(checked) >= len(columns) - 1, checked
    assert verify(db).problems == []


def test_a_days_report_is_issued_once_and_only_by_a_co_chairs_officer(history: Ledger) -> None:
    with pytest.raises(PermissionDeniedError, match="needs the role officer"):
        issue_daily_report(history, _issuing(history), _officer(history, "us", Role.ANALYST))
    issue_daily_report(history, _issuing(history), _officer(history, "us"))
    with pytest.raises(ConflictError, match="was issued already"):
        issue_daily_report(history, _issuing(history, b"other bytes"), None)
    with pytest.raises(ConflictError, match="was issued already"):
        issue_daily_report(history, _issuing(history, BODY, "ru"), None)  # the same bytes
