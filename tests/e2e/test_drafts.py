"""A field monitor's draft in Chromium: kept before the place is known, opened again into
the report form holding all it holds, the place added on the map, and filed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.conftest import OpenAs, screenshot

NARRATIVE = "Shelling heard north of the checkpoint; the place is still to be checked."


def test_a_draft_kept_without_a_place_is_opened_placed_and_filed(open_as: OpenAs) -> None:
    page = open_as("osce-monitor")  # a reporter of the OSCE SMM, in the Minsk agreement
    page.click("nav a[href='/reports/new']")
    page.wait_for_selector("#pick-map .leaflet-interactive, #pick-map canvas")
    source_id = page.input_value("#source_id")
    page.fill("#date", "2015-02-20")
    page.fill("#time", "09:15")
    page.fill("#actors", "Armed Forces of Ukraine")
    page.fill("#fatalities_best", "1")
    page.fill("#narrative", NARRATIVE)
    assert page.input_value("#lat") == "" and page.input_value("#lon") == ""
    page.click("button[value=draft]")
    expect(page.locator("p.notice")).to_contain_text("Kept as a draft")
    row = page.locator("#drafts tbody tr", has_text=source_id)
    expect(row).to_contain_text("the place")
    expect(page.locator("#lat")).to_have_value("")  # a fresh form again
    screenshot(page, "draft-kept", full_page=True)

    row.get_by_role("link", name="Open").click()
    page.wait_for_url(re.compile(r"/drafts/\d+$"))
    expect(page.locator("h1")).to_have_text("Draft of your party")
    expect(page.locator("#source_id")).to_have_value(source_id)
    expect(page.locator("#date")).to_have_value("2015-02-20")
    expect(page.locator("#time")).to_have_value("09:15")
    expect(page.locator("#zone")).to_have_text("Kyiv time")  # its city, in the reader's language
    expect(page.locator("#actors")).to_have_value("Armed Forces of Ukraine")
    expect(page.locator("#fatalities_best")).to_have_value("1")
    expect(page.locator("#narrative")).to_have_value(NARRATIVE)
    page.wait_for_selector("#pick-map .leaflet-interactive, #pick-map canvas")
    page.locator("#pick-map").scroll_into_view_if_needed()
    box = page.locator("#pick-map").bounding_box()
    assert box is not None
    # the map opens on the agreement's regimes: its middle is inside them
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    assert page.input_value("#lat") and page.input_value("#lon")
    screenshot(page, "draft-opened", full_page=True)

    page.click("button[value=file]")
    page.wait_for_url(re.compile(r"/incidents/\d+\?filed=\d+"))
    expect(page.locator("main")).to_contain_text("is filed, signed by your party")
    expect(page.locator("main")).to_contain_text(NARRATIVE)
    page.click("nav a[href='/reports/new']")
    expect(page.locator("#drafts tbody tr", has_text=source_id)).to_have_count(0)
