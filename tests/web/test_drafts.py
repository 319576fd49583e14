"""A draft of the party on the report page: kept without a place or a date, opened into
the form holding all it holds, kept again (the same draft) or filed; each missing field
named; nothing a colleague kept since overwritten; no other party's, nor an observer's."""

from __future__ import annotations

import re
from typing import Any

from ceasefire.domain.visibility import Audience
from ceasefire.domain.workflow import Role
from ceasefire.services import queries
from ceasefire.store.database import Database
from ceasefire.store.drafts import Draft, drafts_of
from web.conftest import SignIn
from web.test_reports import HOSTILE, error_beside, form, incident_of, reports


def kept(db: Database) -> list[Draft]:
    with db.read() as conn:
        return drafts_of(conn, "us")


def value_of(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]* name="{name}"[^>]* value="([^"]*)"', page)
    assert found is not None, name
    return found.group(1)


def text_of(page: str, name: str) -> str:
    found = re.search(rf'<textarea id="{name}" name="{name}"[^>]*>([^<]*)</textarea>', page)
    assert found is not None, name
    return found.group(1)


UNPLACED = form(lat="", lon="", date="", time="", action="draft")


def test_a_draft_kept_without_a_place_or_date_is_opened_finished_and_filed(
    sign_in: SignIn, web_db: Database
) -> None:
    us, colleague = sign_in("us", Role.REPORTER), sign_in("us", Role.ANALYST)
    saved = us.post("/reports/new", UNPLACED)
    assert saved.status_code == 200 and "Kept as a draft" in saved.text, saved.text[-800:]
    (draft,) = kept(web_db)
    assert "lat" not in draft.body and "lon" not in draft.body
    assert draft.body["time"] is None and draft.body["date_start"] is None
    assert "the place and the date" in saved.text  # what is still to give, in the list
    opened = colleague.client.get(f"/drafts/{draft.id}")
    assert opened.status_code == 200
    page = opened.text
    assert f'action="/drafts/{draft.id}"' in page and "Draft of your party" in page
    assert value_of(page, "source_id") == "us-1" and value_of(page, "lat") == ""
    assert value_of(page, "fatalities_best") == "2" and value_of(page, "date") == ""
    assert text_of(page, "actors") == "Syrian Arab Army\nJabhat al-Nusra"
    assert "&lt;script&gt;" in text_of(page, "narrative") and "<script>alert" not in page
    assert re.search(r'<option value="syria" data-zone="Asia/Damascus"[^>]* selected>', page)
    # the place is added and the draft kept again: the same draft, the date still to give
    placed = {**UNPLACED, "lat": "34.70", "lon": "36.70", "version": value_of(page, "version")}
    again = colleague.post(f"/drafts/{draft.id}", placed)
    assert again.status_code == 303 and again.headers["location"] == f"/drafts/{draft.id}?kept=1"
    (same,) = kept(web_db)
    assert same.id == draft.id and (same.body["lat"], same.body["lon"]) == (34.7, 36.7)
    assert same.author == draft.author and reports(web_db) == []
    now = colleague.client.get(again.headers["location"]).text
    assert "The draft is kept" in now and "the date" in now and value_of(now, "lat") == "34.7"
    # then the date and time, and filed: signed by the party, and the draft is gone
    dated = {**placed, "date": "2016-03-05", "time": "14:30", "action": "file"}
    incident_of(us.post(f"/drafts/{draft.id}", {**dated, "version": value_of(now, "version")}))
    (stored,) = reports(web_db)
    assert stored.report.time.start.isoformat() == "2016-03-05T12:30:00+00:00"
    assert (stored.report.location.lat, stored.report.location.lon) == (34.7, 36.7)
    assert stored.report.narrative == HOSTILE and stored.report.agreement_id == "syria"
    assert kept(web_db) == [] and "/drafts/" not in us.client.get("/reports/new").text


