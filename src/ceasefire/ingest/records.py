"""CSV records: their columns, what can be wrong with them, and the formats that read them.

A format reads the values of the columns it names, picked from each record by positions
its file's :class:`Header` resolves once. Its errors name the column (``field``) and the
value and rule (``reason``), so that :func:`describe` can write ``column 'latitude': 91.2
is outside -90..90`` with the column as the file spells it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import cast

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import ActorMention, EventTime, Fatalities, Report
from ceasefire.ingest.charsets import TextEncoding, find_undecodable, show_undecodable
from ceasefire.ingest.dates import DateOrder, SlashDates

Picker = Callable[[Sequence[str]], Sequence[str]]


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

    def picker(self, columns: Sequence[str]) -> Picker:
        """What picks the values of ``columns`` (two or more) from a full record, with ""
        for a column the file lacks. The positions are found once, here."""
        found = [self.index(c) for c in columns]
        width = len(self.columns)  # where a record padded with "" holds it
        pick = cast(Picker, itemgetter(*(width if i is None else i for i in found)))
        if None in found:
            return lambda values: pick([*values, ""])
        return pick


class Record:
    """One record of a CSV file: its position (1 = the first after the header), its values."""

    __slots__ = ("header", "row", "values")

    def __init__(self, row: int, values: list[str], header: Header) -> None:
        self.row = row
        self.values = values
        self.header = header

    def problem(self, encoding: TextEncoding) -> str | None:
        """What makes the record unreadable as a whole (field count, undecodable bytes)."""
        if len(self.values) != len(self.header):
            return f"{len(self.values)} fields where the header has {len(self.header)} columns"
        if encoding.may_leave_undecodable:
            found = find_undecodable(self.values)
            if found is not None:
                position, byte = found
                column = self.header.columns[position]
                return f"column '{column}' is not valid {encoding.label} (byte 0x{byte:02x})"
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
    """An event CSV format: its columns and how one file's records become reports.

    ``reader(source, slash)`` makes the reader of one file, which may remember what it
    has read in that file (its times, say); it takes the values of ``columns``, in order.
    """

    name: str  # as people know it, for messages: "UCDP GED"
    default_source: str
    required: tuple[str, ...]
    date_columns: tuple[str, ...]
    date_order: DateOrder  # for slash dates, when no date in the file decides
    columns: tuple[str, ...]
    reader: Callable[[str, SlashDates], Callable[[Sequence[str]], Report]]
    labels: Mapping[str, str] = field(default_factory=dict)


# Distinct values remembered per file (a file repeats its dates, actor pairs and counts):
# times (some 500 bytes each), actors and fatalities.
TIMES = 16_384
REMEMBERED = 4096


class RememberingReader:
    """Base of the per-file record readers. The times, actors and fatalities a reader has
    built are remembered by the values they came from: each is immutable and holds only
    what those values give, so it is shared rather than made again. A reader lives for one
    file, so nothing (a slash-date order, say) carries over to the next."""

    def __init__(
        self,
        source: str,
        time: Callable[..., EventTime],
        actors: Callable[..., tuple[ActorMention, ...]],
        fatalities: Callable[..., tuple[Fatalities, str | None]],
    ) -> None:
        self.source = source
        self._time = lru_cache(maxsize=TIMES)(time)
        self._actors = lru_cache(maxsize=REMEMBERED)(actors)
        self._fatalities = lru_cache(maxsize=REMEMBERED)(fatalities)
