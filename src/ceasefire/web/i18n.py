"""The workspace's languages: English, Russian and Arabic (right to left), one gettext
catalogue each (``web/locale/<code>/LC_MESSAGES/messages.po``, compiled in memory when first
used), and dates and numbers written the locale's way (Babel's CLDR data).

Every string a page shows goes through gettext, in templates (``_()``) and in code; a
test fails when a template holds text outside it or a catalogue lacks a translation.
"""

from __future__ import annotations

import functools
import gettext
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES = Path(__file__).with_name("locale")
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    direction: str  # "ltr" or "rtl"

    @property
    def translations(self) -> gettext.NullTranslations:
        return translations(self.code)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: date | datetime | None) -> str:
        """A date as the locale writes it (27 февр. 2016 г.)."""
        if value is None:
            return ""
        return format_date(value, "medium", locale=self.locale)

    def datetime(self, value: datetime | None, zone: str = "UTC") -> str:
        if value is None:
            return ""
        return format_datetime(value, "medium", tzinfo=ZoneInfo(zone), locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "ltr"),
    "ru": Language("ru", "Русский", "ltr"),
    "ar": Language("ar", "العربية", "rtl"),
}


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled from its .po file (English needs none)."""
    path = LOCALES / code / "LC_MESSAGES" / "messages.po"
    if code == DEFAULT or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


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
