"""Open event files: what every format offers, and the CSV formats' shared reading loop.

A file's events may start at most a day after the time it was opened (the domain's
``check_not_future``): the clock is read once per file, not once per row."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import check_not_future
from ceasefire.ingest.closing import Closing
from ceasefire.ingest.csvfiles import CsvFile
from ceasefire.ingest.dates import SlashDates
from ceasefire.ingest.records import CsvFormat, Record, describe
from ceasefire.ingest.rows import ParsedRow, RowError


class EventFile(Closing):
    """An event file open for reading, one row at a time.

    ``rows()`` yields exactly one :class:`ParsedRow` or :class:`RowError` per record, in
    file order, holding only the current record in memory. ``bytes_read`` against
    ``bytes_total`` drives a progress bar. ``columns`` are the quarantine file's columns
    after ``row`` and ``reason``. ``now`` is when the file was opened: an event that
    starts more than a day after it is a row error.
    """

    path: Path
    now: datetime

    @property
    @abstractmethod
    def columns(self) -> list[str]: ...

    @property
    @abstractmethod
    def encoding(self) -> str: ...

    @property
    @abstractmethod
    def bytes_total(self) -> int: ...

    @property
    @abstractmethod
    def bytes_read(self) -> int: ...

    @abstractmethod
    def rows(self) -> Iterator[ParsedRow | RowError]: ...


class CsvEventFile(EventFile):
    """A CSV event file in one of the :class:`CsvFormat` s (UCDP GED, ACLED)."""

    def __init__(
        self,
        path: Path,
        format: CsvFormat,
        source: str | None = None,
        encoding: str | None = None,
        now: datetime | None = None,
    ) -> None:
        self.path = path
        self.now = now or datetime.now(UTC)
        self.format = format
        self.source = source or format.default_source
        self._csv = CsvFile(path, encoding)
        missing = self._csv.header.missing(format.required)
        if missing:
            self._csv.close()
            raise InvalidInputError(
                str(path), f"missing columns for {format.name}: {', '.join(missing)}"
            )
        self._slash = SlashDates(format.date_order, self._date_values)
        self._pick = self._csv.header.picker(format.columns)
        self._read = format.reader(self.source, self._slash)

    @property
    def columns(self) -> list[str]:
        return self._csv.columns

    @property
    def encoding(self) -> str:
        return self._csv.encoding.label

    @property
    def bytes_total(self) -> int:
        return self._csv.bytes_total

    @property
    def bytes_read(self) -> int:
        return self._csv.bytes_read

    def rows(self) -> Iterator[ParsedRow | RowError]:
        for record in self._csv.records():
            yield self._parse(record)

    def close(self) -> None:
        self._csv.close()

    def _parse(self, record: Record) -> ParsedRow | RowError:
        problem = record.problem(self._csv.encoding)
        if problem is not None:
            return RowError(record.row, problem, record.fields())
        try:
            report = self._read(self._pick(record.values))
            # named by the column of its first date: the start is what is compared
            check_not_future(report.time, self.now, self.format.date_columns[0])
        except InvalidInputError as error:
            reason = describe(error, record.header, self.format.labels)
            return RowError(record.row, reason, record.fields())
        return ParsedRow(record.row, report)

    def _date_values(self) -> Generator[tuple[int, str], None, None]:
        """The file's date values from its start, read through a second handle.

        A file that breaks further on ends the scan there: the main pass reports it.
        """
        with CsvFile(self.path, self._csv.encoding) as scan:
            found = (scan.header.index(c) for c in self.format.date_columns)
            indexes = [i for i in found if i is not None]
            try:
                for record in scan.records():
                    for i in indexes:
                        if i < len(record.values):
                            yield record.row, record.values[i]
            except InvalidInputError:
                return
