"""The shared map's page: its time bar, default range and filters offer each reader what
its party may read, and nothing of another agreement's records."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from api.test_visibility import OUTSIDERS
from builders import report
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from web.conftest import Browser, SignIn

MAP_DATA = re.compile(r'<script type="application/json" id="map-data">(.*?)</script>', re.S)
SOURCE = re.compile(r'<option value="([^"]*)" class="data">\1</option>')


def map_of(browser: Browser) -> tuple[dict[str, Any], list[str]]:
    """The map page's data (its time bar's range among them) and the sources it offers."""
    page = browser.client.get("/")
    assert page.status_code == 200, page.text
    found = MAP_DATA.search(page.text)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data, SOURCE.findall(page.text)


def test_a_report_of_another_agreement_moves_neither_the_time_bar_nor_the_filters(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    # the walkthrough: a monitor's report, filed under its agreement alone, set every
    # user's map to open on its date, including users whose party may not read it
    load_scenario(web_ledger, OUTSIDERS)
    submit_report(web_ledger, report("open"), author="us", scope=None)
    us, osce = sign_in("us"), sign_in("osce")
    before = map_of(us)
    assert before[0]["first"] == "2016-03-02T00:00:00.000000Z"
    assert before[0]["last"] == "2016-03-03T00:00:00.000000Z"

    late = report("late", source="osce-smm", day=date(2020, 6, 1), lon=37.8, lat=48.0)
    submit_report(web_ledger, late, author="osce", scope="minsk")
    early = report("early", source="us-centre", day=date(2014, 6, 1))
    submit_report(web_ledger, early, author="us", scope="syria")

    data, sources = map_of(us)  # the Minsk report moves nothing of us's map
    assert (data["first"], data["last"]) == ("2014-06-01T00:00:00.000000Z", before[0]["last"])
    assert sources == ["field", "us-centre"]
    data, sources = map_of(osce)  # nor the Syrian one osce's, which its own report moves
    assert (data["first"], data["last"]) == (before[0]["first"], "2020-06-02T00:00:00.000000Z")
    assert sources == ["field", "osce-smm"]
