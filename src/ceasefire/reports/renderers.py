"""What draws an issued report's file, recorded with it (``daily_report/2``'s ``renderer``)
so that ``ceasefire report verify`` can tell a ledger changed since the report was issued
from a file drawn by other software.

A report's bytes depend on more than the ledger's states: this release's templates and
report code, the language's catalogue, the vendored fonts, Babel's CLDR data (dates and
numbers), the time-zone database, Jinja2, and for a PDF WeasyPrint, pydyf, fontTools and
the system's Pango. ``renderer`` names each; ``drawing`` is a digest of the files of this
package that read and draw a report in that language (``DRAWING``, the domain's words
``WORDING``, the templates, the catalogue, the fonts), so that two installations of one
version number with other templates are told apart. ``rules`` is the version of the rules
that derive the incidents a report counts (``domain.incidents.RULES_VERSION``): a rebuild
derives them again from the ledger's reports, so a release that derives otherwise draws
other figures from the same ledger.
"""

from __future__ import annotations

import functools
import hashlib
import zoneinfo
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from ceasefire.domain.incidents import RULES_VERSION
from ceasefire.reports.documents import FONT_FILES, FONTS
from ceasefire.reports.languages import LOCALES

REPORTS = Path(__file__).parent
DOMAIN = REPORTS.parent / "domain"
# the modules of ``reports`` that read and draw a daily report (a test holds this to what
# ``documents`` imports), and its templates
DRAWING = ("charts", "daily", "daily_registers", "documents", "languages", "svgmaps")
# the domain's modules whose words a report prints: the codes' words, a zone's name and
# the reasons' sentences (the rest of the domain derives what a report says, not how)
WORDING = ("words", "explanations")
TEMPLATES = REPORTS / "templates"
# the libraries that set a report's text, by format (names as their distributions are)
LIBRARIES = {
    "html": ("Babel", "Jinja2", "MarkupSafe"),
    "pdf": ("Babel", "Jinja2", "MarkupSafe", "weasyprint", "pydyf", "fonttools", "tinycss2"),
}
# components recorded only since a later release: a renderer recorded before says nothing
# of them, which is no difference
LATER = ("rules",)


def renderer(language: str, form: str) -> dict[str, str]:
    """What this installation draws a report in ``language`` and ``form`` (html or pdf)
    with: component → version (or digest)."""
    return dict(_renderer(language, form))


@functools.cache
def _renderer(language: str, form: str) -> tuple[tuple[str, str], ...]:
    found = {
        "ceasefire": _version("ceasefire"),
        "drawing": _drawing(language),
        "rules": str(RULES_VERSION),
    }
    for name in LIBRARIES[form]:
        found[name] = _version(name)
    found["tz"] = _time_zones()
    if form == "pdf":
        found["Pango"] = _pango()
    return tuple(found.items())


def differences(recorded: Mapping[str, object], here: Mapping[str, str]) -> list[str]:
    """Each component that differs, as "name: <recorded> when issued, <here> here" (of
    those ``LATER`` records, only those recorded)."""
    names = list(recorded) + [n for n in here if n not in recorded and n not in LATER]
    return [
        f"{name}: {recorded.get(name, 'none')} when issued, {here.get(name, 'none')} here"
        for name in names
        if str(recorded.get(name, "none")) != here.get(name, "none")
    ]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "none"


def _drawing(language: str) -> str:
    """A digest of the files that draw a report in ``language``: the modules that read
    and draw it, its templates, the language's catalogue and the fonts, by name and
    content."""
    files = [(f"{module}.py", REPORTS / f"{module}.py") for module in DRAWING]
    files += [(f"domain/{module}.py", DOMAIN / f"{module}.py") for module in WORDING]
    files += [(f"templates/{p.name}", p) for p in sorted(TEMPLATES.glob("*.html"))]
    catalogue = sorted((LOCALES / language).rglob("*.po"))
    files += [(f"locale/{language}/{p.name}", p) for p in catalogue]
    files += [(f"fonts/{name}", FONTS / name) for _, _, name in FONT_FILES]
    digest = hashlib.sha256()
    for name, path in files:
        body = path.read_bytes()
        digest.update(f"{name}\0{len(body)}\0".encode())
        digest.update(body)
    return digest.hexdigest()[:16]


def _time_zones() -> str:
    """The version of the time-zone database ``zoneinfo`` reads: the system's (its
    ``tzdata.zi`` names it) when it has one, else the ``tzdata`` package's."""
    for root in zoneinfo.TZPATH:
        path = Path(root) / "tzdata.zi"
        if path.is_file():
            with path.open(encoding="ascii", errors="replace") as first:
                line = first.readline().strip()
            return line.removeprefix("# version ") or "unknown"
    return "tzdata " + _version("tzdata")


def _pango() -> str:
    from weasyprint.text.ffi import pango  # loads Pango, as making a PDF does

    number = int(pango.pango_version())
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"
