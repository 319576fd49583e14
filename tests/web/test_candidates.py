"""/candidates: the analysts' queue of pairs that may be one event, side by side; an analyst
answers one event (a merge) or two (a signed rejection); an observer only reads."""

from __future__ import annotations

import re

from sqlalchemy import select

from builders import two_accounts
from ceasefire.domain.workflow import Role
from ceasefire.services.candidates import list_candidates
from ceasefire.services.ledger import Ledger
from ceasefire.store import tables as t
from web.conftest import SignIn


def _disputed(ledger: Ledger) -> tuple[int, int]:
    found = two_accounts(ledger)
    assert list_candidates(ledger.db).total == 1
    return found


def test_an_analyst_sees_the_pair_and_merges_it_into_one_event(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    low, high = _disputed(web_ledger)
    analyst = sign_in("us", Role.ANALYST)
    page = analyst.client.get("/candidates").text
    assert f'data-pair="{low}-{high}"' in page
    assert f'data-incident="{low}"' in page and f'data-incident="{high}"' in page
    assert "no actor in common (saa vs nusra)" in page
    assert "Syrian Arab Army" in page and "Jabhat al-Nusra" in page
    assert "1 pair waits for a decision." in page

    merged = analyst.post(f"/candidates/{low}/{high}/confirm")
    assert merged.status_code == 303
    assert merged.headers["location"] == f"/incidents/{low}?merged={high}"
    assert list_candidates(web_ledger.db).total == 0
    assert "No pair waits for a decision." in analyst.client.get("/candidates").text
    incident = analyst.client.get(f"/incidents/{low}").text
    assert re.search(r"<dt>Reports</dt><dd>2</dd>", incident)


def test_an_analyst_keeps_two_events_apart_signed_by_the_party(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    low, high = _disputed(web_ledger)
    analyst = sign_in("ru", Role.ANALYST)
    kept = analyst.post(f"/candidates/{low}/{high}/reject")
    assert kept.status_code == 303
    page = analyst.client.get(kept.headers["location"]).text
    assert f"Incidents {low} and {high} are kept as two events, signed by your party." in page
    assert list_candidates(web_ledger.db).total == 0
    with web_ledger.db.read() as conn:
        signers = conn.execute(
            select(t.ledger_entries.c.author_party).where(
                t.ledger_entries.c.kind == "candidate_rejection.recorded"
            )
        ).all()
    assert [s for (s,) in signers] == ["ru"]


def test_an_observer_reads_the_queue_but_cannot_decide(sign_in: SignIn, web_ledger: Ledger) -> None:
    low, high = _disputed(web_ledger)
    observer = sign_in("us", Role.OBSERVER)
    page = observer.client.get("/candidates").text
    assert f'data-pair="{low}-{high}"' in page
    assert "One event: merge them" not in page
    refused = observer.post(f"/candidates/{low}/{high}/confirm")
    assert refused.status_code == 403
    assert "needs the role analyst" in refused.text
    assert list_candidates(web_ledger.db).total == 1  # nothing merged


def test_the_queue_in_arabic_is_right_to_left_with_the_reasons_left_to_right(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    _disputed(web_ledger)
    page = sign_in("us", Role.ANALYST, language="ar").client.get("/candidates").text
    assert '<html lang="ar" dir="rtl">' in page
    assert '<span class="data" lang="en" dir="ltr">2.8 km apart' in page
