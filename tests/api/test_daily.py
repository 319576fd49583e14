"""GET /api/v1/agreements/{id}/reports/daily: the daily report as HTML or PDF, for the
caller's party; bad parameters are a 4xx naming the field."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.conftest import SignAs
from api.test_visibility import OUTSIDERS
from builders import ending, report, scenario
from ceasefire.domain.workflow import Confidence, Finding, Role
from ceasefire.reports.renderers import renderer
from ceasefire.services.accounts import Accounts
from ceasefire.services.daily_reports import find_issued
from ceasefire.services.findings import Assessing, assess
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from cli.conftest import Run, run
from conftest import PASSWORD_MEMORY_KIB

__all__ = ["run"]

ROUTE = "/api/v1/agreements/syria/reports/daily"


def test_the_daily_report_is_html_or_pdf_in_the_language_asked(client: TestClient) -> None:
    html = client.get(ROUTE, params={"date": "2016-03-02", "lang": "ar"})
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in html.text
    assert "script-src" not in html.headers["content-security-policy"]
    assert "default-src 'none'" in html.headers["content-security-policy"]
    pdf = client.get(ROUTE, params={"date": "2016-03-02", "format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    disposition = 'inline; filename="daily-syria-2016-03-02-en.pdf"'
    assert pdf.headers["content-disposition"] == disposition


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"date": "2016-02-30"}, 422, "date"),
        ({"date": "yesterday"}, 422, "date"),
        ({"date": "2016-03-02", "lang": "de"}, 422, "lang"),
        ({"date": "2016-03-02", "format": "docx"}, 422, "format"),
        ({"date": "2016-03-02", "cutoff": "25:00"}, 422, "cutoff"),
        ({}, 422, "date"),
    ],
)
def test_a_bad_parameter_is_a_4xx_naming_it(
    client: TestClient, params: dict[str, str], status: int, field: str
) -> None:
    answer = client.get(ROUTE, params=params)
    assert answer.status_code == status
    assert field in answer.text


def test_an_unknown_agreement_is_not_found(client: TestClient) -> None:
    answer = client.get("/api/v1/agreements/nope/reports/daily", params={"date": "2016-03-02"})
    assert answer.status_code == 404
    assert "agreement 'nope' does not exist" in answer.text


def test_an_outsiders_report_says_what_it_leaves_out(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    load_scenario(ledger, OUTSIDERS)
    answer = anonymous.get(
        ROUTE, params={"date": "2016-03-02"}, headers=sign_as("osce", Role.OBSERVER)
    )
    assert answer.status_code == 200
    assert "not a party of this agreement" in answer.text


def test_a_co_chairs_officer_issues_the_days_report_once(
    anonymous: TestClient, sign_as: SignAs
) -> None:
    officer = sign_as("ru", Role.OFFICER)
    body = {"date": "2016-03-02", "lang": "ru", "format": "html"}
    issued = anonymous.post(f"{ROUTE}/issue", json=body, headers=officer)
    assert issued.status_code == 201, issued.text
    digest = hashlib.sha256(issued.content).hexdigest()
    assert issued.headers["x-daily-report-sha256"] == digest
    assert int(issued.headers["x-ledger-index"]) > 0
    disposition = 'attachment; filename="daily-syria-2016-03-02-ru.html"'
    assert issued.headers["content-disposition"] == disposition
    assert "default-src 'none'" in issued.headers["content-security-policy"]
    assert "Ежедневный отчёт" in issued.text
    again = anonymous.post(f"{ROUTE}/issue", json=body, headers=officer)
    assert again.status_code == 409
    assert "issued already" in again.text


def test_only_an_officer_of_a_co_chair_issues(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger
) -> None:
    body = {"date": "2016-03-02"}
    observer = anonymous.post(f"{ROUTE}/issue", json=body, headers=sign_as("us", Role.OBSERVER))
    assert observer.status_code == 403
    load_scenario(ledger, OUTSIDERS)
    outsider = anonymous.post(f"{ROUTE}/issue", json=body, headers=sign_as("osce", Role.OFFICER))
    assert outsider.status_code == 403
    assert "not a co-chair" in outsider.text


def test_a_report_issued_here_verifies_after_the_regime_and_the_findings_changed(
    anonymous: TestClient, sign_as: SignAs, ledger: Ledger, run: Run, tmp_path: Path
) -> None:
    """Issued through the API, then the cessation ended before the day (the scenario
    loaded again with that end: the incident is no longer under the agreement) and a
    co-chair found a violation: a report made now leaves the incident out, and the issued
    one still rebuilds to the same bytes."""
    filed = submit_report(ledger, report("wire-1", source="wire"), scope=None)
    body = {"date": "2016-03-02", "lang": "en", "format": "html"}
    issued = anonymous.post(f"{ROUTE}/issue", json=body, headers=sign_as("ru", Role.OFFICER))
    assert issued.status_code == 201, issued.text
    ended = datetime(2016, 3, 1, tzinfo=ZoneInfo("Asia/Damascus"))
    assert load_scenario(ledger, ending(scenario(), ended)).outcomes["regimes"]["updated"] == 1
    accounts = Accounts(ledger.db, memory_kib=PASSWORD_MEMORY_KIB)
    officer = accounts.add_user("us", "us-officer-x", role=Role.OFFICER, password=None)
    assess(ledger, officer, filed.incident_id, Assessing(Finding.VIOLATION, Confidence.HIGH, "x"))
    now = anonymous.get(ROUTE, params=body, headers=sign_as("ru", Role.OBSERVER))
    assert now.status_code == 200 and now.content != issued.content
    today = re.compile(r'</span>([^<]+)</td><td class="n">(\d+)</td>')
    assert ("Potential violation", "1") in today.findall(issued.text)
    assert ("Potential violation", "0") in today.findall(now.text)  # outside it: not its own
    copy = tmp_path / "issued.html"
    copy.write_bytes(issued.content)
    verified = run("report", "verify", str(copy))
    assert verified.exit_code == 0, verified.output
    assert "rebuilt from the ledger's state: the same bytes" in verified.output
    found = find_issued(ledger.db, issued.content)
    assert found is not None and found.issued.renderer == renderer("en", "html")
    assert found.issued.issued_by == "ru"
