"""/control: who held which ground, from when to when, by whose account, each with a link
to the map over the days it was held."""

from __future__ import annotations

import re
from datetime import date

from shapely.geometry import box

from ceasefire.domain.workflow import Role
from ceasefire.ingest.control_files import AreaRow
from ceasefire.services.control import record_areas
from ceasefire.services.ledger import Ledger
from web.conftest import SignIn

ROW = re.compile(r'<tr data-area="\d+">(.*?)</tr>', re.S)
HOSTILE = "<b>ILLUSTRATIVE</b>"


def test_each_area_says_who_held_it_when_and_links_the_map_there(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    rows = [
        AreaRow(0, "nusra", box(36.5, 35.8, 36.8, 36.0), date(2015, 3, 28), None, "press", HOSTILE),
        AreaRow(1, "saa", box(36.2, 34.6, 36.4, 34.8), date(2016, 1, 1), date(2016, 6, 30), "", ""),
    ]
    record_areas(web_ledger, rows, author="ru")
    page = sign_in("us", Role.OBSERVER).client.get("/control")
    assert page.status_code == 200 and 'aria-current="page">Areas of control<' in page.text
    found = ROW.findall(page.text)
    assert len(found) == 2
    army, nusra = found  # the latest held first
    assert "Syrian Arab Army" in army and "Jun 30, 2016" in army and "held today" not in army
    assert "Jabhat al-Nusra" in nusra and "held today" in nusra and "open-ended" in nusra
    assert HOSTILE not in page.text and "&lt;b&gt;ILLUSTRATIVE&lt;/b&gt;" in nusra
    # the map fitted to the area's bounds (not a zoom under which a small area hides
    # beneath a count of incidents), over the days it was held, the area outlined
    army_id = re.findall(r'<tr data-area="(\d+)">', page.text)[0]
    assert (
        'href="/?bounds=36.2000%2C34.6000%2C36.4000%2C34.8000&amp;from=2016-01-01'
        f'&amp;to=2016-06-30&amp;area={army_id}"'
    ) in army
    arabic = sign_in("ru", Role.OBSERVER, language="ar").client.get("/control")
    assert "مسيطر عليها اليوم" in arabic.text


def test_with_no_area_the_page_says_so(sign_in: SignIn) -> None:
    page = sign_in("us", Role.OBSERVER).client.get("/control")
    assert "No area of control is recorded." in page.text
