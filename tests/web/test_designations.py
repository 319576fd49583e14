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
from web.conftest import Browser, SignIn

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


DIFF_ROW = re.compile(r'<tr data-actor="([^"]+)" data-change="([^"]+)">(.*?)</tr>', re.S)


def _changes(html: str, table: str = "diff") -> dict[str, tuple[str, str]]:
    """Each group of a changes table: (its change, its row's text without tags)."""
    body = html.split(f'<table id="{table}"', 1)[1].split("</table>", 1)[0]
    return {
        actor: (change, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip())
        for actor, change, row in DIFF_ROW.findall(body)
    }


def test_the_page_shows_what_a_version_changed_and_compares_any_two(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger)
    browser = sign_in("ru", Role.OBSERVER)
    page = browser.client.get("/designations")
    assert "What changed at version 2" in page.text and "Submitted by us" in page.text
    changes = _changes(page.text)
    assert changes["nusra"] == (
        "moved",
        "Jabhat al-Nusra nusra Level moved Some members Unanimous us: silent → listed",
    )
    assert changes["saa"][0] == "moved" and "us: silent → not listed" in changes["saa"][1]
    # beside each version, as many changes as its comparison with the one before lists
    counts = re.findall(r'version=(\d)#changes">(\d)</a>', page.text)
    assert counts == [("2", "2"), ("1", "2")]
    first = browser.client.get("/designations?list=issg&version=1")
    assert set(_changes(first.text).values()) == {
        ("added", "Jabhat al-Nusra nusra Added Listed by none Some members ru: silent → listed"),
        ("added", "Syrian Arab Army saa Added Listed by none Some members ru: silent → listed"),
    }
    back = browser.client.get("/designations?list=issg&from=2&to=0")
    assert "What changed from version 2 to version 0" in back.text
    assert {c for c, _ in _changes(back.text).values()} == {"removed"}
    same = browser.client.get("/designations?list=issg&from=2&to=2")
    assert "No member's position on any group moved between these versions." in same.text
    past = browser.client.get("/designations?list=issg&to=9")
    assert past.status_code == 422 and "the list has versions 0 to 2" in past.text
    russian = sign_in("ru", Role.OBSERVER, language="ru").client.get("/designations")
    assert "Единогласно" in _changes(russian.text)["nusra"][1]


def _form(browser: Browser, **fields: list[str] | str) -> dict[str, list[str] | str]:
    """The submission form as us's officer finds it (nusra listed; saa refused, with a
    note; three empty rows), with ``fields`` changed."""
    page = browser.client.get("/designations?list=issg").text
    found = re.search(r'name="held_as" value="([0-9a-f]*)"', page)
    data: dict[str, list[str] | str] = {
        "csrf": browser.csrf,
        "held_as": found.group(1) if found else "",
        "action": "preview",
        "actor": ["nusra", "saa"],
        "position": ["listed", "not_listed"],
        "note": ["", "a party to the truce"],
        "new_actor": ["", "", ""],
        "new_position": ["listed", "listed", "listed"],
        "new_note": ["", "", ""],
    }
    return {**data, **fields}


