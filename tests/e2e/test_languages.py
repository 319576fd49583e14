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


@pytest.mark.parametrize("path", ["reports/new", "restrictions"])
def test_the_forms_fit_the_page_in_arabic(open_as: OpenAs, path: str) -> None:
    page = open_as("us-officer", language="ar")
    page.goto(page.url.split("?")[0] + path)
    page.wait_for_selector("#place option:nth-child(2)", state="attached")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the {path} form scrolls sideways"
