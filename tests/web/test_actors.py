"""/actors: the register with every name in any script and a search by any name, and
/actors/names: the names the reader's reports give that no actor matches, which an analyst
maps once (signed), each in the reader's language."""

from __future__ import annotations

import re
import time

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from api.test_visibility import OUTSIDERS
from builders import report
from ceasefire.domain.designations import DesignationList, Position, Row
from ceasefire.domain.workflow import Role
from ceasefire.services import designations
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.mapping_runs import LOCK
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import actors as actor_store
from web.conftest import CSRF, SignIn

ROW = re.compile(r'<tr data-actor="([^"]+)">(.*?)</tr>', re.S)
NAME_ROW = re.compile(r'<tr data-name="([^"]+)"[^>]*>(.*?)</tr>', re.S)
HOSTILE = '<img src=x onerror="alert(1)">'


def test_the_register_shows_each_actor_with_its_names_and_its_lists(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    issg = DesignationList("issg", "ISSG list", ("us", "ru"))
    designations.save_list(web_ledger, issg)
    designations.submit(web_ledger, "issg", "ru", [Row(1, "nusra"), Row(2, "saa")])
    designations.submit(
        web_ledger, "issg", "us", [Row(1, "nusra"), Row(2, "saa", Position.NOT_LISTED)]
    )
    page = sign_in("us", Role.OBSERVER).client.get("/actors")
    assert page.status_code == 200 and 'aria-current="page">Registers<' in page.text
    rows = dict(ROW.findall(page.text))
    assert list(rows) == ["nusra", "saa"]  # by name: Jabhat…, Syrian…
    assert "جبهة النصرة" in rows["nusra"] and "Al-Nusrah Front" in rows["nusra"]
    assert re.search(r">Unanimous</span> <a[^>]*>ISSG list</a>", rows["nusra"])
    assert re.search(r">Disputed</span> <a[^>]*>ISSG list</a>", rows["saa"])
    assert "Government of Syria" in rows["saa"]


def test_a_search_by_a_name_in_another_script_finds_the_actor_and_says_how_sure(
    sign_in: SignIn,
) -> None:
    client = sign_in("ru", Role.OBSERVER, language="ru").client
    page = client.get("/actors", params={"q": "جبهة النصرة"})
    assert page.status_code == 200
    assert "«جبهة النصرة» — это Jabhat al-Nusra" in page.text
    assert list(dict(ROW.findall(page.text))) == ["nusra"]
    nothing = client.get("/actors", params={"q": "Liwa al-Quds"})
    assert "не соответствует ни одному участнику" in nothing.text
    assert "Ни один участник не называется «Liwa al-Quds» или близко к этому" in nothing.text
    russian = client.get("/actors", params={"q": "Джебхат ан-Нусра"})  # matched, not typed
    assert list(dict(ROW.findall(russian.text))) == ["nusra"]
    assert client.get("/actors", params={"q": "x" * 301}).status_code == 422


def test_an_analyst_maps_a_name_once_and_it_leaves_the_queue(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    submit_report(web_ledger, report("1", actors=("Jaysh al-Fatah", HOSTILE)), scope=None)
    observer = sign_in("us", Role.OBSERVER).client.get("/actors/names")
    names = dict(NAME_ROW.findall(observer.text))
    assert set(names) == {"Jaysh al-Fatah", "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"}
    assert HOSTILE not in observer.text and 'action="/actors/names"' not in observer.text

    analyst = sign_in("ru", Role.ANALYST)
    queue = analyst.client.get("/actors/names")
    csrf = CSRF.search(queue.text)
    assert csrf is not None
    mapped = analyst.post("/actors/names", {"name": "Jaysh al-Fatah", "actor": "nusra"})
    assert mapped.status_code == 303
    after = _finished(analyst.client, mapped.headers["location"])
    assert "“Jaysh al-Fatah” is Jabhat al-Nusra, signed by ru." in after.text
    assert "matched again; incidents your party reads that changed: 1." in after.text
    assert "names.js" not in after.text  # nothing left to follow
    assert "Jaysh al-Fatah" not in dict(NAME_ROW.findall(after.text))
    with web_ledger.db.read() as conn:
        assert ("Jaysh al-Fatah", "nusra") in actor_store.load_mappings(conn)
    none = analyst.post("/actors/names", {"name": HOSTILE, "actor": "-"})
    assert none.status_code == 303
    emptied = analyst.client.get(none.headers["location"]).text
    assert "is none of the register, signed by ru." in emptied and HOSTILE not in emptied
    crafted = analyst.client.get("/actors/names?mapping=999999").text
    assert "signed by" not in crafted  # a notice says only what the register holds
    assert "Every name in the reports your party reads matches an actor" in emptied


def _finished(client: TestClient, location: str) -> Response:
    """The page after a mapping once the server's run resolved its reports (a thread of
    the server, taken up at once)."""
    for _ in range(100):
        page = client.get(location)
        if 'data-finished="yes"' in page.text:
            return page
        time.sleep(0.1)
    raise AssertionError(f"the mapping's run did not finish: {page.text}")


def test_the_page_follows_a_mapping_whose_reports_are_still_being_resolved(
    web_ledger: Ledger, sign_in: SignIn, site: FastAPI
) -> None:
    """The runs' lock held elsewhere (another server process busy with another run): the
    mapping is signed and the page says the run has yet to find its reports, in the
    reader's language, with the script that follows it."""
    submit_report(web_ledger, report("1", actors=("Jaysh al-Fatah",)), scope=None)
    analyst = sign_in("ru", Role.ANALYST, language="ru")
    with web_ledger.db.exclusive(LOCK) as mine:
        assert mine
        mapped = analyst.post("/actors/names", {"name": "Jaysh al-Fatah", "actor": "nusra"})
        assert mapped.status_code == 303
        waiting = analyst.client.get(mapped.headers["location"]).text
    site.state.mapping_runner.wake()  # its next pass (every 5 s) would find it: now
    assert "Поиск сообщений с этим названием…" in waiting
    assert '<script src="/static/js/names.js"></script>' in waiting
    done = _finished(analyst.client, mapped.headers["location"]).text
    assert "Все сообщения с этим названием сопоставлены заново" in done


def test_an_observer_may_not_map_a_name_and_is_told_which_role_may(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    submit_report(web_ledger, report("1", actors=("Jaysh al-Fatah",)), scope=None)
    refused = sign_in("us", Role.OBSERVER).post(
        "/actors/names", {"name": "Jaysh al-Fatah", "actor": "nusra"}
    )
    assert refused.status_code == 403
    assert "This needs the role analyst; your role is observer." in refused.text
    unknown = sign_in("us", Role.ANALYST).post(
        "/actors/names", {"name": "Jaysh al-Fatah", "actor": "nobody"}
    )
    assert unknown.status_code == 422 and "no such actor" in unknown.text
    unchosen = sign_in("us", Role.ANALYST).post(
        "/actors/names", {"name": "Jaysh al-Fatah", "actor": ""}
    )
    assert unchosen.status_code == 422
    assert "Choose the actor the name is, or none of the register." in unchosen.text


def test_no_actor_is_chosen_for_the_analyst_however_near_it_is(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    """The nearest actor is a button that names it, never chosen in advance; Enter in the
    box submits the actor typed there ("Civilians" must not become a government by a
    keystroke); one list of the register's actors serves every row."""
    submit_report(web_ledger, report("1", actors=("Syrian Army Civilians",)), scope=None)
    analyst = sign_in("us", Role.ANALYST)
    queue = analyst.client.get("/actors/names").text
    start = queue.index('<form method="post" action="/actors/names"')
    form = queue[start : queue.index("</form>", start)]
    buttons = re.findall(r'<button type="submit" name="actor" value="([^"]*)">([^<]*)<', form)
    assert buttons == [
        ("", "It is this one"),
        ("saa", "It is Syrian Arab Army"),
        ("-", "None of the register"),
    ]
    assert "<select" not in form and queue.count('<datalist id="actor-ids">') == 1
    typed = analyst.post(
        "/actors/names", {"name": "Syrian Army Civilians", "actor": "", "other": "nusra"}
    )
    assert typed.status_code == 303
    with web_ledger.db.read() as conn:
        assert ("Syrian Army Civilians", "nusra") in actor_store.load_mappings(conn)


def test_an_actor_typed_by_the_name_the_register_shows_is_taken_and_an_unknown_one_said(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    """The list shows each actor's name beside its id; typing the name (in any letter
    case) was refused as "no such actor"."""
    submit_report(web_ledger, report("1", actors=("Jaysh al-Fatah", "Liwa Sirri")), scope=None)
    analyst = sign_in("us", Role.ANALYST, language="ru")
    typed = analyst.post(
        "/actors/names", {"name": "Jaysh al-Fatah", "actor": "", "other": "jabhat AL-NUSRA"}
    )
    assert typed.status_code == 303
    unknown = analyst.post(
        "/actors/names", {"name": "Liwa Sirri", "actor": "", "other": "Jaysh al-Islam"}
    )
    assert unknown.status_code == 422
    assert "Ни один участник реестра не называется «Jaysh al-Islam»" in unknown.text
    with web_ledger.db.read() as conn:
        assert actor_store.load_mappings(conn) == [("Jaysh al-Fatah", "nusra")]


def test_a_party_outside_an_agreement_sees_none_of_its_reports_names(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    submit_report(web_ledger, report("1", actors=("Liwa Sirri",)), author="ru", scope="syria")
    load_scenario(web_ledger, OUTSIDERS)
    outsider = sign_in("osce", Role.ANALYST).client.get("/actors/names")
    assert "Liwa Sirri" not in outsider.text
    assert "Every name in the reports your party reads matches an actor" in outsider.text
    member = sign_in("us", Role.OBSERVER).client.get("/actors/names")
    assert "Liwa Sirri" in member.text
