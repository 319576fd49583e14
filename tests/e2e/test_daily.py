"""The daily report's own page on a phone: it keeps to the screen's width (a table wider
than it scrolls in its own box), in every language."""

from __future__ import annotations

import pytest

from e2e.conftest import OpenAs, screenshot

# how wide the page is against the screen, and each table's box against the page's
WIDTHS = """() => ({
    page: document.documentElement.scrollWidth,
    screen: window.innerWidth,
    boxes: [...document.querySelectorAll("table")].map((t) => {
        const box = t.parentElement.getBoundingClientRect();
        return [box.left, box.right];
    }),
    rows: document.querySelectorAll("table.incidents tbody tr").length,
})"""


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_the_days_report_fits_a_phone(open_as: OpenAs, language: str) -> None:
    """It was 477 to 492 pixels wide on a 390-pixel screen: the incidents' table, with its
    columns fixed for A4, pushed the page wide."""
    page = open_as("us-officer", width=390, height=844, language=language)
    page.goto(
        page.url.split("?")[0] + f"agreements/syria-coh-2016/daily?date=2016-02-28&lang={language}"
    )
    seen = page.evaluate(WIDTHS)
    assert seen["rows"] > 0, "the day has incidents to list"
    assert seen["page"] <= seen["screen"], seen
    for left, right in seen["boxes"]:
        assert left >= 0 and right <= seen["screen"], seen
    screenshot(page, f"daily-phone-{language}", full_page=True)
