"""The workspace's languages: English, Russian and Arabic (right to left), one gettext
catalogue each (``web/locale/<code>/LC_MESSAGES/messages.po``, compiled in memory when first
used, by ``reports.languages.catalogue``: pages and reports share it), and dates and
numbers written the locale's way (Babel's CLDR data).

Every string a page shows goes through gettext, in templates (``_()``) and in code; a
test fails when a template holds text outside it or a catalogue lacks a translation.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from ceasefire.reports.languages import LOCALES, catalogue, unbroken

__all__ = ["DEFAULT", "LANGUAGES", "LOCALES", "Language", "choose"]

DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    direction: str  # "ltr" or "rtl"

    @property
    def translations(self) -> gettext.NullTranslations:
        return catalogue(self.code)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: date | datetime | None, zone: str | None = None) -> str:
        """A date as the locale writes it (27 февр. 2016 г.); a moment (a ``datetime``)
        as the day it is in ``zone`` (given), not in UTC."""
        if value is None:
            return ""
        if isinstance(value, datetime) and zone is not None:
            value = value.astimezone(ZoneInfo(zone)).date()
        return format_date(value, "medium", locale=self.locale)

    def datetime(self, value: datetime | None, zone: str = "UTC") -> str:
        if value is None:
            return ""
        text = format_datetime(value, "medium", tzinfo=ZoneInfo(zone), locale=self.locale)
        return unbroken(text, self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        """A share (0.53) as this language writes it ("53%", "53 %", "٥٣٪")."""
        return format_percent(value, locale=self.locale)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "ltr"),
    "ru": Language("ru", "Русский", "ltr"),
    "ar": Language("ar", "العربية", "rtl"),
}


def choose(wanted: str | None, accept_language: str | None) -> Language:
    """The language asked for (a user's choice or cookie), else the browser's first known
    one, else English."""
    if wanted in LANGUAGES:
        return LANGUAGES[wanted]
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return LANGUAGES[code]
    return LANGUAGES[DEFAULT]
