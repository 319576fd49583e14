"""The demo's designation list, as a mediator finds it: from the menu, the ISSG list with
the groups the co-chairs agree on and the two they dispute, who refused them and why, and
the list as a CSV file."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from e2e.conftest import OpenAs, screenshot


def test_a_mediator_finds_the_disputed_groups_and_downloads_the_list(open_as: OpenAs) -> None:
    page = open_as("un-secretariat")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Registers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actors")
    page.get_by_role("navigation", name="Registers").get_by_role(
        "link", name="Designation lists"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Designation lists")
    expect(page.locator("#level-counts")).to_have_text("Unanimous: 2 Disputed: 2")
    ahrar = page.locator('#consolidated tr[data-actor="ahrar-al-sham"]')
    expect(ahrar.locator("td").nth(0)).to_have_text("Disputed")
    expect(ahrar.locator("td").nth(1)).to_have_text("ru")
    expect(ahrar.locator("td").nth(2)).to_have_text("us")
    expect(ahrar).to_contain_text("a direct offspring of al-Qaeda")
    # what us's list changed: each group the two lists share moved from ru's alone
    changes = page.locator("#diff tr[data-change]")
    expect(changes).to_have_count(4)
    expect(page.locator('#diff tr[data-actor="ahrar-al-sham"]')).to_contain_text(
        "us: silent → not listed"
    )
    expect(page.locator("#submit")).to_contain_text("only its members submit to it")
    screenshot(page, "designations", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this version (CSV)").click()
    body = download.value.path().read_text(encoding="utf-8")
    rows = {row["actor_id"]: row for row in csv.DictReader(io.StringIO(body))}
    assert set(rows) == {"isil", "nusra", "ahrar-al-sham", "jaysh-al-islam"}
    assert rows["jaysh-al-islam"]["level"] == "disputed"

    page.get_by_role("link", name="1", exact=True).click()
    expect(page.locator('#consolidated tr[data-actor="isil"] td').nth(0)).to_have_text(
        "Some members"
    )
