"""/designations: the consolidated list as the members left it, at any version, with who
said what and each member's note, in the reader's language."""

from __future__ import annotations

import re
from dataclasses import replace

from builders import scenario
from ceasefire.domain.designations import DesignationList, Position, Row
from ceasefire.domain.workflow import Role
from ceasefire.services import designations
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from web.conftest import SignIn

ROW = re.compile(r'<tr data-actor="([^"]+)">(.*?)</tr>', re.S)
HOSTILE = '<script>alert("x")</script>'


def _lists(ledger: Ledger, *, follow: bool = False) -> None:
    """A list of the two co-chairs: ru lists both groups; then us lists the Nusra Front and
    refuses the Syrian Arab Army, with a note."""
    base = scenario()
    regime = base.regimes[0]
    if follow:
        regime = replace(regime, exclusion_list="issg", exclusion_rule="unanimous")
    issg = DesignationList("issg", "ISSG list", ("us", "ru"), "The single list.")
    load_scenario(ledger, replace(base, regimes=(regime,), designation_lists=(issg,)))
    designations.submit(ledger, "issg", "ru", [Row(1, "nusra", note=HOSTILE), Row(2, "saa")])
    refused = Row(2, "saa", Position.NOT_LISTED, "a party to the truce")
    designations.submit(ledger, "issg", "us", [Row(1, "nusra"), refused])


def _rows(html: str) -> dict[str, str]:
    return dict(ROW.findall(html))


def test_the_list_shows_each_groups_level_who_said_what_and_their_notes(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger)
    page = sign_in("us", Role.OBSERVER).client.get("/designations")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert list(rows) == ["nusra", "saa"]  # the agreed first
    assert "Unanimous" in rows["nusra"] and "Jabhat al-Nusra" in rows["nusra"]
    assert "Disputed" in rows["saa"]
    cells = re.findall(r'<td class="data">([^<]*)</td>', rows["saa"])
    assert cells == ["ru", "us", "—"]  # listed by, not listed by, said nothing
    assert "a party to the truce" in rows["saa"]
    assert HOSTILE not in page.text and "&lt;script&gt;alert(&#34;x&#34;)" in rows["nusra"]
    assert "2 of 2" in page.text and 'aria-current="page">Designation lists<' in page.text
    assert "no regime: the list excludes no group" in page.text
    assert "/api/v1/designations/issg/export?format=csv&amp;version=2" in page.text


def test_an_earlier_version_shows_the_list_as_it_then_stood(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger)
    page = sign_in("ru", Role.OFFICER).client.get("/designations?list=issg&version=1")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert "Some members" in rows["nusra"] and "Some members" in rows["saa"]
    assert re.findall(r'<td class="data">([^<]*)</td>', rows["saa"]) == ["ru", "—", "us"]
    assert "1 of 2" in page.text and "notes are shown with the latest version" in page.text
    assert HOSTILE not in page.text and "alert" not in page.text
    assert 'href="/designations?list=issg&amp;version=2"' in page.text
    past = sign_in("ru", Role.OFFICER, language="ru").client.get("/designations?version=9")
    assert past.status_code == 422 and "у списка есть версии с 0 по 2" in past.text
    unknown = sign_in("ru", Role.OFFICER).client.get("/designations?list=nope")
    assert unknown.status_code == 422 and "is not a designation list" in unknown.text


def test_a_regime_that_follows_the_list_is_named_with_its_rule(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger, follow=True)
    page = sign_in("us", Role.OBSERVER).client.get("/designations")
    assert "Cessation of hostilities – Syria</span> (every member lists it)" in page.text


def test_with_no_list_the_page_says_so(sign_in: SignIn) -> None:
    page = sign_in("us", Role.OBSERVER).client.get("/designations")
    assert page.status_code == 200 and "No designation list has been made yet." in page.text


def test_levels_and_headings_are_in_the_readers_language(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger)
    russian = sign_in("ru", Role.OBSERVER, language="ru").client.get("/designations")
    assert "Единогласно" in russian.text and "Степень согласия" in russian.text
    arabic = sign_in("us", Role.OBSERVER, language="ar").client.get("/designations")
    assert 'dir="rtl"' in arabic.text and "بالإجماع" in arabic.text
