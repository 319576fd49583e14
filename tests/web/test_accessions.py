"""/accessions: who joined or left which regime, when, through whom and on what evidence,
and each regime's count of settlements in it over time."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from builders import scenario
from ceasefire.domain.accessions import AccessionRow, Change
from ceasefire.domain.workflow import Role
from ceasefire.services.accessions import record_accessions
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from web.conftest import SignIn

ROW = re.compile(r'<tr data-accession="\d+">(.*?)</tr>', re.S)
HOSTILE = "javascript:alert(1)"


def _joined(ledger: Ledger) -> None:
    rows = [
        AccessionRow(
            1,
            "coh",
            Change.JOINED,
            date(2016, 3, 1),
            "Hmeymim centre",
            "https://example.org/douma",
            settlement="Douma",
            lon=36.4,
            lat=33.57,
        ),
        AccessionRow(
            2,
            "coh",
            Change.JOINED,
            date(2016, 3, 5),
            "Hmeymim centre",
            HOSTILE,
            settlement="Zamalka",
            lon=36.36,
            lat=33.52,
        ),
        AccessionRow(
            3, "coh", Change.LEFT, date(2016, 4, 20), "Hmeymim centre", settlement="Zamalka"
        ),
        AccessionRow(4, "coh", Change.JOINED, date(2016, 5, 2), "Geneva", actor="Syrian Arab Army"),
    ]
    record_accessions(ledger, rows, author="ru")


def test_the_register_lists_the_latest_first_with_who_and_on_what_evidence(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _joined(web_ledger)
    page = sign_in("us", Role.OBSERVER).client.get("/accessions")
    assert page.status_code == 200 and 'aria-current="page">Accession<' in page.text
    rows = ROW.findall(page.text)
    assert len(rows) == 4
    assert "Syrian Arab Army" in rows[0] and "armed group" in rows[0]
    assert "Zamalka" in rows[1] and ">left<" in rows[1]
    assert 'href="https://example.org/douma"' in rows[3] and ">example.org</a>" in rows[3]
    assert 'href="javascript' not in page.text and HOSTILE in rows[2]  # shown, not linked
    assert "settlements, 1; armed groups, 1." in page.text
    assert 'role="img"' in page.text  # the chart
    assert "dated after the regime ended" not in page.text


def test_accessions_after_the_regimes_end_are_counted_and_said(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    base = scenario()
    ended = replace(base.regimes[0], end=datetime(2016, 4, 1, tzinfo=ZoneInfo("Asia/Damascus")))
    load_scenario(web_ledger, replace(base, regimes=(ended,)))
    _joined(web_ledger)
    page = sign_in("ru", Role.OBSERVER, language="ru").client.get("/accessions?regime=coh")
    assert "присоединения датированы временем после окончания режима" in page.text
    assert page.text.count('<tr data-accession="') == 4
    unknown = sign_in("ru", Role.OBSERVER).client.get("/accessions?regime=nope")
    assert unknown.status_code == 422 and "&#39;nope&#39; is not a regime" in unknown.text
