"""A first-time user, with no docs: from the map to a Donbas incident of February 2015,
why it is a potential violation, and the party's finding on it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.conftest import OpenAs, screenshot


def test_a_first_time_user_finds_reads_and_assesses_a_donbas_incident(open_as: OpenAs) -> None:
    page = open_as("ru-officer")
    page.wait_for_selector("#map[data-settled]")
    # the map opens on both demo agreements
    options = page.locator("#f-agreement option.data").all_text_contents()
    assert len(options) == 2 and any("Minsk" in o for o in options), options
    screenshot(page, "map")

    page.select_option("#f-agreement", label=next(o for o in options if "Minsk" in o))
    page.select_option("#f-classification", "potential_violation")
    page.fill("#time-from", "2015-02-01")
    page.dispatch_event("#time-from", "change")
    page.fill("#time-to", "2015-02-28")
    page.dispatch_event("#time-to", "change")
    first = page.locator("#incident-list li").first
    expect(first).to_contain_text("2015")
    expect(first).to_contain_text("Potential violation")
    assert "agreement=minsk-ii-2015" in page.url and "from=2015-02-01" in page.url

    first.locator("a").click()
    page.wait_for_url(re.compile(r"/incidents/\d+$"))
    expect(page.locator("#classification")).to_contain_text("Potential violation")
    reasons = page.locator(".reasons")
    expect(reasons).to_contain_text("inside")
    expect(reasons).to_contain_text("no excluded actor")
    expect(page.locator("#findings")).to_contain_text("waiting for")

    page.check("#assess-form input[name=finding][value=violation]")
    page.select_option("#confidence", "medium")
    page.fill("#reasoning", "Shelling after the ceasefire began, per the OSCE SMM.")
    page.click("#assess-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#joint")).to_contain_text("Awaiting a co-chair")
    expect(page.locator("#findings")).to_contain_text("per the OSCE SMM")


def test_the_map_view_is_in_the_url_and_opens_again_from_it(open_as: OpenAs) -> None:
    page = open_as("ru-officer")
    page.wait_for_selector("#map[data-settled]")
    page.select_option("#f-event", "Battles")
    expect(page).to_have_url(re.compile(r"event_type=Battles"))
    shared = page.url
    other = open_as("us-officer")
    other.goto(shared)
    other.wait_for_selector("#map[data-settled]")
    assert other.input_value("#f-event") == "Battles"
