"""The daily report as a document: one Jinja template for the HTML file (self-contained:
fonts and styles inlined, no script, nothing fetched) and the PDF (WeasyPrint, from the same
HTML). Both are deterministic — the same report gives the same bytes — so an issued report
can be rebuilt and compared byte for byte.
"""

from __future__ import annotations

import base64
import functools
import io
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ceasefire.domain.daily import check_format
from ceasefire.domain.visibility import Audience
from ceasefire.reports.charts import bars
from ceasefire.reports.daily import DailyReport, build_daily_report
from ceasefire.reports.languages import ReportLanguage, label, report_language, zone_name_in
from ceasefire.reports.svgmaps import COLOURS, daily_map
from ceasefire.store.database import Database

TEMPLATES = Path(__file__).with_name("templates")
FONTS = Path(__file__).parents[1] / "web" / "static" / "vendor" / "fonts"
# each subset of Noto Sans as a family of its own: the text engine falls back from one to
# the next glyph by glyph (one family split by unicode-range garbles WeasyPrint's PDF)
FONT_FILES = (  # (family, weight, file)
    ("CF Latin", 400, "noto-sans-latin-400-normal.woff2"),
    ("CF Latin", 700, "noto-sans-latin-700-normal.woff2"),
    ("CF Latin Ext", 400, "noto-sans-latin-ext-400-normal.woff2"),
    ("CF Latin Ext", 700, "noto-sans-latin-ext-700-normal.woff2"),
    ("CF Cyrillic", 400, "noto-sans-cyrillic-400-normal.woff2"),
    ("CF Cyrillic", 700, "noto-sans-cyrillic-700-normal.woff2"),
    ("CF Arabic", 400, "noto-sans-arabic-arabic-400-normal.woff2"),
    ("CF Arabic", 700, "noto-sans-arabic-arabic-700-normal.woff2"),
)
FAMILIES = '"CF Latin", "CF Latin Ext", "CF Cyrillic", "CF Arabic", sans-serif'


@functools.cache
def font_faces(*, inline: bool = True) -> Markup:
    """The vendored fonts as @font-face rules: the files inlined (``data:`` URLs) for a
    self-contained HTML file, or named by their paths in the package for the PDF's
    renderer (which then neither parses nor decodes half a megabyte of base64)."""
    rules = []
    for family, weight, name in FONT_FILES:
        if inline:
            data = base64.b64encode((FONTS / name).read_bytes()).decode("ascii")
            url = f"data:font/woff2;base64,{data}"
        else:
            url = (FONTS / name).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight};'
            f' src: url("{url}") format("woff2"); }}'
        )
    return Markup("\n".join(rules))


@functools.cache
def _environment(code: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    language = ReportLanguage(code)
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["dir"] = direction
    return env


def _when(language: ReportLanguage, start: datetime, precision: str, zone: str) -> str:
    """An exact time as the local date and time; otherwise the day it is known to."""
    if precision == "exact":
        local = start.astimezone(ZoneInfo(zone))
        return f"{language.date(local.date(), 'medium')} {language.time(start, zone)}"
    return language.date(start.date(), "medium")


def direction(text: object) -> str:
    """The direction of a piece of data by its first strong character (``rtl`` for Arabic
    or Hebrew script, else ``ltr``), so a report sets each name and narrative in its own
    direction whatever the page's (WeasyPrint does not guess it as browsers do)."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def daily_html(report: DailyReport, language: ReportLanguage, *, for_pdf: bool = False) -> str:
    """The report as one self-contained HTML document in the reader's language."""
    zone = report.agreement.time_zone
    _ = language.gettext
    context = {
        "r": report,
        "lang": language,
        "for_pdf": for_pdf,
        "fonts": font_faces(inline=not for_pdf),
        "families": Markup(FAMILIES),
        "zone": zone_name_in(zone, language.locale, _),
        "label": lambda group, code: label(language, group, code),
        "when": lambda i: _when(language, i.time_start, i.time_precision, zone),
        "local": lambda value: language.datetime(value, zone),
        "number": language.number,
        "signed": lambda n: ("+" if n > 0 else "") + language.number(n),
        "colours": COLOURS,
        "ltr": lambda text: Markup('<bdi dir="ltr">%s</bdi>') % text,
        "map": daily_map(
            report.regimes, report.areas, report.mapped, label=_("Map of the day's incidents")
        ),
        "bars": lambda counts: bars(counts, label=_("Incidents a day, last 30 days")),
    }
    return _environment(language.code).get_template("daily.html").render(context)


def daily_pdf(report: DailyReport, language: ReportLanguage) -> bytes:
    """The report as PDF, from the same template: the same bytes every time for the same
    report (no creation date, a fixed document identifier)."""
    from weasyprint import HTML  # imported when a PDF is made: it loads Pango at import

    html = daily_html(report, language, for_pdf=True)
    out = io.BytesIO()
    key = f"{report.agreement.id}/{report.window.day}/{language.code}/{report.checkpoint_size}"
    document = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=_local_only())
    document.write_pdf(out, pdf_identifier=key.encode("utf-8"))
    return out.getvalue()


@functools.cache
def _local_only() -> Any:
    """What the PDF's renderer may load: the vendored fonts and ``data:`` URLs, never the
    network or another file (a report fetches nothing, whatever a record says)."""
    from weasyprint.urls import URLFetcher

    fonts = FONTS.as_uri() + "/"

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not (url.startswith("data:") or url.startswith(fonts)):
                raise ValueError(f"a report loads nothing from {url[:80]!r}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def daily_document(
    db: Database,
    agreement_id: str,
    day: date,
    cutoff: time,
    audience: Audience,
    lang: str,
    form: str,
    checkpoint_size: int | None = None,
    checkpoint_root: str | None = None,
) -> tuple[bytes, DailyReport]:
    """The report's bytes in ``form`` (html or pdf), with the report they were made from
    (``build_daily_report``: from the store as of a checkpoint, or from a snapshot of the
    ledger at it with its size and root)."""
    language = report_language(lang)
    check_format(form)
    report = build_daily_report(
        db, agreement_id, day, cutoff, audience, language, checkpoint_size, checkpoint_root
    )
    if form == "pdf":
        return daily_pdf(report, language), report
    return daily_html(report, language).encode("utf-8"), report


# what a browser may load for a report: its own inline styles and inlined fonts and images,
# no script, nothing from anywhere (it replaces the workspace's policy on those responses)
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
