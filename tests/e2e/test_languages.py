"""The Russian and Arabic interfaces: complete on the map page, Arabic right to left."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import OpenAs, screenshot

# the visible text of the page's own interface: everything but what the records say
# (elements marked "data": names, sources, narratives) and the language switcher
INTERFACE_TEXT = """() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!parent || parent.closest('.data, script, style, #language-choice, [hidden]')) continue;
        if (!parent.getClientRects().length) continue;
        if (node.textContent.trim()) texts.push(node.textContent.trim());
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
        for (const name of ['aria-label', 'title', 'placeholder']) {
            const value = el.getAttribute(name);
            if (value && !el.closest('.data')) texts.push(value);
        }
    }
    return texts;
}"""
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize(("language", "direction"), [("ru", "ltr"), ("ar", "rtl")])
def test_the_map_page_is_wholly_in_the_language(
    open_as: OpenAs, language: str, direction: str
) -> None:
    page = open_as("ru-officer", language=language)
    page.wait_for_selector("#map[data-settled]")
    expect(page.locator("#list-count")).not_to_be_empty()
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == direction
    english = [t for t in page.evaluate(INTERFACE_TEXT) if LATIN_WORD.search(t)]
    assert english == [], f"English left on the {language} map page"
    screenshot(page, f"map-{language}")
    if direction == "rtl":
        side = page.locator("aside.side").bounding_box()
        assert side is not None and side["x"] > 600, "the side panel is on the right"


def test_the_language_is_kept_for_the_user(open_as: OpenAs) -> None:
    page = open_as("us-officer", language="ru")
    page.goto(page.url.split("?")[0] + "measures")
    assert page.get_attribute("html", "lang") == "ru"


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("path", ["reports/new", "restrictions"])
def test_the_forms_fit_the_page_in_arabic(open_as: OpenAs, path: str, width: int) -> None:
    """At a laptop's width and a phone's (where the actors' box was 2 pixels too wide)."""
    page = open_as("us-officer", language="ar", width=width, height=844)
    page.goto(page.url.split("?")[0] + path)
    page.wait_for_selector("#place option:nth-child(2)", state="attached")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the {path} form scrolls sideways"


# the header's parts as boxes: the links, and what sits beside them in the one row
HEADER_BOXES = """() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.bottom]; };
    const parts = ['.brand', '.top nav', '.who', 'form.language', 'form.signout'];
    return {
        links: [...document.querySelectorAll('.top nav a')].map(box),
        parts: parts.map((s) => box(document.querySelector(s))),
    };
}"""


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_the_header_is_one_row_at_1366_pixels(open_as: OpenAs, language: str) -> None:
    # ru-officer is in two agreements: the longest "signed in as" of the demo's users
    page = open_as("ru-officer", language=language, width=1366, height=768)
    boxes = page.evaluate(HEADER_BOXES)
    tops = {round(top) for _, top, _ in boxes["links"]}
    assert len(tops) == 1, f"the {language} links wrap onto {len(tops)} lines"
    _, nav_top, nav_bottom = boxes["parts"][1]
    for name, (_, top, bottom) in zip(
        ("brand", "nav", "who", "language", "sign out"), boxes["parts"], strict=True
    ):
        assert top < nav_bottom and bottom > nav_top, f"{language}: {name} is on another row"
    brand_left, links_left = boxes["parts"][0][0], boxes["parts"][1][0]
    assert (brand_left > links_left) == (language == "ar"), "the brand leads the row"
    screenshot(page, f"header-{language}")


def test_the_forms_time_zone_follows_the_agreement_by_its_city(open_as: OpenAs) -> None:
    """The zone beside the time is named as the reader reads it, and when another
    agreement is chosen the page's script names that one's (it showed an IANA id)."""
    page = open_as("ru-officer", language="ru")
    page.goto(page.url.split("?")[0] + "reports/new")
    page.select_option("#agreement", "minsk-ii-2015")
    expect(page.locator("#zone")).to_have_text("по времени Киев")
    page.select_option("#agreement", "syria-coh-2016")
    expect(page.locator("#zone")).to_have_text("по времени Дамаск")
    page.select_option("#agreement", "")
    expect(page.locator("#zone")).to_have_text("по времени UTC")
