"""Hostile or odd input to the pages: a 4xx naming the field, never a 500, nothing
written; an analyst's tools refused to anyone else; sign-in keeps the page asked for."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from ceasefire.domain.visibility import Audience
from ceasefire.domain.workflow import Role
from ceasefire.services import queries
from ceasefire.store.database import Database
from ceasefire.web.reports import ReportForm
from ceasefire.web.restrictions import RestrictionForm
from web.conftest import SignIn
from web.test_reports import error_beside, form, incident_of, reports


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fatalities_best": "²"}, "fatalities_best"),
        ({"fatalities_low": "99999999999999999999999"}, "fatalities_low"),
        ({"fatalities_high": "-1"}, "fatalities_high"),
        ({"lat": "nan"}, "lat"),
        ({"lon": "1e999"}, "lon"),
        ({"date": "0001-01-01", "time": "00:10"}, "date"),
        ({"date": "9999-12-31", "time": ""}, "time"),
        ({"date": "yesterday"}, "date"),
        ({"time": "25:99"}, "time"),
        ({"source": ""}, "source"),
        ({"event_type": "Picnic"}, "event_type"),
    ],
)
def test_odd_input_is_named_beside_its_field_and_nothing_is_written(
    sign_in: SignIn, web_db: Database, changes: dict[str, str], field: str
) -> None:
    us = sign_in("us")
    assert error_beside(us.post("/reports/new", form(**changes)), field)
    assert reports(web_db) == []


def test_odd_ids_are_refused_not_failed(sign_in: SignIn) -> None:
    us = sign_in("us", Role.ANALYST)
    incident = incident_of(us.post("/reports/new", form()))
    assert us.client.get("/incidents/99999999999999999999").status_code == 422
    assert us.client.get(f"/incidents/{incident}?filed=x").status_code == 422
    for other in ("²", "99999999999999999999", "-1"):
        refused = us.post(f"/incidents/{incident}/merge", {"other": other})
        assert refused.status_code == 422, other
    split = us.client.post(
        f"/incidents/{incident}/split",
        data={"csrf": us.csrf, "report": "99999999999999999999"},
        follow_redirects=False,
    )
    assert split.status_code == 422


def test_only_an_analyst_merges_or_splits(sign_in: SignIn, web_db: Database) -> None:
    observer = sign_in("us", Role.OBSERVER)
    us = sign_in("us")
    first = incident_of(us.post("/reports/new", form()))
    second = incident_of(us.post("/reports/new", form(source_id="us-2", lat="36.5", lon="40")))
    merged = observer.post(f"/incidents/{first}/merge", {"other": str(second)})
    assert merged.status_code == 403 and "needs the role analyst" in merged.text
    split = observer.post(f"/incidents/{first}/split", {"report": "1"})
    assert split.status_code == 403
    assert len(queries.list_reports(web_db, Audience.operator(), source="us")) == 2
    assert observer.client.get(f"/incidents/{second}").status_code == 200


def test_a_merged_incident_sends_the_reader_to_the_one_it_joined(sign_in: SignIn) -> None:
    analyst = sign_in("us", Role.ANALYST)
    first = incident_of(analyst.post("/reports/new", form()))
    second = incident_of(analyst.post("/reports/new", form(source_id="us-2", lat="34.9")))
    done = analyst.post(f"/incidents/{first}/merge", {"other": str(second)})
    assert done.status_code == 303
    assert done.headers["location"] == f"/incidents/{first}?merged={second}"
    said = analyst.client.get(done.headers["location"]).text
    assert f"Merged into this incident, signed by your party: {second}" in said
    crafted = analyst.client.get(f"/incidents/{first}?merged=999999,{first}").text
    other = sign_in("ru", Role.ANALYST).client.get(done.headers["location"]).text
    assert "Merged into this incident" not in crafted + other  # only what its party did
    moved = analyst.client.get(f"/incidents/{second}", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == f"/incidents/{first}"


def test_an_analysts_refused_merge_or_split_is_said_in_the_analysts_language(
    sign_in: SignIn,
) -> None:
    analyst = sign_in("ru", Role.ANALYST, language="ru")
    filed = analyst.post("/reports/new", form())
    incident = incident_of(filed)
    itself = analyst.post(f"/incidents/{incident}/merge", {"other": str(incident)})
    assert itself.status_code == 422
    assert "укажите не меньше двух разных инцидентов для объединения" in itself.text
    report = filed.headers["location"].split("filed=")[1]  # type: ignore[attr-defined]
    every = analyst.post(f"/incidents/{incident}/split", {"report": report})
    assert every.status_code == 422
    assert f"инцидент {incident} останется пустым" in every.text


def test_a_draft_for_every_party_is_shared_as_an_open_report(
    sign_in: SignIn, web_db: Database
) -> None:
    us = sign_in("us")
    us.post("/reports/new", form(action="draft", agreement=""))
    draft = re.search(r'action="/drafts/(\d+)/share"', us.client.get("/reports/new").text)
    assert draft is not None
    incident_of(us.post(f"/drafts/{draft.group(1)}/share"))
    (stored,) = reports(web_db)
    assert stored.report.agreement_id is None


def test_signing_in_goes_back_to_the_whole_view_asked_for(site: FastAPI, sign_in: SignIn) -> None:
    us = sign_in("us")
    view = "/?ll=33.5,36.3&z=10&from=2016-02-01&agreement=syria"
    anonymous = TestClient(site)
    sent = anonymous.get(view, follow_redirects=False)
    assert sent.headers["location"] == "/login?next=" + quote(view, safe="/")
    login = anonymous.get(sent.headers["location"]).text
    assert (
        'name="next" value="/?ll=33.5,36.3&amp;z=10&amp;from=2016-02-01&amp;agreement=syria"'
        in login
    )
    assert us.client.get("/").status_code == 200


def test_a_form_posted_after_the_session_ended_goes_back_to_its_page(site: FastAPI) -> None:
    anonymous = TestClient(site)
    sent = anonymous.post(
        "/incidents/1/assess",
        data={"csrf": "x", "finding": "violation"},
        headers={"referer": "http://testserver/incidents/1?filed=3"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/login?next=" + quote("/incidents/1?filed=3", safe="/")


def test_a_form_without_its_token_is_refused(sign_in: SignIn) -> None:
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    missing = us.client.post(
        f"/incidents/{incident}/assess",
        data={"finding": "violation", "reasoning": "x"},
        follow_redirects=False,
    )
    assert missing.status_code == 403 and "expired" in missing.text


def test_an_address_with_no_page_answers_a_page_in_the_readers_language(
    sign_in: SignIn, site: FastAPI
) -> None:
    ru = sign_in("ru", language="ru").client
    missing = ru.get("/incidents")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Не найдено" in missing.text
    assert 'id="who-name"' in missing.text  # with the signed-in reader's menu, as elsewhere
    no_incident = ru.get("/incidents/999999")  # a record that is not there: the same
    assert no_incident.status_code == 404 and 'id="who-name"' in no_incident.text
    not_taken = ru.delete("/ledger")
    assert not_taken.status_code == 405 and "GET" in not_taken.headers["allow"]
    assert not_taken.headers["content-type"].startswith("text/html")
    # signed out too, and the API keeps its JSON
    anonymous = TestClient(site)
    signed_out = anonymous.get("/no/such/page")
    assert signed_out.headers["content-type"].startswith("text/html")
    assert 'id="who-name"' not in signed_out.text
    api = anonymous.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["error"] == "HTTPError"


def test_an_error_page_leads_back_to_the_page_the_reader_came_from(sign_in: SignIn) -> None:
    client = sign_in("us").client
    came = {"referer": "http://testserver/measures?status=proposed"}
    missing = client.get("/incidents/999999", headers=came)
    assert missing.status_code == 404
    assert '<a href="/measures?status=proposed">Back to the page you came from</a>' in missing.text
    elsewhere = {"referer": "https://elsewhere.example//evil.example/x"}
    assert "Back to the page you came from" not in client.get("/nope", headers=elsewhere).text
    assert "Back to the page you came from" not in client.get("/nope").text
    same = {"referer": "http://testserver/nope"}  # a page does not lead back to itself
    assert "Back to the page you came from" not in client.get("/nope", headers=same).text


@pytest.mark.parametrize(
    ("path", "model"), [("/reports/new", ReportForm), ("/restrictions", RestrictionForm)]
)
def test_a_person_cannot_type_past_what_the_form_takes(
    sign_in: SignIn, path: str, model: type[BaseModel]
) -> None:
    """Every box one types into stops at the form model's limit (past it, the form would
    be refused whole, as a script's post is, and what was typed lost)."""
    page = sign_in("us", Role.REPORTER).client.get(path).text
    limits = {
        field.alias or name: next(m.max_length for m in field.metadata if hasattr(m, "max_length"))
        for name, field in model.model_fields.items()
    }
    boxes = re.findall(r"<(?:input|textarea)\b([^>]*)>", page)
    typed = [b for b in boxes if not re.search(r'type="(hidden|date|time|checkbox|radio)"', b)]
    assert len(typed) >= 6
    for box in typed:
        name = re.search(r'name="([^"]+)"', box)
        assert name is not None, box
        most = re.search(r'maxlength="(\d+)"', box)
        assert most is not None and int(most.group(1)) <= limits[name.group(1)], box


