"""`ceasefire measures list`: the register of measures, by status, owner and overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from typer.testing import Result

from builders import report, scenario
from ceasefire.domain.measures import MeasureKind, MeasureStatus
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.findings import propose_measure, set_status
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from conftest import PASSWORD_MEMORY_KIB

Run = Callable[..., Result]


def test_the_register_lists_measures_with_their_status_and_overdue_flag(
    run: Run, ledger: Ledger
) -> None:
    load_scenario(ledger, scenario())
    incident = submit_report(ledger, report("1", source="us"), author="us").incident_id
    accounts = Accounts(ledger.db, memory_kib=PASSWORD_MEMORY_KIB)
    us = accounts.add_user("us", "us-officer", role=Role.OFFICER, password=None)
    ru = accounts.add_user("ru", "ru-officer", role=Role.OFFICER, password=None)
    late = propose_measure(
        ledger,
        us,
        incident,
        kind=MeasureKind.DEMARCHE,
        description="late",
        owner_party="ru",
        due=date(2016, 3, 9),
    )
    propose_measure(
        ledger,
        us,
        incident,
        kind=MeasureKind.COMMUNICATION,
        description="open",
        owner_party="us",
    )
    set_status(ledger, ru, late.id, MeasureStatus.AGREED)

    listed = run("measures", "list")
    assert listed.exit_code == 0, listed.output
    header, *rows = [line.split("\t") for line in listed.output.strip().splitlines()]
    assert header == [
        "id",
        "incident",
        "agreement",
        "kind",
        "owner",
        "due",
        "status",
        "overdue",
        "description",
    ]
    assert [(r[6], r[7], r[8]) for r in rows] == [
        ("agreed", "yes", "late"),
        ("proposed", "", "open"),
    ]
    overdue = run("measures", "list", "--overdue", "--owner", "ru")
    assert [line.split("\t")[8] for line in overdue.output.strip().splitlines()[1:]] == ["late"]
    others = run("measures", "list", "--not-overdue")
    assert [line.split("\t")[8] for line in others.output.strip().splitlines()[1:]] == ["open"]
    unknown = run("measures", "list", "--party", "nobody")
    assert unknown.exit_code == 2 and "--party: party 'nobody' does not exist" in unknown.output
