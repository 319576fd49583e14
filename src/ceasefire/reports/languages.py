"""The languages reports are written in — English, Russian and Arabic (right to left) — with
the workspace's gettext catalogues (``web/locale``: one set of translations for pages and
reports), and dates and numbers written the locale's way (Babel's CLDR data).

The catalogues are read as files, not through the web package, which sits above reports.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from ceasefire.domain.daily import check_language
from ceasefire.domain.explanations import zone_name
from ceasefire.domain.words import (
    CLASSIFICATION,
    EVENT_TYPE,
    JOINT,
    MEASURE_KIND,
    MEASURE_STATUS,
    N_,
)

LOCALES = Path(__file__).parents[1] / "web" / "locale"
NAMES = {"en": "English", "ru": "Русский", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar"})
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
FSI, PDI = "\u2068", "\u2069"  # first strong isolate, pop directional isolate (UAX #9)


@dataclass(frozen=True)
class ReportLanguage:
    code: str

    @property
    def direction(self) -> str:
        return "rtl" if self.code in RIGHT_TO_LEFT else "ltr"

    @property
    def name(self) -> str:
        return NAMES[self.code]

    @property
    def translations(self) -> gettext.NullTranslations:
        return catalogue(self.code)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    def date(self, value: date, form: str = "long") -> str:
        return format_date(value, form, locale=self.locale)

    def time(self, value: datetime, zone: str) -> str:
        text = format_time(value, "short", tzinfo=ZoneInfo(zone), locale=self.locale)
        return unbroken(text, self.locale)

    def datetime(self, value: datetime, zone: str) -> str:
        text = format_datetime(value, "medium", tzinfo=ZoneInfo(zone), locale=self.locale)
        return unbroken(text, self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)


def unbroken(text: str, locale: Locale) -> str:
    """A formatted time with its day period kept on its line ("1:15 م"): the space the
    locale writes before "AM" or "PM" made a no-break one. CLDR gives English a narrow
    no-break space there already, Arabic a plain one, so a table cell of the Arabic daily
    report ended a line between a time and its م."""
    marks = locale.day_periods["format"]["abbreviated"]
    for period in ("am", "pm"):
        mark = marks.get(period)
        if mark:
            text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text


def zone_name_in(name: str, locale: Locale, gettext: Callable[[str], str]) -> str:
    """A time zone as a reader of ``locale`` reads it: 'Europe/Kyiv' -> 'Kyiv time',
    'по времени Киев', 'بتوقيت كييف' (its city as CLDR writes it in that language; the
    Russian report said 'по времени Kyiv')."""
    return zone_name(name, gettext, city_in(locale))


def city_in(locale: Locale) -> Callable[[str], str]:
    """A time zone's city as CLDR writes it in ``locale`` ('Europe/Kyiv' -> 'Киев')."""
    return lambda name: str(get_timezone_location(name, locale=locale, return_city=True))


def report_language(code: str) -> ReportLanguage:
    """The language of that code, or an error naming ``lang``."""
    return ReportLanguage(check_language(code))


@functools.cache
def catalogue(code: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled in memory from its .po file (English needs none):
    the one the workspace's pages and the reports both translate with."""
    path = LOCALES / code / "LC_MESSAGES" / "messages.po"
    if code == "en" or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=code)
    if code in RIGHT_TO_LEFT:
        for message in catalog:
            if message.id and message.string:
                message.string = isolated(message.string)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def isolated(translation: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """A right-to-left translation with each placeholder between FSI and PDI: the value put
    there (a party's id, an actor's name, who claims what, in Latin script or any other)
    is laid out in its own direction, its order and punctuation kept, whatever surrounds
    it; and the sentence's words around it keep theirs."""
    if isinstance(translation, tuple | list):
        return tuple(PLACEHOLDER.sub(_isolate, form) for form in translation)
    return PLACEHOLDER.sub(_isolate, translation)


def _isolate(found: re.Match[str]) -> str:
    return f"{FSI}{found.group(0)}{PDI}"


HUMANITARIAN_DECISION = {
    "pending": N_("Request pending"),
    "approved": N_("Request approved"),
    "partially_approved": N_("Request partly approved"),
    "denied": N_("Request denied"),
}
GROUPS = {
    "classification": CLASSIFICATION,
    "joint": JOINT,
    "event_type": EVENT_TYPE,
    "measure_status": MEASURE_STATUS,
    "measure_kind": MEASURE_KIND,
    "humanitarian_decision": HUMANITARIAN_DECISION,
}


def label(language: ReportLanguage, group: str, code: str | None) -> str:
    """The word for a code, translated (an unknown code is shown as it is: it is data)."""
    if code is None:
        return ""
    found = GROUPS[group].get(code)
    return code if found is None else language.gettext(found)