def test_a_merge_far_apart_is_asked_about_first_then_made(sign_in: SignIn) -> None:
    analyst = sign_in("us", Role.ANALYST)
    first = incident_of(analyst.post("/reports/new", form()))
    far = form(source_id="us-2", lat="36.5", lon="40", date="2016-03-20")
    second = incident_of(analyst.post("/reports/new", far))
    asked = analyst.post(f"/incidents/{first}/merge", {"other": str(second)})
    assert asked.status_code == 200  # a question, not a refusal
    found = re.search(r'<form [^>]*id="merge-far">(.*?)</form>', asked.text, re.S)
    assert found is not None
    question = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))
    assert f"Incidents {first} and {second} are far apart: are they one event?" in question
    assert f"Incident {first} 34.7000, 36.7000 · Mar 5, 2016, 2:30:00" in question
    assert f"Incident {second} 36.5000, 40.0000 · Mar 20, 2016, 2:30:00" in question
    assert "Distance between them 359 km" in question
    assert "Time between them 15 days" in question
    assert f'name="other" value="{second}"' in found.group(1)
    assert 'name="confirm_far" value="yes" required' in found.group(1)
    assert analyst.client.get(f"/incidents/{second}", follow_redirects=False).status_code == 200

    done = analyst.post(f"/incidents/{first}/merge", {"other": str(second), "confirm_far": "yes"})

    assert done.status_code == 303
    assert done.headers["location"] == f"/incidents/{first}?merged={second}"
    moved = analyst.client.get(f"/incidents/{second}", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == f"/incidents/{first}"


def test_a_merge_across_scopes_is_refused_naming_both_and_no_confirmation_is_offered(
    sign_in: SignIn,
) -> None:
    analyst = sign_in("us", Role.ANALYST)
    scoped = incident_of(analyst.post("/reports/new", form()))
    open_ = incident_of(analyst.post("/reports/new", form(source_id="us-2", agreement="")))
    refused = analyst.post(f"/incidents/{scoped}/merge", {"other": str(open_)})
    assert refused.status_code == 422
    assert f"incidents {scoped} (syria) and {open_} (open) are of different scopes" in (
        refused.text
    )
    assert 'id="merge-far"' not in refused.text
