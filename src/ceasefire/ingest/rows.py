"""What reading an event file yields for each record: a parsed report or a row error."""

from __future__ import annotations

from dataclasses import dataclass, field

from ceasefire.domain.events import Report


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """A record that became a report. ``row`` is 1 for the first record after the header."""

    row: int
    report: Report


@dataclass(frozen=True, slots=True)
class RowError:
    """A record that broke a rule, with the reason and its fields as the file gave them.

    ``fields`` maps each column to its original text; bytes that could not be decoded are
    written as ``\\xNN`` so that the quarantine file keeps everything.
    """

    row: int
    reason: str
    fields: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"
