"""The regimes page (a co-chair extends a regime, moving its end later, or ends it early;
no one else may)
and the access restrictions page (recorded, then listed; errors beside the field)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from html import unescape

import pytest
from fastapi import FastAPI

from builders import DAMASCUS, ending, report, scenario
from ceasefire.domain.designations import DesignationList
from ceasefire.domain.workflow import Role
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import agreements as agreement_store
from ceasefire.store.database import Database
from web.conftest import SignIn

EXTEND = "/regimes/coh/extend"
DECLARED = datetime(2016, 3, 1, tzinfo=DAMASCUS)  # the cessation's end, before any extension


@pytest.fixture
def declared(site: FastAPI, web_ledger: Ledger) -> None:
    """The site's scenario with the cessation declared until 1 March 2016 (open-ended, it
    would take no extension)."""
    load_scenario(web_ledger, ending(scenario(), DECLARED))


def extensions(db: Database) -> list[object]:
    with db.read() as conn:
        return list(agreement_store.get_regime(conn, "coh").extensions)


def test_a_co_chairs_officer_extends_a_regime_in_its_time_zone(
    declared: None, sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us")
    page = us.client.get("/regimes").text
    assert 'action="/regimes/coh/extend"' in page and "Cessation of hostilities" in page
    for field in (
        'type="date" id="end-date-coh"',
        'type="time" id="end-time-coh"',
        'type="date" id="decided-coh"',
        'maxlength="5000" id="note-coh"',
        'type="date" id="ended-date-coh"',
        'type="date" id="ended-decided-coh"',
    ):
        assert field in page, field  # the fields' kinds, as written (not escaped)  # fmt: skip
    done = us.post(
        EXTEND,
        {
            "end_date": "2016-12-31",
            "end_time": "23:59",
            "decided": "2016-09-09",
            "note": "<b>Geneva</b>",
        },
    )
    assert done.status_code == 303
    (extension,) = extensions(web_db)
    assert extension.new_end.isoformat() == "2016-12-31T21:59:00+00:00"  # type: ignore[attr-defined]
    shown = us.client.get("/regimes").text
    assert "&lt;b&gt;Geneva&lt;/b&gt;" in shown and "In force, extended" in shown
    assert "decided Sep 9, 2016" in shown  # the day it was in the regime's zone


def test_after_an_extension_the_officer_sees_the_incidents_it_classified_anew(
    declared: None, sign_in: SignIn, web_ledger: Ledger
) -> None:
    # two incidents after the regime's end (2 and 3 March 2016), one before its start
    filed = [
        submit_report(web_ledger, report(str(day), day=date(2016, 3, day)), author="us")
        for day in (2, 3)
    ]
    submit_report(web_ledger, report("early", day=date(2016, 2, 26)), author="us")
    us = sign_in("us")
    done = us.post(EXTEND, {"end_date": "2016-03-10", "note": "extended by nine days"})
    assert done.status_code == 303
    location = done.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/regimes\?changed=coh&at=\d+#regime-coh", location)
    shown = us.client.get(location).text
    assert "The change reclassified 2 incidents in the regime's area." in shown
    assert "2 incidents from “Outside any regime” to “Potential violation”" in shown
    for stored in filed:
        assert f'href="/incidents/{stored.incident_id}"' in shown
    assert 'href="/?regime=coh"' in shown
    # the page alone, or naming another write, tells nothing of it
    assert "The change reclassified" not in us.client.get("/regimes").text
    at = int(location.split("at=")[1].split("#")[0])
    assert "The change reclassified" not in us.client.get(f"/regimes?changed=coh&at={at - 1}").text
    assert us.client.get("/regimes?changed=coh&at=-1").status_code == 422


def test_an_extension_needs_an_end_or_open_ended(
    declared: None, sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us")
    refused = us.post(EXTEND, {"end_date": ""})
    assert refused.status_code == 422 and "open-ended" in refused.text
    before = us.post(EXTEND, {"end_date": "2016-01-01"})  # before the start
    assert before.status_code == 422
    assert re.search(r'name="end_date"[^>]*aria-invalid="true"', before.text)
    # both as the regime's clock reads them: midnight on 1 January, midnight on 27 February
    said = "2016-01-01T00:00:00+02:00 is not after the start of regime 'coh' "
    assert said + "(2016-02-27T00:00:00+02:00)" in unescape(before.text)
    assert extensions(web_db) == []
    assert us.post(EXTEND, {"indefinite": "yes"}).status_code == 303
    assert [x.new_end for x in extensions(web_db)] == [None]  # type: ignore[attr-defined]
    # open-ended now: no form offers another extension, and one asked for is refused
    assert 'action="/regimes/coh/extend"' not in us.client.get("/regimes").text
    again = us.post(EXTEND, {"end_date": "2017-01-01"})
    assert again.status_code == 422
    said = "regime 'coh' is open-ended already: an extension cannot move its end"
    assert f'id="extend-error-coh" role="alert">{said}<' in unescape(again.text)
    assert len(extensions(web_db)) == 1


def test_an_extension_to_an_end_no_later_than_the_one_in_force_is_refused(
    declared: None, sign_in: SignIn, web_db: Database
) -> None:
    """The walkthrough: a co-chair's officer "extends" a regime to an end before the one in
    force, which would end it sooner; the page refuses it beside the new end, and says
    why, and nothing is written."""
    us = sign_in("us")
    for day, clock in (("2016-02-29", "06:00"), ("2016-03-01", "00:00")):
        refused = us.post(EXTEND, {"end_date": day, "end_time": clock, "note": "cut short"})
        assert refused.status_code == 422
        assert re.search(r'name="end_date"[^>]*aria-invalid="true"', refused.text)
        said = (
            f"{day}T{clock}:00+02:00 is not after the end of regime 'coh' in force "
            "(2016-03-01T00:00:00+02:00): an extension moves the end later"
        )
        assert said in unescape(refused.text)
    assert extensions(web_db) == []


def test_an_extension_is_refused_in_the_officers_language(declared: None, sign_in: SignIn) -> None:
    ru = sign_in("ru", language="ru")
    before = ru.post(EXTEND, {"end_date": "2016-01-01"})
    assert before.status_code == 422
    assert "не позже начала режима 'coh'" in unescape(before.text)
    empty = ru.post(EXTEND, {"end_date": ""})
    assert empty.status_code == 422 and "end_date:" not in empty.text  # the reason alone
    undated = ru.post(EXTEND, {"end_date": "2016-04-01", "decided": "someday"})
    assert undated.status_code == 422
    assert re.search(r'name="decided"[^>]*aria-invalid="true"', undated.text)


def test_only_a_co_chairs_officer_extends(
    declared: None, sign_in: SignIn, web_db: Database
) -> None:
    reporter = sign_in("us", Role.REPORTER)
    assert 'action="/regimes/coh/extend"' not in reporter.client.get("/regimes").text
    assert reporter.post(EXTEND, {"indefinite": "yes"}).status_code == 403
    assert extensions(web_db) == []


def test_an_end_at_a_time_the_clocks_showed_twice_is_asked_about_then_taken(
    declared: None, sign_in: SignIn, web_db: Database
) -> None:
    """Damascus moved its clocks back at midnight on 28 October 2016: 23:30 on the 27th
    came twice. The form asks which (it has no place for an offset), then takes it."""
    us = sign_in("us")
    asked = us.post(EXTEND, {"end_date": "2016-10-27", "end_time": "23:30"})
    assert asked.status_code == 422
    assert "happened twice here" in unescape(asked.text)
    assert 'name="fold" value="second"' in asked.text and "UTC+02:00" in asked.text
    assert extensions(web_db) == []
    taken = us.post(EXTEND, {"end_date": "2016-10-27", "end_time": "23:30", "fold": "second"})
    assert taken.status_code == 303
    (extension,) = extensions(web_db)
    assert extension.new_end.isoformat() == "2016-10-27T21:30:00+00:00"  # type: ignore[attr-defined]


END = "/regimes/coh/end"


def test_a_co_chairs_officer_ends_a_regime_early_and_the_page_says_so(
    declared: None, sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us")
    page = us.client.get("/regimes").text
    assert f'action="{END}"' in page
    refused = us.post(END, {"end_date": "2016-03-02", "note": "too late"})  # after the end
    assert refused.status_code == 422
    assert re.search(r'id="ended-date-coh"[^>]*aria-invalid="true"', refused.text)
    assert "an ending brings the end forward" in unescape(refused.text)
    assert extensions(web_db) == []
    done = us.post(END, {"end_date": "2016-02-28", "end_time": "12:00", "note": "declared over"})
    assert done.status_code == 303
    (ending,) = extensions(web_db)
    assert ending.new_end.isoformat() == "2016-02-28T10:00:00+00:00"  # type: ignore[attr-defined]
    shown = us.client.get("/regimes").text
    assert "Ended early" in shown and "ended early, at" in shown and "declared over" in shown
    ru = sign_in("ru", Role.REPORTER)  # a reporter of the other co-chair: reads, may not end
    assert f'action="{END}"' not in ru.client.get("/regimes").text
    assert ru.post(END, {"end_date": "2016-02-27"}).status_code == 403
    assert len(extensions(web_db)) == 1


RESTRICTION = {
    "patrol": "UN team 3",
    "agreement": "syria",
    "date": "2016-03-05",
    "time": "09:15",
    "lat": "34.7",
    "lon": "36.7",
    "denied_by": "Government of Syria",
    "reason": "<script>alert(1)</script>",
    "minutes": "90",
}


def test_a_restriction_is_recorded_and_listed_as_text(sign_in: SignIn) -> None:
    us = sign_in("us", Role.REPORTER)
    done = us.post("/restrictions", RESTRICTION)
    assert done.status_code == 303 and done.headers["location"] == "/restrictions?recorded=1"
    page = us.client.get("/restrictions?recorded=1").text
    assert "Recorded, signed by your party." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "UN team 3" in page
    geo = us.client.get("/api/v1/restrictions?f=geojson").json()
    (feature,) = geo["features"]
    assert feature["properties"]["time"].startswith("2016-03-05T07:15:00")  # Damascus, UTC+2


def test_a_restriction_is_listed_at_the_day_and_time_given_in_its_agreements_zone(
    sign_in: SignIn,
) -> None:
    """Given as 00:30 of 5 March in Damascus (22:30 of 4 March in UTC), it is listed so,
    with its zone named: the register showed the day before, in UTC."""
    us = sign_in("us", Role.REPORTER)
    assert us.post("/restrictions", {**RESTRICTION, "time": "00:30"}).status_code == 303
    page = us.client.get("/restrictions").text
    row = re.search(r'<tr data-restriction="\d+"><td>([^<]*)</td>', page)
    assert row is not None
    assert row.group(1).startswith("Mar 5, 2016, 12:30:00") and "Damascus" in row.group(1)


def test_a_restriction_at_a_time_the_clocks_showed_twice_is_recorded_once_they_say_which(
    sign_in: SignIn,
) -> None:
    """Damascus moved its clocks back from 00:00 to 23:00 on 28 October 2016: 23:30 of the
    27th came twice. The form asks which, as the report form does, and records that one."""
    us = sign_in("us", Role.REPORTER)
    twice = {**RESTRICTION, "date": "2016-10-27", "time": "23:30"}
    asked = us.post("/restrictions", twice)
    assert asked.status_code == 422
    said = re.search(r'<p class="field-error" id="time-error">([^<]*)</p>', asked.text)
    assert said is not None and unescape(said.group(1)) == (
        "Oct 27, 2016, 11:30:00\u202fPM happened twice here: the clocks moved back. "
        "Say which below."
    )
    assert "the first, before the clocks moved back (UTC+03:00)" in asked.text
    assert "the second, after they moved back (UTC+02:00)" in asked.text
    assert 'value="UN team 3"' in asked.text  # the form as typed, to say which
    assert "None yet." in asked.text  # nothing recorded
    for fold in ("first", "second"):
        done = us.post("/restrictions", {**twice, "fold": fold, "patrol": f"UN team {fold}"})
        assert done.status_code == 303, done.text[-500:]
    geo = us.client.get("/api/v1/restrictions?f=geojson").json()
    times = {f["properties"]["patrol"]: f["properties"]["time"] for f in geo["features"]}
    assert times["UN team first"].startswith("2016-10-27T20:30:00")
    assert times["UN team second"].startswith("2016-10-27T21:30:00")


def test_a_reader_sees_the_restrictions_but_no_form_to_record_one(sign_in: SignIn) -> None:
    us = sign_in("us", Role.REPORTER)
    assert us.post("/restrictions", RESTRICTION).status_code == 303
    reader = sign_in("us", Role.OBSERVER)
    page = reader.client.get("/restrictions").text
    assert "UN team 3" in page and 'action="/restrictions"' not in page
    assert "Recording an access restriction needs the role reporter" in page
    refused = reader.post("/restrictions", {**RESTRICTION, "patrol": "UN team 4"})
    assert refused.status_code == 403 and "UN team 4" not in refused.text


def test_a_restriction_form_names_what_is_wrong(sign_in: SignIn) -> None:
    us = sign_in("us", Role.REPORTER)
    for field, value in (("patrol", " "), ("lat", ""), ("minutes", "²"), ("date", "soon")):
        refused = us.post("/restrictions", {**RESTRICTION, field: value})
        assert refused.status_code == 422, field
        assert f'id="{field}-error"' in refused.text, field
    assert "None yet." in us.client.get("/restrictions").text


def test_dates_at_the_ends_of_the_calendar_are_named_beside_their_field(
    declared: None, sign_in: SignIn, web_db: Database
) -> None:
    """0001-01-01 00:10 in Damascus (UTC+2) is before the year 1 in UTC: the page says so
    beside the date, in the reader's words, as for any date it cannot take."""
    us = sign_in("us")
    early = us.post(EXTEND, {"end_date": "0001-01-01", "end_time": "00:10"})
    assert early.status_code == 422
    assert re.search(r'name="end_date"[^>]*aria-invalid="true"', early.text)
    assert "Give a date, and a time if needed." in early.text
    assert extensions(web_db) == []
    reporter = sign_in("us", Role.REPORTER)
    refused = reporter.post("/restrictions", {**RESTRICTION, "date": "0001-01-01", "time": "00:10"})
    assert refused.status_code == 422 and 'id="date-error"' in refused.text
    assert "None yet." in reporter.client.get("/restrictions").text


def test_a_regime_names_the_actors_it_excludes_and_the_list_it_follows(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    base = scenario()
    issg = DesignationList("issg", "ISSG list", ("us", "ru"))
    follows = replace(base.regimes[0], exclusion_list="issg", exclusion_rule="majority")
    load_scenario(web_ledger, replace(base, regimes=(follows,), designation_lists=(issg,)))
    page = sign_in("us", Role.OBSERVER).client.get("/regimes").text
    excluded = page[page.index("<dt>Excluded</dt>") :].split("</dd>")[0]
    assert '<a href="/actors?q=nusra" class="data">Jabhat al-Nusra</a>' in excluded
    assert "the groups of the designation list ISSG list where more than half" in excluded
    assert 'href="/designations?list=issg"' in excluded
