"""The quarantine file: every bad row of an import, with its reason, as the source gave it.

A UTF-8 CSV with the columns ``row``, ``reason``, then the source file's own columns (for
GeoJSON, ``feature``: the feature as compact JSON), one line per row error. Fixing the
lines and importing the file again (without ``row`` and ``reason``) is the way back in.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from ceasefire.domain.cells import cell
from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.closing import Closing
from ceasefire.ingest.rows import RowError


class QuarantineWriter(Closing):
    """Writes row errors to ``path``; the header is written at once, even if none follow.

    Values a row holds beyond the source's columns (a row with too many fields) follow the
    last column, so nothing of the row is lost.
    """

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.columns = list(columns)
        self._known = set(self.columns)
        self.count = 0
        try:
            self._file = path.open("w", encoding="utf-8", errors="backslashreplace", newline="")
        except OSError as error:
            raise InvalidInputError(str(path), f"cannot be written ({error.strerror})") from None
        self._writer = csv.writer(self._file)
        self._writer.writerow(["row", "reason", *self.columns])

    def write(self, error: RowError) -> None:
        extra = [value for column, value in error.fields.items() if column not in self._known]
        values = [error.fields.get(column, "") for column in self.columns]
        # neutralised like every CSV the project writes: a value starting like a formula
        # gets a leading apostrophe (take it off when fixing the row)
        self._writer.writerow(cell(v) for v in [error.row, error.reason, *values, *extra])
        self.count += 1

    def close(self) -> None:
        self._file.close()
