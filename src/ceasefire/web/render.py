"""Pages from Jinja2 templates, one environment per language (its gettext catalogue
installed), everything escaped for HTML unless a template says otherwise."""

from __future__ import annotations

import functools
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ceasefire.domain.workflow import Role
from ceasefire.reports.languages import zone_name_in
from ceasefire.web.context import Page
from ceasefire.web.i18n import LANGUAGES
from ceasefire.web.labels import label
from ceasefire.web.strings import script_strings

TEMPLATES = Path(__file__).with_name("templates")


def _json(value: Any) -> Markup:
    """A value as JSON inside a <script type="application/json"> block: "<" escaped, so
    no string in it can close the block."""
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("&", "\\u0026"))


@functools.cache
def environment(code: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    language = LANGUAGES[code]
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["json"] = _json
    # a time zone by its city, as its reader reads it ("по времени Дамаск"), in macros too
    env.globals["zone_name"] = lambda zone: zone_name_in(zone, language.locale, language.gettext)
    return env


def when(page: Page, start: datetime, end: datetime, precision: str, zone: str) -> str:
    """An event's time as a reader reads it: an exact time in ``zone``, named; else its
    dates (``end`` is the exclusive midnight after the last day)."""
    language = page.language
    if precision == "exact":
        named = zone_name_in(zone, language.locale, language.gettext)
        return f"{language.datetime(start, zone)} ({named})"
    first, last = start.date(), (end - timedelta(days=1)).date()
    if last <= first:
        return language.date(first)
    return f"{language.date(first)} – {language.date(last)}"


def render(page: Page, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page, rendered in the reader's language, with what every page shows: the
    languages to switch to, the user's role, and the scripts' sentences."""
    env = environment(page.language.code)
    shared = {
        "page": page,
        "lang": page.language,
        "languages": list(LANGUAGES.values()),
        "role_label": ""
        if page.user is None
        else label(page.language, "role", page.user.role.label),
        # a report or an access restriction is filed by a reporter or above
        "may_report": page.user is not None and page.user.role >= Role.REPORTER,
        "when": lambda start, end, precision, zone="UTC": when(page, start, end, precision, zone),
        "strings": script_strings(page.language),
        "label": lambda group, code: label(page.language, group, code),
        "active": "",
    }
    html = env.get_template(template).render({**shared, **context})
    return HTMLResponse(html, status_code=status)
