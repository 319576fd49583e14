"""Every string a page shows goes through gettext, and every catalogue translates every
message, keeping its placeholders."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from ceasefire.reports.languages import isolated
from ceasefire.web.catalogs import POT, extract, read, translated
from ceasefire.web.i18n import DEFAULT, LANGUAGES
from ceasefire.web.render import TEMPLATES

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# the blocks whose text is not shown: a class name, a macro that writes attributes
NOT_SHOWN = re.compile(
    r"\{% block body_class %\}.*?\{% endblock %\}|\{% macro invalid.*?\{% endmacro %\}|\{#.*?#\}",
    re.S,
)
# attributes a person reads (or a screen reader says): their text must be translated
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more


class _Reader(HTMLParser):
    """The text of a template's own HTML that a reader sees (its {{ }} and {% %} left
    out), in the elements' text and the attributes read out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        self.seen += [value or "" for name, value in attrs if name in READ_ATTRIBUTES]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.seen.append(data)


def _text_outside_gettext(source: str) -> list[str]:
    reader = _Reader()
    reader.feed(JINJA.sub(" ", NOT_SHOWN.sub(" ", source)))
    return [text.strip() for text in reader.seen if WORD.search(text)]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_a_template_holds_no_text_outside_gettext(template: str) -> None:
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    assert _text_outside_gettext(source) == []


# Jinja's gettext returns Markup, unescaped, when given a variable: only literals go in
NON_LITERAL_GETTEXT = re.compile(r"\b(?:_|gettext|ngettext)\(\s*(?![\"'])")


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_a_template_translates_only_literal_strings(template: str) -> None:
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    assert NON_LITERAL_GETTEXT.findall(source) == []


def test_the_check_finds_untranslated_text() -> None:
    assert _text_outside_gettext('<p title="Open it">{{ _("x") }} Save</p>') == [
        "Open it",
        "Save",
    ]
    assert _text_outside_gettext('<p class="a">{{ _("Save") }} · 3</p>') == []


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != DEFAULT])
def test_a_catalogue_translates_every_message_with_its_placeholders(code: str) -> None:
    wanted = {m.id for m in extract() if m.id}
    catalog = read(code)
    have = {m.id: m.string for m in catalog if m.id}
    missing = sorted(str(i) for i in wanted if not translated(have.get(i)))
    assert missing == [], f"{code}: run scripts/messages.py and translate these"
    for message_id, string in have.items():
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = string if isinstance(string, tuple | list) else (string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= expected | set(PLACEHOLDER.findall(ids[0])), (
                f"{code}: {message_id!r} -> {text!r}"
            )
            if not (isinstance(message_id, tuple)):
                assert set(PLACEHOLDER.findall(text)) == expected, f"{code}: {message_id!r}"


def test_the_template_catalogue_is_up_to_date_with_the_code() -> None:
    """messages.pot holds what the code holds now (scripts/messages.py writes it)."""
    with POT.open("rb") as source:
        written = {m.id for m in read_po(source) if m.id}
    assert written == {m.id for m in extract() if m.id}


def test_a_right_to_left_translation_isolates_each_value_it_is_given() -> None:
    fsi, pdi = "\u2068", "\u2069"
    assert isolated("من %(start)s إلى %(end)s") == f"من {fsi}%(start)s{pdi} إلى {fsi}%(end)s{pdi}"
    assert isolated(("%(num)d حادث", "%(num)d حوادث")) == (
        f"{fsi}%(num)d{pdi} حادث",
        f"{fsi}%(num)d{pdi} حوادث",
    )
    # the Arabic catalogue is read so; English and Russian, left to right, are left as they are
    who = LANGUAGES["ar"].gettext("Denied by %(who)s") % {"who": "ru-centre (patrol 4)"}
    assert who == f"الجهة التي منعت الوصول: {fsi}ru-centre (patrol 4){pdi}"
    assert fsi not in LANGUAGES["ru"].gettext("Denied by %(who)s")


def test_a_pages_arabic_time_keeps_its_day_period_on_its_line() -> None:
    shown = LANGUAGES["ar"].datetime(datetime(2016, 3, 1, 13, 15, tzinfo=UTC))
    assert shown.endswith("1:15:00\u00a0م") and " م" not in shown