def test_an_officer_previews_then_signs_its_partys_list_on_the_page(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger)
    us = sign_in("us", Role.OFFICER)
    page = us.client.get("/designations")
    form = page.text.split('<table id="submission"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<input type="hidden" name="actor" value="([^"]+)">', form) == [
        "nusra",
        "saa",
    ]
    assert (
        '<option value="not_listed" selected>' in form
        and ">a party to the truce</textarea>" in form
    )
    assert form.count('name="new_actor"') == 3

    # us now lists the army too, and says no more why it did not
    changed = _form(us, position=["listed", "listed"], note=["", ""])
    preview = us.client.post("/designations/issg/submission", data=changed)
    assert preview.status_code == 200
    assert _changes(preview.text, "preview-changes") == {
        "saa": (
            "moved",
            "Syrian Arab Army saa Level moved Disputed Unanimous us: not listed → listed",
        )
    }
    assert len(designations.versions(web_ledger.db, "issg")) == 2  # nothing signed yet

    signed = us.client.post(
        "/designations/issg/submission",
        data={**changed, "action": "submit"},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/designations?list=issg&signed=1&version=3#changes"
    after = us.client.get(signed.headers["location"])
    assert "Your party&#39;s list is signed: it made version 3." in after.text
    assert _changes(after.text)["saa"][0] == "moved"
    assert ("saa", "us") not in designations.consolidated(web_ledger.db, "issg").notes
    # the same list again: nothing to sign
    again = us.client.post(
        "/designations/issg/submission",
        data={**_form(us, position=["listed", "listed"], note=["", ""]), "action": "submit"},
        follow_redirects=False,
    )
    assert again.headers["location"] == "/designations?list=issg&signed=0#submit"
    assert "Nothing to sign" in us.client.get(again.headers["location"]).text


def test_a_note_of_several_lines_posted_unchanged_signs_nothing(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    """A browser posts a text area's line breaks as CR LF: the note as the API gave it,
    posted back untouched, is the same note (the review found it signed again, changed)."""
    _lists(web_ledger)
    lines = "a party to the truce\nsince 27 February"
    refused = Row(2, "saa", Position.NOT_LISTED, lines)
    designations.submit(web_ledger, "issg", "us", [Row(1, "nusra"), refused])
    before = len(designations.versions(web_ledger.db, "issg"))
    us = sign_in("us", Role.OFFICER)
    posted = _form(us, note=["", lines.replace("\n", "\r\n")], action="submit")
    done = us.client.post("/designations/issg/submission", data=posted, follow_redirects=False)
    assert done.headers["location"] == "/designations?list=issg&signed=0#submit"
    assert designations.consolidated(web_ledger.db, "issg").notes[("saa", "us")] == lines
    assert len(designations.versions(web_ledger.db, "issg")) == before


def test_a_form_opened_before_a_colleague_signed_is_refused_not_signed(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    """Two officers of one party open the form; one lists the army and signs; the other's
    form, signed after, would take the army off again: refused, nothing signed."""
    _lists(web_ledger)
    us, colleague = sign_in("us", Role.OFFICER), sign_in("us", Role.ADMIN)
    stale = _form(colleague, action="submit")  # opened now, signed later
    added = _form(us, position=["listed", "listed"], action="submit")
    done = us.client.post("/designations/issg/submission", data=added, follow_redirects=False)
    assert done.status_code == 303
    before = len(designations.versions(web_ledger.db, "issg"))
    refused = colleague.client.post("/designations/issg/submission", data=stale)
    assert refused.status_code == 412
    assert "submitted its list since you opened this form" in refused.text
    assert len(designations.versions(web_ledger.db, "issg")) == before
    assert designations.held(web_ledger.db, "issg", "us")["saa"].position == Position.LISTED
    # opened again, the form holds the colleague's group and is signed
    again = _form(colleague, action="submit")
    assert again["held_as"] != stale["held_as"]


def test_a_refused_row_is_named_beside_it_and_nothing_is_signed(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger)
    us = sign_in("us", Role.OFFICER)
    refused = us.client.post(
        "/designations/issg/submission",
        data=_form(
            us,
            action="submit",
            new_actor=["Jaysh al-Fatah", "", HOSTILE],
            new_note=["", "a note about no group", ""],
            position=["listed", "perhaps"],
        ),
    )
    assert refused.status_code == 422
    errors = dict(
        re.findall(r'<p class="field-error" id="(row-\d)-error">([^<]*)</p>', refused.text)
    )
    assert errors == {
        "row-2": "Choose one of the options offered.",
        "row-4": "Name the group this note is about.",
    }  # the form's own checks first, every row at once
    assert len(designations.versions(web_ledger.db, "issg")) == 2

    unknown = us.client.post(
        "/designations/issg/submission",
        data=_form(us, action="submit", new_actor=["Jaysh al-Fatah", "", HOSTILE]),
    )
    assert unknown.status_code == 422
    errors = dict(
        re.findall(r'<p class="field-error" id="(row-\d)-error">([^<]*)</p>', unknown.text)
    )
    assert set(errors) == {"row-3", "row-5"}
    assert "“Jaysh al-Fatah” names no actor of the register" in errors["row-3"]
    assert "Some rows were refused" in unknown.text
    assert HOSTILE not in unknown.text and "&lt;script&gt;" in errors["row-5"]
    assert 'id="row-3-actor" name="new_actor"' in unknown.text  # what was typed is kept
    assert len(designations.versions(web_ledger.db, "issg")) == 2


def test_only_an_officer_of_a_member_party_is_offered_the_form(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _lists(web_ledger)
    designations.save_list(web_ledger, DesignationList("ru-only", "Russia's own", ("ru",)))
    observer = sign_in("us", Role.OBSERVER)
    page = observer.client.get("/designations?list=issg")
    assert 'id="submission"' not in page.text
    assert "This needs the role officer; your role is observer." in page.text
    posted = observer.client.post("/designations/issg/submission", data=_form(observer))
    assert posted.status_code == 403
    officer = sign_in("us", Role.OFFICER)
    other = officer.client.get("/designations?list=ru-only")
    assert 'id="submission"' not in other.text and "not a member of this list" in other.text
    outsider = officer.client.post(
        "/designations/ru-only/submission",
        data=_form(officer, action="submit", actor=[], position=[], note=[]),
    )
    assert outsider.status_code == 422 and "not a member of this list" in outsider.text
    forged = officer.client.post(
        "/designations/issg/submission", data={**_form(officer), "csrf": "x"}
    )
    assert forged.status_code == 403
    assert len(designations.versions(web_ledger.db, "issg")) == 2