def test_an_opened_draft_shows_its_time_in_its_agreements_zone(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us", Role.REPORTER)
    us.post("/reports/new", form(action="draft"))  # 14:30 in Damascus: 12:30 UTC
    (draft,) = kept(web_db)
    assert draft.body["time"].startswith("2016-03-05T12:30:00")
    page = us.client.get(f"/drafts/{draft.id}").text
    assert (value_of(page, "date"), value_of(page, "time")) == ("2016-03-05", "14:30")
    # a time the clocks showed twice opens with the one it is: nothing to ask again
    twice = form(date="2016-10-27", time="23:30", fold="second", source_id="us-2")
    us.post("/reports/new", {**twice, "action": "draft"})
    second = kept(web_db)[-1]
    page = us.client.get(f"/drafts/{second.id}").text
    assert re.search(r'name="fold" value="second" required checked', page)
    filed = us.post(f"/drafts/{second.id}", {**twice, "version": value_of(page, "version")})
    incident_of(filed)
    (stored,) = reports(web_db)
    assert stored.report.time.start.isoformat() == "2016-10-27T21:30:00+00:00"


def test_filing_an_unfinished_draft_from_the_list_opens_it_naming_each_missing_field(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us", Role.REPORTER, language="ru")
    us.post("/reports/new", UNPLACED)
    (draft,) = kept(web_db)
    refused = us.post(f"/drafts/{draft.id}/share")
    for field in ("lat", "lon", "date"):
        assert error_beside(refused, field), field
    assert error_beside(refused, "lat") == "Щёлкните по карте или укажите обе координаты."
    assert f'action="/drafts/{draft.id}"' in refused.text  # opened, to be finished
    assert reports(web_db) == [] and kept(web_db) == [draft]


def test_a_draft_keeps_only_a_place_given_whole_and_what_it_gives_is_checked(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us", Role.REPORTER)
    half = us.post("/reports/new", {**UNPLACED, "lat": "34.7"})
    assert "both coordinates" in error_beside(half, "lon")
    future = us.post("/reports/new", {**UNPLACED, "date": "2031-01-01"})
    assert "in the future" in error_beside(future, "date")
    clock = us.post("/reports/new", {**UNPLACED, "time": "14:30"})  # a time needs its day
    assert error_beside(clock, "date") == "Give the date."
    order = us.post("/reports/new", {**UNPLACED, "fatalities_low": "5"})
    assert error_beside(order, "fatalities_best")
    assert error_beside(us.post("/reports/new", {**UNPLACED, "source_id": ""}), "source_id")
    assert kept(web_db) == []
    us.post("/reports/new", UNPLACED)
    (draft,) = kept(web_db)
    page = us.client.get(f"/drafts/{draft.id}").text
    bad = {**UNPLACED, "lat": "95", "lon": "36", "version": value_of(page, "version")}
    assert error_beside(us.post(f"/drafts/{draft.id}", bad), "lat")
    assert kept(web_db) == [draft]


def test_a_draft_a_colleague_kept_since_it_was_opened_is_not_overwritten(
    sign_in: SignIn, web_db: Database
) -> None:
    us, colleague = sign_in("us", Role.REPORTER), sign_in("us", Role.OFFICER)
    us.post("/reports/new", UNPLACED)
    (draft,) = kept(web_db)
    mine = value_of(us.client.get(f"/drafts/{draft.id}").text, "version")
    theirs = value_of(colleague.client.get(f"/drafts/{draft.id}").text, "version")
    colleague.post(f"/drafts/{draft.id}", {**UNPLACED, "narrative": "theirs", "version": theirs})
    for action in ("draft", "file"):
        typed = {**form(narrative="mine"), "action": action, "version": mine}
        stale = us.post(f"/drafts/{draft.id}", typed)
        assert stale.status_code == 412, stale.text[-500:]
        assert "kept this draft again since you opened it" in stale.text
        assert ">mine</textarea>" in stale.text  # what was typed, kept on the page
    (now,) = kept(web_db)
    assert now.body["narrative"] == "theirs" and reports(web_db) == []


def test_only_the_partys_reporters_open_change_or_file_its_drafts(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us", Role.REPORTER)
    us.post("/reports/new", UNPLACED)
    (draft,) = kept(web_db)
    version = value_of(us.client.get(f"/drafts/{draft.id}").text, "version")
    changed = {**UNPLACED, "narrative": "changed", "version": version}
    ru = sign_in("ru", Role.ADMIN)
    assert ru.client.get(f"/drafts/{draft.id}").status_code == 404
    assert ru.post(f"/drafts/{draft.id}", changed).status_code == 404
    assert ru.post(f"/drafts/{draft.id}/discard").status_code == 404
    reader = sign_in("us", Role.OBSERVER)
    assert reader.client.get(f"/drafts/{draft.id}").status_code == 403
    assert reader.post(f"/drafts/{draft.id}", changed).status_code == 403
    assert reader.post(f"/drafts/{draft.id}/share").status_code == 403
    assert us.client.get("/drafts/999999").status_code == 404
    forged = us.client.post(f"/drafts/{draft.id}", data={**changed, "csrf": "forged"})
    assert forged.status_code == 403
    assert kept(web_db) == [draft]


def test_what_a_draft_holds_beyond_the_form_is_listed_and_kept(
    sign_in: SignIn, web_db: Database, site: Any
) -> None:
    """A draft made over the API may hold a date range, admin areas, a sub-event type and
    actors' roles, which the form does not show: opening it and keeping it lost them."""
    us = sign_in("us", Role.REPORTER)
    body = {
        "source": "us",
        "source_id": "api-1",
        "date_start": "2016-03-01",
        "date_end": "2016-03-06",
        "time_precision": "week",
        "lon": 36.7,
        "lat": 34.7,
        "admin1": "Homs",
        "event_type": "battles",
        "sub_event_type": "Armed clash",
        "actors": [{"name": "Syrian Arab Army", "role": "actor1"}],
        "agreement": "syria",
    }
    made = us.client.post("/api/v1/drafts", json=body, headers={"X-CSRF-Token": us.csrf})
    assert made.status_code == 201, made.text
    draft_id = made.json()["id"]
    page = us.client.get(f"/drafts/{draft_id}").text
    for shown in ("Mar 6, 2016", "to the week", "Armed clash", "Homs", "Syrian Arab Army: actor1"):
        assert shown in page, shown
    assert '<option value="Battles" selected>' in page
    opened = {
        **form(),
        "source_id": "api-1",
        "date": "2016-03-01",
        "time": "",
        "lat": "34.7",
        "lon": "36.7",
        "actors": "Syrian Arab Army",
        "fatalities_low": "",
        "fatalities_best": "",
        "narrative": "",
        "citations": "",
        "action": "draft",
        "version": value_of(page, "version"),
    }
    assert us.post(f"/drafts/{draft_id}", opened).status_code == 303
    (same,) = kept(web_db)
    for field in ("date_end", "time_precision", "admin1", "sub_event_type"):
        assert same.body[field] == body[field], field
    assert same.body["actors"] == [{"name": "Syrian Arab Army", "role": "actor1"}]
    # a changed event type takes the sub-event type with it; a changed place, the area
    page = us.client.get(f"/drafts/{draft_id}").text
    moved = {
        **opened,
        "event_type": "Protests",
        "lat": "34.8",
        "version": value_of(page, "version"),
    }
    assert us.post(f"/drafts/{draft_id}", moved).status_code == 303
    (now,) = kept(web_db)
    assert now.body["sub_event_type"] is None and now.body["admin1"] is None
    assert now.body["date_end"] == "2016-03-06" and now.body["lat"] == 34.8
    filed = us.post(f"/drafts/{draft_id}/share")
    incident_of(filed)
    (stored,) = queries.list_reports(web_db, Audience.operator(), source="us")
    assert stored.report.time.precision.value == "week"
    assert stored.report.time.end.date().isoformat() == "2016-03-07"
