"""A name no actor matches, as an analyst finds it: mapped from the queue, the page answers
at once and follows, without a reload, the server matching the reports that give it again."""

from __future__ import annotations

from playwright.sync_api import expect

from builders import report
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.mapping_runs import LOCK
from ceasefire.store.database import Database
from conftest import LEDGER_SECRET, SEAL_COST
from e2e.conftest import OpenAs, screenshot

NAME = "Liwa Sirri al-Shimal"


def test_a_mapped_name_is_followed_until_its_reports_are_matched_again(
    open_as: OpenAs, demo_database: str, demo_url: str
) -> None:
    db = Database(demo_database)
    ledger = Ledger(db, secret=LEDGER_SECRET, seal_cost=SEAL_COST, host_party="un")
    submit_report(ledger, report("e2e-names-1", actors=(NAME,)), scope=None)
    page = open_as("us-officer")
    page.goto(f"{demo_url}/actors/names")
    row = page.locator(f'tr[data-name="{NAME}"]')
    row.get_by_role("combobox").fill("nusra")
    with db.exclusive(LOCK) as mine:  # another server process busy with the runs
        assert mine
        row.get_by_role("button", name="It is this one").click()
        run = page.locator("#mapping-run")
        expect(run).to_have_text("Finding the reports that give it…")
        expect(page.locator(".notice")).to_contain_text(f"“{NAME}” is Jabhat al-Nusra")
        screenshot(page, "names-mapping-run")
    expect(run).to_have_text(
        "Every report that gives it was matched again; incidents your party reads that changed: 1.",
        timeout=20_000,
    )
    expect(page.locator(f'tr[data-name="{NAME}"]')).to_have_count(0)
