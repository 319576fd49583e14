"""Error pages: every error a page meets is said in the reader's language (right to left
in Arabic), never in the services' English to a Russian or Arabic reader; the API keeps
its English JSON."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ceasefire.web.i18n import LANGUAGES
from web.conftest import SignIn


def said(response: object) -> str:
    """An error page's message (its alert), as the reader reads it."""
    text = response.text  # type: ignore[attr-defined]
    found = re.search(r'<p role="alert">(.*?)</p>', text, re.S)
    assert found is not None, text[-600:]
    return unescape(found.group(1))


def title(response: object) -> str:
    found = re.search(r"<h1>(.*?)</h1>", response.text, re.S)  # type: ignore[attr-defined]
    assert found is not None
    return unescape(found.group(1))


def in_(code: str, message: str, **values: object) -> str:
    """A catalogue message as a reader of ``code`` reads it."""
    text = LANGUAGES[code].gettext(message)
    return text % values if values else text


INCIDENT = "Incident %(incident)s does not exist, or your party does not read it."
NAMED = "%(field)s: %(reason)s"


def test_a_record_that_is_not_there_is_said_in_the_readers_language(sign_in: SignIn) -> None:
    ru = sign_in("us", language="ru").client.get("/incidents/999999")
    assert ru.status_code == 404 and '<html lang="ru" dir="ltr">' in ru.text
    assert title(ru) == "Не найдено"
    assert said(ru) == in_("ru", INCIDENT, incident=999999)
    assert "incident 999999 does not exist" not in ru.text  # the store's English sentence
    ar = sign_in("us", language="ar").client.get("/incidents/999999")
    assert ar.status_code == 404 and '<html lang="ar" dir="rtl">' in ar.text
    assert title(ar) == "غير موجود" and said(ar) == in_("ar", INCIDENT, incident=999999)
    en = sign_in("us").client.get("/incidents/999999")
    assert said(en) == "Incident 999999 does not exist, or your party does not read it."


def test_an_error_with_no_catalogue_message_is_said_by_its_kind(sign_in: SignIn) -> None:
    """A measure that is not there: the store says so in English only; an English reader
    reads that, others their language's sentence for a record that is not there."""
    ru = sign_in("us", language="ru")
    missing = ru.post("/measures/999999/comment", {"text": "x"})
    assert missing.status_code == 404 and title(missing) == "Не найдено"
    assert said(missing) == in_("ru", "There is no such record, or it is not one your party reads.")
    assert "response measure 999999 does not exist" not in missing.text
    en = sign_in("us").post("/measures/999999/comment", {"text": "x"})
    assert said(en) == "response measure 999999 does not exist"


def test_a_path_parameter_of_the_wrong_type_is_named_in_the_readers_language(
    sign_in: SignIn,
) -> None:
    ru = sign_in("us", language="ru").client
    too_large = ru.get("/incidents/99999999999999999999")
    assert too_large.status_code == 422
    reason = in_("ru", "Give %(limit)s or less.", limit=LANGUAGES["ru"].number(2**53))
    assert said(too_large) == in_("ru", NAMED, field="incident_id", reason=reason)
    assert "Укажите" in said(too_large) and "Input should" not in too_large.text
    word = ru.get("/incidents/abc")
    assert word.status_code == 422 and "Input should" not in word.text
    whole = in_("ru", "Give a whole number.")
    assert said(word) == in_("ru", NAMED, field="incident_id", reason=whole)
    en = sign_in("us").client.get("/incidents/abc")
    assert said(en) == "incident_id: Give a whole number."


def test_a_form_posted_without_its_token_is_refused_in_the_readers_language(
    sign_in: SignIn,
) -> None:
    ar = sign_in("us", language="ar").client
    refused = ar.post("/measures/1/comment", data={"text": "x"})
    assert refused.status_code == 403 and '<html lang="ar" dir="rtl">' in refused.text
    assert said(refused) == "انتهت صلاحية النموذج: أعد تحميل الصفحة وحاول مرة أخرى."


def test_a_bad_date_of_the_daily_report_is_named_in_the_readers_language(
    sign_in: SignIn,
) -> None:
    ru = sign_in("us", language="ru").client
    page = ru.get("/agreements/syria/daily", params={"date": "2016-13-01"})
    assert page.status_code == 422
    reason = in_("ru", "%(text)s is not a date (YYYY-MM-DD)", text="'2016-13-01'")
    assert said(page) == in_("ru", NAMED, field="date", reason=reason)
    unknown = ru.get("/agreements/nope/daily")
    assert unknown.status_code == 404
    assert said(unknown) == in_("ru", "There is no agreement %(agreement)s.", agreement="'nope'")


def test_the_servers_other_refusals_of_a_page_are_pages(sign_in: SignIn) -> None:
    """A form whose body does not parse (Starlette's 400) is a page, not the API's JSON."""
    ru = sign_in("us", language="ru").client
    broken = ru.post(
        "/login",
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\n",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code == 400
    assert broken.headers["content-type"].startswith("text/html")
    assert '<html lang="ru"' in broken.text and title(broken) == "Не удалось выполнить операцию"
    assert said(broken) == in_("ru", "The server cannot act on this request.")


def test_a_failure_of_the_server_is_a_page_in_the_readers_language(
    site: FastAPI, sign_in: SignIn
) -> None:
    def fail() -> None:
        raise RuntimeError("a bug")

    site.add_api_route("/failing", fail)
    site.add_api_route("/api/v1/failing", fail)
    signed = sign_in("us", language="ar").client
    client = TestClient(site, raise_server_exceptions=False, cookies=signed.cookies)
    failed = client.get("/failing")
    assert failed.status_code == 500 and '<html lang="ar" dir="rtl">' in failed.text
    assert title(failed) == in_("ar", "The server failed")
    assert "a bug" not in failed.text and 'id="who-name"' in failed.text
    # made outside the middleware that adds them, it carries the same headers
    assert failed.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in failed.headers["content-security-policy"]
    api = client.get("/api/v1/failing")
    assert api.status_code == 500 and api.text == "Internal Server Error"


TOO_LARGE = (
    "What was sent is larger than this server takes at once (%(limit)s bytes): shorten the "
    "text or send the file by the command line. Nothing was saved."
)


def test_a_form_over_the_size_limit_is_refused_by_a_page_and_the_api_keeps_json(
    site: FastAPI, sign_in: SignIn
) -> None:
    limit = site.state.settings.max_body_bytes
    ru = sign_in("us", language="ru")
    huge = b"narrative=" + b"x" * limit
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    refused = ru.client.post("/reports/new", content=huge, headers=form)
    assert refused.status_code == 413 and '<html lang="ru" dir="ltr">' in refused.text
    assert said(refused) == in_("ru", TOO_LARGE, limit=LANGUAGES["ru"].number(limit))
    assert refused.headers["x-content-type-options"] == "nosniff"  # the site's headers too
    api = ru.client.post("/api/v1/reports", content=huge, headers=form)
    assert api.status_code == 413 and api.json()["field"] == "body"
