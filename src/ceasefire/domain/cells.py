"""Spreadsheet cells that cannot run: every CSV and XLSX the project writes passes its
values through ``cell`` (OWASP's advice on CSV injection)."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A value for a spreadsheet cell that will not run: text starting like a formula
    (``=HYPERLINK(...)``, ``+cmd``, ``@SUM(1)``, ``-1+1``) gets a leading apostrophe, which
    spreadsheets show as text; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
