"""Opening an event file in any of the formats ceasefire imports.

>>> with open_events(Path("ged.csv"), "ucdp") as events:  # doctest: +SKIP
...     for row in events.rows():
...         ...

See ``docs/import.md`` for the formats, their precision codes, encodings and quarantine.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from ceasefire.ingest.acled import ACLED
from ceasefire.ingest.eventfiles import CsvEventFile, EventFile
from ceasefire.ingest.geojson import GeoJsonFile
from ceasefire.ingest.ucdp import UCDP_GED

EventFormat = Literal["ucdp", "acled", "geojson"]

__all__ = ["EventFile", "EventFormat", "open_events"]


def open_events(
    path: Path,
    format: EventFormat,
    source: str | None = None,
    encoding: str | None = None,
    now: datetime | None = None,
) -> EventFile:
    """Open ``path`` as an event file in ``format``, ready to stream its rows.

    ``source`` names where the reports come from (default: "ucdp-ged", "acled", or for
    GeoJSON each feature's ``source`` property, else the file's stem). ``encoding``
    overrides the detected one. An event that starts more than a day after ``now``
    (default: when the file is opened) is a row error. Raises InvalidInputError, naming
    the path, when the file cannot be read or lacks the format's columns.
    """
    if format == "ucdp":
        return CsvEventFile(path, UCDP_GED, source, encoding, now)
    if format == "acled":
        return CsvEventFile(path, ACLED, source, encoding, now)
    return GeoJsonFile(path, source, encoding, now)
