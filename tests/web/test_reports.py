"""The report form: errors beside the field, local time in the agreement's zone, drafts,
and what a report says shown as text."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from shapely.geometry import Point, box

from builders import scenario
from ceasefire.domain.regimes import Agreement, Place
from ceasefire.domain.visibility import Audience
from ceasefire.domain.workflow import Role
from ceasefire.services import queries
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store.database import Database
from ceasefire.store.drafts import drafts_of
from ceasefire.store.reports import StoredReport
from web.conftest import SignIn

HOSTILE = 'Shelling <script>alert(1)</script> "><img src=x onerror=alert(2)>'


def reports(db: Database) -> list[StoredReport]:
    return queries.list_reports(db, Audience.operator(), source="us")


def form(**changes: str) -> dict[str, str]:
    base = {
        "source": "us",
        "source_id": "us-1",
        "agreement": "syria",
        "date": "2016-03-05",
        "time": "14:30",
        "lat": "34.70",
        "lon": "36.70",
        "location_precision": "exact",
        "event_type": "Battles",
        "actors": "Syrian Arab Army\n\n  Jabhat al-Nusra  ",
        "fatalities_low": "1",
        "fatalities_best": "2",
        "fatalities_high": "",
        "narrative": HOSTILE,
        "citations": "https://example.org/a\nhttps://example.org/b",
        "action": "file",
    }
    return {**base, **changes}


def incident_of(response: Any) -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/incidents/(\d+)\?filed=\d+", response.headers["location"])
    assert found is not None, response.headers["location"]
    return int(found.group(1))


def test_the_form_files_a_report_at_its_local_time_and_shows_it_as_text(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us")
    page = us.client.get("/reports/new")
    assert page.status_code == 200
    assert 'data-zone="Asia/Damascus"' in page.text
    incident = incident_of(us.post("/reports/new", form()))
    (stored,) = reports(web_db)
    # 14:30 in Damascus in March 2016 (UTC+2) is 12:30 UTC, known to the minute
    assert stored.report.time.start.isoformat() == "2016-03-05T12:30:00+00:00"
    assert stored.report.time.precision.value == "exact"
    assert [a.name for a in stored.report.actors] == ["Syrian Arab Army", "Jabhat al-Nusra"]
    assert (stored.report.fatalities.low, stored.report.fatalities.best) == (1, 2)
    assert stored.report.citations == ("https://example.org/a", "https://example.org/b")
    assert stored.report.agreement_id == "syria"
    file = us.client.get(f"/incidents/{incident}?filed={stored.id}")
    assert "<script>alert(1)" not in file.text and "<img src=x" not in file.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in file.text
    assert "is filed, signed by your party" in file.text


def test_a_date_alone_is_known_to_the_day(sign_in: SignIn, web_db: Database) -> None:
    us = sign_in("us")
    incident_of(us.post("/reports/new", form(time="")))
    (stored,) = reports(web_db)
    assert stored.report.time.precision.value == "day"
    assert stored.report.time.start.date().isoformat() == "2016-03-05"


def error_beside(response: Any, field: str) -> str:
    """The message shown beside ``field``, which is marked invalid."""
    assert response.status_code == 422, response.text
    assert re.search(rf'id="{re.escape(field)}"[^>]*aria-invalid="true"', response.text) or (
        re.search(rf'aria-invalid="true"[^>]*id="{re.escape(field)}"', response.text)
    ), f"{field} is not marked invalid"
    found = re.search(
        rf'<p class="field-error" id="{re.escape(field)}-error">([^<]*)</p>', response.text
    )
    assert found is not None, f"no error beside {field}"
    return found.group(1)


def test_each_wrong_field_is_named_beside_it_and_the_form_keeps_what_was_typed(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us")
    assert "both coordinates" in error_beside(us.post("/reports/new", form(lat="")), "lat")
    assert "number" in error_beside(us.post("/reports/new", form(lon="east")), "lon")
    assert error_beside(us.post("/reports/new", form(lat="95")), "lat")
    kept = us.post("/reports/new", form(fatalities_best="two"))
    assert "whole number" in error_beside(kept, "fatalities_best")
    assert "&lt;script&gt;" in kept.text  # the narrative typed is kept, as text
    low_high = us.post("/reports/new", form(fatalities_low="5", fatalities_high="1"))
    assert low_high.status_code == 422
    assert reports(web_db) == []


def test_a_narrative_as_long_as_the_page_lets_one_type_is_filed_and_a_longer_one_kept(
    sign_in: SignIn, web_db: Database
) -> None:
    """A browser sends a text area's line breaks as CR LF, counted as one by its
    ``maxlength``: 20,000 characters of lines were refused as 24,000, on a page of their
    own, and everything typed was lost."""
    us = sign_in("us")
    lines = ("seen from the north" + "\r\n") * 1_000  # 20,000 characters, 21,000 sent
    filed = us.post("/reports/new", form(narrative=lines))
    assert filed.status_code == 303, filed.text[-500:]
    (stored,) = reports(web_db)
    assert stored.report.narrative == lines.replace("\r\n", "\n")
    longer = us.post("/reports/new", form(source_id="us-2", narrative="x" * 20_001))
    assert "20000" in error_beside(longer, "narrative").replace(",", "").replace("\u00a0", "")
    assert "x" * 20_001 in longer.text and len(reports(web_db)) == 1


def test_every_wrong_field_is_named_at_once(sign_in: SignIn, web_db: Database) -> None:
    """Latitude "abc" with longitude 181 named the latitude alone: the user had to file
    again to learn of the longitude."""
    us = sign_in("us", language="ru")
    wrong = form(lat="abc", lon="181", fatalities_best="two", source="", time="25:00")
    refused = us.post("/reports/new", wrong)
    for field in ("lat", "lon", "fatalities_best", "source", "time"):
        assert error_beside(refused, field), field
    assert "Укажите число." in error_beside(refused, "lat")
    assert refused.text.count("autofocus") == 1  # the first wrong field: the page opens there
    assert re.search(r'id="lat"[^>]*autofocus', refused.text)
    assert 'value="two"' in refused.text and reports(web_db) == []
    # the domain's own rules too: a range out of order, a day to come
    later = form(lat="abc", fatalities_low="5", fatalities_best="2", date="2099-01-01", time="")
    refused = us.post("/reports/new", later)
    for field in ("lat", "fatalities_best", "date"):
        assert error_beside(refused, field), field
    missing = us.post("/reports/new", form(lat="", lon=""))
    assert "Input should" not in missing.text
    assert error_beside(missing, "lat") == error_beside(missing, "lon")


def test_a_local_time_the_clocks_skipped_is_refused_beside_the_time(sign_in: SignIn) -> None:
    us = sign_in("us")
    # Damascus moved its clocks from 00:00 to 01:00 on 25 March 2016
    skipped = us.post("/reports/new", form(date="2016-03-25", time="00:30"))
    assert "does not exist" in error_beside(skipped, "time")


def test_an_event_in_the_future_is_refused_beside_the_date_filed_or_drafted(
    sign_in: SignIn, web_db: Database
) -> None:
    # the walkthrough: a report dated 2031-01-01 was filed and signed, with no warning
    us = sign_in("us")
    for action in ("file", "draft"):
        refused = us.post("/reports/new", form(date="2031-01-01", time="", action=action))
        said = error_beside(refused, "date")
        assert said.startswith("2031-01-01 is in the future: an event may start at most one")
        assert 'value="2031-01-01"' in refused.text  # kept as typed, to be corrected
    assert reports(web_db) == []
    with web_db.read() as conn:
        assert drafts_of(conn, "us") == []


def test_a_local_time_the_clocks_showed_twice_is_filed_once_the_reporter_says_which(
    sign_in: SignIn, web_db: Database
) -> None:
    """Damascus moved its clocks back from 00:00 to 23:00 on 28 October 2016: 23:30 of the
    27th came twice. The form has no place for a UTC offset, so it asks which."""
    us = sign_in("us")
    twice = form(date="2016-10-27", time="23:30")
    asked = us.post("/reports/new", twice)
    assert unescape(error_beside(asked, "time")) == (
        "Oct 27, 2016, 11:30:00\u202fPM happened twice here: the clocks moved back. "
        "Say which below."
    )  # as the page writes its other times, not as ISO 8601 (2016-10-27T23:30)
    assert "the second, after they moved back (UTC+02:00)" in asked.text
    assert 'name="fold" value="first"' in asked.text and reports(web_db) == []
    filed = us.post("/reports/new", {**twice, "fold": "second"})
    assert filed.status_code == 303
    (stored,) = reports(web_db)
    assert stored.report.time.start == datetime(2016, 10, 27, 21, 30, tzinfo=UTC)


def test_the_time_zone_is_named_by_its_city_in_the_readers_language(sign_in: SignIn) -> None:
    """Beside the time, and on each agreement's option for the page's script to show when
    another is chosen (every party: UTC)."""
    en = sign_in("us").client.get("/reports/new").text
    assert '<strong id="zone">Damascus time</strong>' in en
    assert 'data-zone="Asia/Damascus" data-zone-name="Damascus time"' in en
    assert 'data-zone="UTC" data-zone-name="UTC time"' in en
    ru = sign_in("us", language="ru")
    assert '<strong id="zone">по времени Дамаск</strong>' in ru.client.get("/reports/new").text
    ar = sign_in("us", language="ar").client.get("/restrictions").text
    assert '<strong id="zone">بتوقيت \u2068دمشق\u2069</strong>' in ar
    asked = ru.post("/reports/new", form(date="2016-10-27", time="23:30"))
    assert error_beside(asked, "time").startswith("27 окт. 2016\u202fг., 23:30:00 ")


def test_each_refusal_is_shown_beside_its_field_in_the_readers_language(
    sign_in: SignIn, web_db: Database
) -> None:
    ru = sign_in("us", language="ru")
    assert error_beside(ru.post("/reports/new", form(lat="95")), "lat") == "Укажите не больше 90."
    # a rule of the domain, not of the schema: the best estimate below the low one
    below = error_beside(ru.post("/reports/new", form(fatalities_low="5")), "fatalities_best")
    assert below.startswith("2 меньше низкой оценки 5")
    # a list typed one item a line: the line is named, beside its input
    long_line = form(citations="https://example.org/a\n" + "x" * 2001)
    assert error_beside(ru.post("/reports/new", long_line), "citations") == (
        "Строка 2: Не больше 2000 символов."
    )
    ar = sign_in("us", language="ar")
    skipped = ar.post("/reports/new", form(date="2016-03-25", time="00:30"))
    assert "غير موجود في" in error_beside(skipped, "time")
    en = sign_in("us", language="en")
    assert error_beside(en.post("/reports/new", form(actors="a\n" + "b" * 301)), "actors") == (
        "Line 2: Use at most 300 characters."
    )
    assert reports(web_db) == []


def test_a_report_filed_twice_is_refused_in_the_readers_language(sign_in: SignIn) -> None:
    ru = sign_in("us", language="ru")
    incident_of(ru.post("/reports/new", form()))
    again = ru.post("/reports/new", form())
    assert again.status_code == 409
    said = re.search(r'<p class="error" role="alert">([^<]*)</p>', again.text)
    assert said is not None and said.group(1).startswith("Сообщение us/us-1 уже есть")


def test_a_user_of_two_agreements_chooses_between_them(
    sign_in: SignIn, web_db: Database, web_ledger: Ledger
) -> None:
    # the demo's ru-officer is in two: the form failed with a 500 for every such user
    base = scenario()
    minsk = Agreement("minsk", "Minsk II", "Europe/Kyiv", co_chairs=("ru", "us"))
    load_scenario(web_ledger, replace(base, agreements=(*base.agreements, minsk)))
    ru = sign_in("ru")
    for path in ("/reports/new", "/restrictions"):
        page = ru.client.get(path)
        assert page.status_code == 200, page.text
        for agreement, zone in (("minsk", "Europe/Kyiv"), ("syria", "Asia/Damascus")):
            offered = f'<option value="{agreement}" data-zone="{zone}"'
            assert offered in page.text, (path, agreement)
    incident_of(ru.post("/reports/new", form(agreement="minsk", date="2015-03-05")))
    (filed,) = queries.list_reports(web_db, Audience.operator(), source="us")
    assert filed.report.agreement_id == "minsk"
    # 14:30 in Kyiv in March 2015 (UTC+2) is 12:30 UTC: the chosen agreement's zone
    assert filed.report.time.start.isoformat() == "2015-03-05T12:30:00+00:00"


def test_a_form_without_the_session_token_changes_nothing(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us")
    forged = us.client.post("/reports/new", data={**form(), "csrf": "forged"})
    assert forged.status_code == 403
    assert reports(web_db) == []


def test_a_reader_may_not_file(sign_in: SignIn, web_db: Database) -> None:
    reader = sign_in("us", Role.OBSERVER)
    page = reader.client.get("/reports/new").text
    said = "Filing a report needs the role reporter; your role is observer."
    assert said in page and 'id="report-form"' not in page and "report.js" not in page
    assert 'href="/reports/new"' not in page  # not offered in the menu either
    refused = reader.post("/reports/new", form())
    assert refused.status_code == 403
    assert "This needs the role reporter; your role is observer." in refused.text
    assert reports(web_db) == []
    assert 'href="/reports/new"' in sign_in("us").client.get("/").text  # a reporter's menu


def test_a_reader_is_told_why_there_is_no_form_in_their_language(sign_in: SignIn) -> None:
    reader = sign_in("us", Role.OBSERVER, language="ru")
    page = reader.client.get("/reports/new").text
    assert "нужна роль «автор сообщений»; ваша роль — «наблюдатель»" in page
    refused = reader.post("/reports/new", form()).text
    assert "Для этого нужна роль «автор сообщений»; ваша роль — «наблюдатель»." in refused


def test_a_draft_is_kept_for_the_party_then_shared(sign_in: SignIn, web_db: Database) -> None:
    us, colleague, ru = sign_in("us"), sign_in("us"), sign_in("ru")
    kept = us.post("/reports/new", form(action="draft"))
    assert kept.status_code == 200 and "Kept as a draft" in kept.text
    assert reports(web_db) == []
    theirs = colleague.client.get("/reports/new").text
    draft = re.search(r'action="/drafts/(\d+)/share"', theirs)
    assert draft is not None
    assert "/drafts/" not in ru.client.get("/reports/new").text
    assert ru.post(f"/drafts/{draft.group(1)}/share").status_code == 404  # not ru's to see
    incident_of(colleague.post(f"/drafts/{draft.group(1)}/share"))
    (stored,) = reports(web_db)
    assert stored.report.agreement_id == "syria"
    assert "/drafts/" not in us.client.get("/reports/new").text


def test_a_draft_is_discarded(sign_in: SignIn) -> None:
    us = sign_in("us")
    us.post("/reports/new", form(action="draft"))
    draft = re.search(r'action="/drafts/(\d+)/discard"', us.client.get("/reports/new").text)
    assert draft is not None
    gone = us.post(f"/drafts/{draft.group(1)}/discard")
    assert gone.status_code == 200 and "discarded" in gone.text
    assert "/drafts/" not in us.client.get("/reports/new").text


def test_signing_in_keeps_the_page_asked_for(site: object, sign_in: SignIn) -> None:
    us = sign_in("us")
    us.client.cookies.clear()
    sent = us.client.get("/reports/new", follow_redirects=False)
    assert sent.headers["location"] == "/login?next=/reports/new"
    assert isinstance(us.client, TestClient)


def test_the_named_places_are_grouped_by_their_country(sign_in: SignIn, web_ledger: Ledger) -> None:
    """A monitor of one country's agreement met sixty places of another's first: the
    settlements, which the gazetteer gives no country, came first as "other places"."""
    base = scenario()
    places = (
        Place("SY", "Syria", "country", box(35.5, 32.3, 42.4, 37.3)),
        Place("kz", "Kafr Zita", "settlement", Point(36.6, 35.37)),
        Place("far", "Nowhere", "settlement", Point(10.0, 10.0)),
    )
    load_scenario(web_ledger, replace(base, places=(*base.places, *places)))
    page = sign_in("us", Role.REPORTER).client.get("/reports/new").text
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', page, re.S)
    assert [label for label, _ in groups] == ["Syria", "other places"]
    syria = re.findall(r'<option value="([^"]*)"', groups[0][1])
    assert syria == ["Homs", "Kafr Zita", "Syria"] and 'value="Nowhere"' in groups[1][1]
