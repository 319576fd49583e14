"""CSV records: typed access to their fields by column name, and what can be wrong with them.

Every accessor raises :class:`InvalidInputError` whose ``field`` is the column as the file
spells it and whose reason names the value and the rule, so that :func:`describe` can
write ``column 'latitude': 91.2 is outside -90..90``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import Report
from ceasefire.ingest.charsets import first_undecodable_byte, show_undecodable
from ceasefire.ingest.dates import DateOrder, SlashDates, parse_date

T = TypeVar("T")


class Header:
    """A file's column names, looked up without regard to case or surrounding blanks."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = [show_undecodable(c) for c in columns]
        self._index: dict[str, int] = {}
        for i, column in enumerate(self.columns):
            self._index.setdefault(column.strip().casefold(), i)

    def __len__(self) -> int:
        return len(self.columns)

    def index(self, column: str) -> int | None:
        return self._index.get(column.casefold())

    def name(self, column: str) -> str:
        """The column as the file spells it (``column`` itself if the file lacks it)."""
        i = self.index(column)
        return column if i is None else self.columns[i].strip()

    def missing(self, required: Sequence[str]) -> list[str]:
        return sorted(c for c in required if self.index(c) is None)


class Record:
    """One record of a CSV file: its position (1 = the first after the header), its values."""

    __slots__ = ("header", "row", "values")

    def __init__(self, row: int, values: list[str], header: Header) -> None:
        self.row = row
        self.values = values
        self.header = header

    def get(self, column: str) -> str:
        """The value as given, or "" if the file has no such column or the row is short."""
        i = self.header.index(column)
        return self.values[i] if i is not None and i < len(self.values) else ""

    def text(self, column: str) -> str | None:
        """The value without surrounding blanks, or None when empty."""
        return self.get(column).strip() or None

    def required(self, column: str) -> str:
        value = self.text(column)
        if value is None:
            raise InvalidInputError(self.header.name(column), "is empty")
        return value

    def number(self, column: str) -> float:
        value = self.required(column)
        try:
            number = float(value)
        except ValueError:
            raise InvalidInputError(
                self.header.name(column), f"{value!r} is not a number"
            ) from None
        if not math.isfinite(number):
            raise InvalidInputError(self.header.name(column), f"{value!r} is not a finite number")
        return number

    def integer(self, column: str) -> int:
        value = self.required(column)
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not number.is_integer():
            raise InvalidInputError(self.header.name(column), f"{value!r} is not a whole number")
        return int(number)

    def optional_integer(self, column: str) -> int | None:
        return None if self.text(column) is None else self.integer(column)

    def code(self, column: str, meanings: Mapping[int, T]) -> tuple[int, T]:
        """A source's numeric code and what it means, e.g. ``where_prec`` 2 → NEAR."""
        code = self.integer(column)
        if code not in meanings:
            known = ", ".join(str(k) for k in meanings)
            raise InvalidInputError(self.header.name(column), f"{code} is not one of {known}")
        return code, meanings[code]

    def date(self, column: str, slash: SlashDates) -> date:
        return parse_date(self.get(column), self.header.name(column), slash)

    def problem(self, encoding: str) -> str | None:
        """What makes the record unreadable as a whole (field count, undecodable bytes)."""
        if len(self.values) != len(self.header):
            return f"{len(self.values)} fields where the header has {len(self.header)} columns"
        for column, value in zip(self.header.columns, self.values, strict=True):
            byte = first_undecodable_byte(value)
            if byte is not None:
                return f"column '{column}' is not valid {encoding} (byte 0x{byte:02x})"
        return None

    def fields(self) -> dict[str, str]:
        """The values by column, undecodable bytes as ``\\xNN``; extra values as ``#N``."""
        pairs = zip(self.header.columns, self.values, strict=False)
        shown = {column: show_undecodable(value) for column, value in pairs}
        for position in range(len(self.header) + 1, len(self.values) + 1):
            shown[f"#{position}"] = show_undecodable(self.values[position - 1])
        return shown


def describe(error: InvalidInputError, header: Header, labels: Mapping[str, str]) -> str:
    """A row error's reason: ``column 'latitude': 91.2 is outside -90..90``.

    ``labels`` names the columns behind a domain field (``time`` → ``columns 'date_start',
    'date_end'``) when the field is not a column itself.
    """
    if error.field in labels:
        subject = labels[error.field]
    elif header.index(error.field) is not None:
        subject = f"column '{header.name(error.field)}'"
    else:
        subject = error.field
    return join_reason(subject, error.reason)


def join_reason(subject: str, reason: str) -> str:
    """``column 'x' is empty`` but ``column 'x': 91.2 is outside -90..90``."""
    if not subject:
        return reason
    return f"{subject} {reason}" if reason.startswith("is ") else f"{subject}: {reason}"


@dataclass(frozen=True, slots=True)
class CsvFormat:
    """An event CSV format: its columns and how one record becomes a report."""

    name: str  # as people know it, for messages: "UCDP GED"
    default_source: str
    required: tuple[str, ...]
    date_columns: tuple[str, ...]
    date_order: DateOrder  # for slash dates, when no date in the file decides
    parse: Callable[[Record, str, SlashDates], Report]
    labels: Mapping[str, str] = field(default_factory=dict)
