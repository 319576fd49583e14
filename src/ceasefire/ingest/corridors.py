"""The PeaceRep humanitarian-corridor file (Ukraine, 2022) as it is published: one row per
proposed corridor, with its day, who proposed it, its outcome and its two ends.

Columns read: ``HC_ID``, ``date`` (ISO day), ``proposal`` (``Ukraine``, ``Russia`` or
``Agreed``), ``status_result`` and ``status_extra`` (the outcome, as PeaceRep words it),
``Link`` (the sources, separated by ``;;;``), and for each end ``From``/``To`` (the name as
reported), ``from_name``/``to_name`` (the geocoded name, sometimes empty) and
``from_latitude``, ``from_longitude``, ``to_latitude``, ``to_longitude``. The quoted press
text (``text``) is not kept. Every bad row is named, then all are reported together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.humanitarian import check_point
from ceasefire.ingest.csvfiles import CsvFile

COLUMNS = (
    "HC_ID",
    "date",
    "proposal",
    "status_result",
    "status_extra",
    "Link",
    "From",
    "from_name",
    "from_latitude",
    "from_longitude",
    "To",
    "to_name",
    "to_latitude",
    "to_longitude",
)
MAX_ROWS = 100_000
MAX_ERRORS_SHOWN = 10
MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class End:
    """One end of a corridor: its name and point."""

    name: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class Corridor:
    row: int
    source_id: str
    day: date
    proposal: str
    outcome: str  # status_result
    outcome_detail: str  # status_extra
    link: str  # the first source
    origin: End
    destination: End


def _number(values: dict[str, str], column: str) -> float:
    raw = values[column].strip()
    try:
        return float(raw)
    except ValueError:
        raise InvalidInputError(f"column '{column}'", f"{raw!r} is not a number") from None


def _end(values: dict[str, str], side: str, title: str) -> End:
    name = (values[f"{side}_name"].strip() or values[title].strip())[:MAX_TEXT]
    if not name:
        raise InvalidInputError(f"column '{title}'", "is empty")
    lon = _number(values, f"{side}_longitude")
    lat = _number(values, f"{side}_latitude")
    try:
        check_point(lon, lat)
    except InvalidInputError as error:
        column = f"{side}_latitude" if error.field == "lat" else f"{side}_longitude"
        raise InvalidInputError(f"column '{column}'", error.reason) from None
    return End(name, lon, lat)


def _corridor(row: int, values: dict[str, str]) -> Corridor:
    source_id = values["HC_ID"].strip()
    if not source_id or len(source_id) > 64:
        raise InvalidInputError("column 'HC_ID'", f"{source_id!r} is not an id")
    try:
        day = date.fromisoformat(values["date"].strip())
    except ValueError:
        raise InvalidInputError("column 'date'", f"{values['date']!r} is not a day") from None
    outcome = values["status_result"].strip()
    if not outcome:
        raise InvalidInputError("column 'status_result'", "is empty")
    return Corridor(
        row=row,
        source_id=source_id,
        day=day,
        proposal=values["proposal"].strip()[:MAX_TEXT],
        outcome=outcome[:MAX_TEXT],
        outcome_detail=values["status_extra"].strip()[:MAX_TEXT],
        link=values["Link"].split(";")[0].strip()[:2_000],
        origin=_end(values, "from", "From"),
        destination=_end(values, "to", "To"),
    )


def read_corridors(path: Path, encoding: str | None = None) -> list[Corridor]:
    """Every row of the file; if any is bad, an error naming each (nothing is read)."""
    found: list[Corridor] = []
    errors: list[str] = []
    seen: set[str] = set()
    with CsvFile(path, encoding) as table:
        # by exact name: the file has both "Date" (05.03.22) and "date" (2022-03-05)
        names = [c.strip() for c in table.columns]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise InvalidInputError(str(path), f"has no column {', '.join(map(repr, missing))}")
        picks = [names.index(c) for c in COLUMNS]
        for record in table.records():
            problem = record.problem(table.encoding)
            if problem:
                errors.append(f"row {record.row}: {problem}")
                continue
            values = {c: record.values[i] for c, i in zip(COLUMNS, picks, strict=True)}
            try:
                corridor = _corridor(record.row, values)
            except InvalidInputError as error:
                errors.append(f"row {record.row}, {error.message}")
                continue
            if corridor.source_id in seen:
                errors.append(f"row {record.row}, column 'HC_ID': {corridor.source_id} is repeated")
            seen.add(corridor.source_id)
            found.append(corridor)
            if len(found) > MAX_ROWS:
                raise InvalidInputError(str(path), f"holds more than {MAX_ROWS} rows")
    if errors:
        more = len(errors) - MAX_ERRORS_SHOWN
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        raise InvalidInputError(str(path), f"{shown}. Nothing was imported")
    return found
