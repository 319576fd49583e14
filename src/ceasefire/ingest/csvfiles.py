"""Opening a CSV file as users export them, and reading it record by record.

The encoding is found by :func:`~ceasefire.ingest.charsets.detect_encoding` unless one is
given. Line endings may be LF, CRLF or CR alone, and quoted fields may hold line breaks.
Records are streamed: only the current one is in memory. Blank lines are not records and
do not count in the row numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.charsets import TextEncoding, detect_encoding, given_encoding
from ceasefire.ingest.closing import Closing
from ceasefire.ingest.records import Header, Record


class CsvFile(Closing):
    """An open CSV file: its encoding, its header, and its progress in bytes."""

    def __init__(self, path: Path, encoding: str | TextEncoding | None = None) -> None:
        self.path = path
        self._binary = _open_binary(path)
        try:
            self.bytes_total = path.stat().st_size
            if isinstance(encoding, TextEncoding):
                self.encoding = encoding
            elif encoding is not None:
                self.encoding = given_encoding(encoding)
            else:
                self.encoding = detect_encoding(self._binary)
            self._text = io.TextIOWrapper(
                self._binary, encoding=self.encoding.codec, errors=self.encoding.errors, newline=""
            )
            self._reader = csv.reader(self._text)
            self.header = Header(self._read_header())
        except BaseException:
            self._binary.close()
            raise
        self._done = False

    def _read_header(self) -> list[str]:
        try:
            for values in self._reader:
                if values:
                    return values
        except csv.Error as error:
            raise InvalidInputError(str(self.path), f"header: {error}") from None
        except UnicodeDecodeError as error:  # a byte-order mark over bytes not that text
            raise InvalidInputError(
                str(self.path),
                f"is not {self.encoding.label} text, as its start says ({error.reason})",
            ) from None
        raise InvalidInputError(str(self.path), "is empty: there is no header row")

    @property
    def columns(self) -> list[str]:
        return self.header.columns

    @property
    def bytes_read(self) -> int:
        """How far into the file reading has gone, in bytes (for a progress bar)."""
        if self._done or self._binary.closed:
            return self.bytes_total
        return min(self._binary.tell(), self.bytes_total)

    def records(self) -> Iterator[Record]:
        """The records after the header, numbered from 1, one at a time."""
        row = 0
        try:
            for values in self._reader:
                if not values:
                    continue
                row += 1
                yield Record(row, values, self.header)
        except csv.Error as error:
            raise InvalidInputError(str(self.path), f"row {row + 1}: {error}") from None
        except UnicodeDecodeError as error:
            raise InvalidInputError(
                str(self.path), f"row {row + 1}: not {self.encoding.label} text ({error.reason})"
            ) from None
        self._done = True

    def close(self) -> None:
        self._text.close()


def _open_binary(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except OSError as error:
        raise InvalidInputError(str(path), f"cannot be read ({error.strerror})") from None
