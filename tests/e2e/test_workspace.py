"""The workspace as two co-chairs' officers use it, side by side, in Chromium: filing a
report by clicking the map, its live arrival on the other's screen, both findings and the
joint finding updating on both screens without a reload; hostile text shown as text."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.conftest import OpenAs, screenshot

# a narrative that would run script if any page put it into HTML unescaped
HOSTILE = 'Shelling <script>window.__xss=1</script> "><img src=x onerror="window.__xss=2">'


def no_script_ran(page: Page) -> None:
    assert page.evaluate("window.__xss") is None


def file_report(page: Page, narrative: str, *, day: str = "2016-03-05", at: float = 0.42) -> int:
    """File a report by clicking the report form's map (in Syria, near Homs)."""
    page.click("nav a[href='/reports/new']")
    page.wait_for_selector("#pick-map .leaflet-interactive, #pick-map canvas")
    page.fill("#date", day)
    page.fill("#time", "14:30")
    point = page.evaluate(
        "() => { const m = document.getElementById('pick-map'); return m.getBoundingClientRect(); }"
    )
    # the map opens on the Syrian agreement's regimes: its middle is inside Syria
    page.mouse.click(point["x"] + point["width"] * at, point["y"] + point["height"] * 0.5)
    assert page.input_value("#lat") and page.input_value("#lon")
    page.fill("#narrative", narrative)
    page.fill("#fatalities_best", "2")
    screenshot(page, "report-form", full_page=True)
    page.click("button[value=file]")
    page.wait_for_url(re.compile(r"/incidents/\d+\?filed=\d+"))
    found = re.search(r"/incidents/(\d+)", page.url)
    assert found is not None
    return int(found.group(1))


def assess(page: Page, finding: str, reasoning: str) -> None:
    page.check(f"#assess-form input[name=finding][value={finding}]")
    page.fill("#reasoning", reasoning)
    page.click("#assess-form button[type=submit]")
    page.wait_for_load_state()


def test_two_officers_file_see_and_assess_together_live(open_as: OpenAs) -> None:
    us = open_as("us-officer")
    ru = open_as("ru-officer")
    ru.wait_for_selector("#map[data-settled]")
    incident = file_report(us, HOSTILE)
    expect(us.locator("#classification")).to_contain_text("Potential violation")
    expect(us.locator(".reasons")).to_contain_text("inside 'Cessation of hostilities")

    # the other co-chair's officer sees it arrive in the ticker, as text
    arrived = ru.locator(f"#ticker-items li[data-incident='{incident}']")
    expect(arrived).to_contain_text(f"Incident {incident}")
    expect(arrived).to_contain_text("<script>window.__xss=1</script>")
    no_script_ran(ru)
    arrived.locator("a").click()
    ru.wait_for_url(re.compile(rf"/incidents/{incident}$"))
    expect(ru.locator(".narrative").first).to_have_text(HOSTILE)
    screenshot(ru, "incident-file", full_page=True)

    # each finding updates the other screen without a reload (a mark left on the window
    # survives: a reload would clear it)
    us.evaluate("window.__kept = true")
    assess(ru, "violation", "Shelling of a populated area, confirmed by two sources.")
    expect(ru.locator("#joint")).to_contain_text("Awaiting a co-chair")
    expect(us.locator("#joint")).to_contain_text("Awaiting a co-chair")
    expect(us.locator("#findings")).to_contain_text("confirmed by two sources")
    assert us.evaluate("window.__kept") is True

    ru.evaluate("window.__kept = true")
    assess(us, "no_violation", "Return fire.")
    expect(us.locator("#joint")).to_contain_text("Disputed")
    expect(ru.locator("#joint")).to_contain_text("Disputed")
    assess(us, "violation", "On reflection: the sources agree.")
    expect(us.locator("#joint")).to_contain_text("Agreed: violation")
    expect(ru.locator("#joint")).to_contain_text("Agreed: violation")
    assert ru.evaluate("window.__kept") is True
    expect(ru.locator("#findings")).to_contain_text("On reflection")
    no_script_ran(us)
    no_script_ran(ru)


def test_hostile_text_is_text_in_the_list_the_popup_and_the_file(open_as: OpenAs) -> None:
    us = open_as("us-officer")
    incident = file_report(us, HOSTILE, day="2016-03-07", at=0.47)
    no_script_ran(us)
    expect(us.locator(".narrative").first).to_have_text(HOSTILE)
    link = us.locator("a", has_text="Show on the map")
    link.click()
    us.wait_for_selector("#map[data-settled]")
    item = us.locator(f"#incident-list li[data-incident='{incident}']")
    expect(item).to_contain_text("<script>window.__xss=1</script>")
    screenshot(us, "map-list")
    # the map shows it: the popup of its marker is open (many incidents may share its point)
    assert f"incident={incident}" in us.url and "from=2016-03-07&to=2016-03-07" in us.url
    popup = us.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("<script>window.__xss=1</script>")
    expect(popup).to_contain_text(f"Incident {incident}")
    no_script_ran(us)
