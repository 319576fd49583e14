"""The translation catalogues, kept complete: every message the workspace shows is
extracted from the templates and the code (``extract``), and each language's catalogue is
brought up to date with it (``update``: new messages added untranslated, gone ones marked
obsolete). ``scripts/messages.py`` runs both; tests/web/test_languages.py fails while a
catalogue lacks a translation.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from ceasefire.web.i18n import DEFAULT, LANGUAGES, LOCALES

PACKAGE = Path(__file__).parents[1]  # src/ceasefire
# where messages are: the pages and the words for the domain's codes, the sentences that
# explain a classification, and the refusals of the domain and services that a page shows
METHODS = [
    ("domain/daily.py", "python"),
    ("domain/designations.py", "python"),
    ("domain/events.py", "python"),
    ("domain/measures.py", "python"),
    ("domain/merges.py", "python"),
    ("domain/regimes.py", "python"),
    ("domain/times.py", "python"),
    ("services/actors.py", "python"),
    ("services/daily_reports.py", "python"),
    ("services/designations.py", "python"),
    ("services/drafts.py", "python"),
    ("services/findings.py", "python"),
    ("services/incidents.py", "python"),
    ("services/merges.py", "python"),
    ("services/reports_in.py", "python"),
    ("services/queries.py", "python"),
    ("store/incidents.py", "python"),
    ("web/templates/**.html", "jinja2"),
    ("web/**.py", "python"),
    ("reports/templates/**.html", "jinja2"),
    ("reports/**.py", "python"),
    ("domain/explanations.py", "python"),
    ("domain/words.py", "python"),
    ("**.*", "ignore"),
]
OPTIONS = {
    "web/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"},
    "reports/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"},
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
POT = LOCALES / "messages.pot"


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        project="ceasefire",
        version="0.1",
        copyright_holder="the ceasefire contributors",
        charset="utf-8",
        fuzzy=False,
    )


def extract() -> Catalog:
    """Every message of the workspace, with where it is used."""
    catalog = _catalog()
    for path, line, message, comments, context in extract_from_dir(
        PACKAGE, METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(path, line)], auto_comments=comments, context=context)
    return catalog


def po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / "messages.po"


def read(code: str) -> Catalog:
    with po_path(code).open("rb") as source:
        return read_po(source, locale=code)


def update() -> dict[str, int]:
    """Write messages.pot and bring every language's catalogue up to date with it;
    returns how many messages each catalogue still lacks."""
    template = extract()
    with POT.open("wb") as out:
        write_po(out, template, omit_header=False, sort_output=True, width=100)
    missing = {}
    for code in LANGUAGES:
        if code == DEFAULT:
            continue
        path = po_path(code)
        if path.is_file():
            catalog = read(code)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = _catalog(code)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        with path.open("wb") as out:
            write_po(out, catalog, sort_output=True, width=100, ignore_obsolete=True)
        missing[code] = sum(1 for m in catalog if m.id and not translated(m.string))
    return missing


def translated(string: object) -> bool:
    """Whether a catalogue's translation is filled in (every plural form, if plural)."""
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)
