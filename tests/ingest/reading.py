"""What the ingest tests keep of one pass over an event file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ceasefire.domain.events import Report
from ceasefire.ingest.rows import ParsedRow, RowError


@dataclass
class Read:
    """Everything one pass over an event file gave, split into reports and row errors."""

    rows: list[ParsedRow | RowError]
    columns: list[str]

    @property
    def reports(self) -> list[Report]:
        return [r.report for r in self.rows if isinstance(r, ParsedRow)]

    @property
    def errors(self) -> list[RowError]:
        return [r for r in self.rows if isinstance(r, RowError)]

    def report(self, source_id: str) -> Report:
        return next(r for r in self.reports if r.source_id == source_id)

    def reasons(self) -> dict[int, str]:
        return {e.row: e.reason for e in self.errors}


ReadEvents = Callable[..., Read]
