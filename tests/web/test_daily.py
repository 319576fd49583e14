"""/agreements/{id}/daily: the daily report in the workspace, in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ceasefire.domain.workflow import Role
from web.conftest import SignIn


def test_the_workspace_shows_the_daily_report_in_the_readers_language(sign_in: SignIn) -> None:
    browser = sign_in("ru", language="ru")
    page = browser.client.get("/agreements/syria/daily", params={"date": "2016-03-02"})
    assert page.status_code == 200
    assert '<html lang="ru" dir="ltr">' in page.text
    assert "Ежедневный отчёт" in page.text
    assert "style-src 'unsafe-inline'" in page.headers["content-security-policy"]
    pdf = browser.client.get(
        "/agreements/syria/daily", params={"date": "2016-03-02", "format": "pdf", "lang": "en"}
    )
    assert pdf.content.startswith(b"%PDF-")
    disposition = 'inline; filename="daily-syria-2016-03-02-en.pdf"'
    assert pdf.headers["content-disposition"] == disposition


def test_a_bad_date_is_an_error_page_naming_it(sign_in: SignIn) -> None:
    browser = sign_in("us")
    page = browser.client.get("/agreements/syria/daily", params={"date": "2016-13-01"})
    assert page.status_code == 422
    assert "date" in page.text


def test_signed_out_readers_are_sent_to_sign_in(sign_in: SignIn) -> None:
    browser = sign_in("us")
    browser.client.cookies.clear()
    page = browser.client.get("/agreements/syria/daily", follow_redirects=False)
    assert page.status_code == 303


def test_the_regimes_page_opens_an_agreements_daily_report(sign_in: SignIn) -> None:
    browser = sign_in("us")
    regimes = browser.client.get("/regimes")
    assert 'action="/daily"' in regimes.text and '<option value="syria"' in regimes.text
    chosen = browser.client.get(
        "/daily",
        params={"agreement": "syria", "date": "2016-03-02", "format": "pdf"},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/agreements/syria/daily?date=2016-03-02&format=pdf"
    unknown = browser.client.get("/daily", params={"agreement": "nope", "date": "2016-03-02"})
    assert unknown.status_code == 404


def test_a_co_chairs_officer_issues_the_days_report_once_and_others_are_not_offered_it(
    sign_in: SignIn,
) -> None:
    officer = sign_in("us", language="ru")
    assert 'action="/daily/issue"' in officer.client.get("/regimes").text
    form = {"agreement": "syria", "date": "2016-03-02", "lang": "en", "format": "html"}
    issued = officer.post("/daily/issue", form)
    assert issued.status_code == 200, issued.text[-400:]
    disposition = 'attachment; filename="daily-syria-2016-03-02-en.html"'
    assert issued.headers["content-disposition"] == disposition
    assert b"<html" in issued.content and b"Daily report" in issued.content
    again = officer.post("/daily/issue", form)
    assert again.status_code == 409
    assert "Этот отчёт (syria, 2016-03-02, en, HTML) уже выпущен" in again.text
    assert 'id="issue-error"' in again.text and 'value="2016-03-02"' in again.text
    reporter = sign_in("us", Role.REPORTER)
    assert 'action="/daily/issue"' not in reporter.client.get("/regimes").text
    refused = reporter.post("/daily/issue", {**form, "date": "2016-03-03"})
    assert refused.status_code == 403


def test_a_days_report_is_not_issued_before_its_day_has_begun(sign_in: SignIn) -> None:
    """Issued once and never again, a report of a day still to come would stand for it."""
    officer = sign_in("us", language="ru")
    later = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()  # its window: tomorrow on
    form = {"agreement": "syria", "date": later, "lang": "en", "format": "html"}
    refused = officer.post("/daily/issue", form)
    assert refused.status_code == 422
    assert f"Отчёт за {later} охватывает время с отсечки предыдущего дня" in refused.text
    assert officer.post("/daily/issue", {**form, "date": "2016-03-02"}).status_code == 200


def test_the_daily_address_typed_alone_opens_the_readers_agreements_report_of_today(
    sign_in: SignIn,
) -> None:
    """/daily with no agreement: the reader's party's one agreement, today's report (it
    said "There is no agreement ''")."""
    browser = sign_in("us")
    alone = browser.client.get("/daily", follow_redirects=False)
    assert alone.status_code == 303
    assert alone.headers["location"] == "/agreements/syria/daily?format=html"
    today = browser.client.get("/daily")
    assert today.status_code == 200 and "Daily report" in today.text
    none = sign_in("host").client.get("/daily", follow_redirects=False)  # reads no agreement
    assert none.headers["location"] == "/regimes#daily-agreement"
