"""/humanitarian: each location's status, requests, decisions and deliveries, and the
requests still awaiting a decision, the oldest first."""

from __future__ import annotations

import re
from datetime import date

from ceasefire.domain.humanitarian import (
    Decision,
    Delivery,
    Location,
    LocationStatus,
    Request,
    RequestKind,
    StatusChange,
)
from ceasefire.domain.workflow import Role
from ceasefire.services import humanitarian
from ceasefire.services.ledger import Ledger
from web.conftest import SignIn

HOSTILE = "<script>x</script>"


def _madaya(ledger: Ledger) -> None:
    besieged = (StatusChange(LocationStatus.BESIEGED, date(2015, 7, 1), "OCHA"),)
    place = Location("madaya", "Madaya", 36.1, 33.69, statuses=besieged)
    humanitarian.add_location(ledger, place, author="us")
    first = humanitarian.record_request(
        ledger,
        Request(0, "madaya", RequestKind.CONVOY, "OCHA", date(2016, 1, 5), people=40_000),
        author="us",
    )
    humanitarian.record_decision(
        ledger, first.id, Decision.APPROVED, decided=date(2016, 1, 7), decided_by="Syria"
    )
    delivered = Delivery(0, first.id, date(2016, 1, 11), people_reached=40_000, items="food")
    humanitarian.record_delivery(ledger, delivered, author="us")
    humanitarian.record_delivery(ledger, Delivery(0, first.id, date(2016, 1, 14)), author="us")
    humanitarian.record_request(
        ledger,
        Request(0, "madaya", RequestKind.CORRIDOR, HOSTILE, date(2016, 2, 1), destination="Idlib"),
        author="us",
    )


def test_a_location_shows_its_status_requests_and_deliveries(
    web_ledger: Ledger, sign_in: SignIn
) -> None:
    _madaya(web_ledger)
    page = sign_in("ru", Role.OBSERVER).client.get("/humanitarian")
    assert page.status_code == 200 and 'aria-current="page">Humanitarian access<' in page.text
    row = re.search(r'<tr data-location="madaya">(.*?)</tr>', page.text, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert "Besieged" in cells[0] and "since Jul 1, 2015" in cells[0]
    assert cells[1:6] == ["2", "1", "0", "<strong>1</strong>", "2"]
    assert cells[6].startswith("40,000") and "1 delivery that does not say" in cells[6]
    assert cells[7] == "Jan 14, 2016"
    pending = re.findall(r'<tr data-request="\d+">(.*?)</tr>', page.text, re.S)
    assert len(pending) == 1 and "corridor" in pending[0] and "Idlib" in pending[0]
    assert HOSTILE not in page.text and "&lt;script&gt;x&lt;/script&gt;" in pending[0]


def test_with_no_location_the_page_says_so_in_the_readers_language(sign_in: SignIn) -> None:
    page = sign_in("us", Role.OBSERVER, language="ar").client.get("/humanitarian")
    assert page.status_code == 200 and "لم يُسجَّل أي موقع إنساني." in page.text
