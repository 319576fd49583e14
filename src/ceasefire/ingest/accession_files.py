"""Accessions as a CSV file: one a row.

Columns: ``regime``, ``date`` (YYYY-MM-DD), ``change`` (``joined``, the default, or
``left``), ``channel`` (through whom it was declared), ``evidence`` (optional), and either
``actor`` (an actor's id or name) or ``settlement`` (a settlement's place id or name), with
``lon`` and ``lat`` for a settlement the gazetteer does not hold yet. Every bad row is
named; none is recorded unless all are good.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ceasefire.domain.accessions import AccessionRow, change_of
from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.csvfiles import CsvFile

MAX_ROWS = 10_000
MAX_TEXT = 2_000
REQUIRED = ("regime", "date", "channel")


def _number(value: str, where: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInputError(where, f"{value!r} is not a number") from None


def _row(number: int, values: dict[str, str]) -> AccessionRow:
    where = f"row {number}"
    for column, value in values.items():
        if len(value) > MAX_TEXT:
            raise InvalidInputError(f"{where}, {column}", f"is longer than {MAX_TEXT} characters")
    try:
        day = date.fromisoformat(values["date"].strip())
    except ValueError:
        raise InvalidInputError(
            f"{where}, date", f"{values['date']!r} is not a date (YYYY-MM-DD)"
        ) from None
    actor = values.get("actor", "").strip() or None
    settlement = values.get("settlement", "").strip() or None
    try:
        return AccessionRow(
            number=number,
            regime_id=values["regime"].strip(),
            change=change_of(values.get("change", "") or "joined", f"{where}, change"),
            day=day,
            channel=values["channel"].strip(),
            evidence=values.get("evidence", "").strip(),
            actor=actor,
            settlement=settlement,
            lon=_number(values.get("lon", ""), f"{where}, lon"),
            lat=_number(values.get("lat", ""), f"{where}, lat"),
        )
    except InvalidInputError as error:
        if error.field.startswith("row "):
            raise
        raise InvalidInputError(f"{where}, {error.field}", error.reason) from None


def read_accession_file(path: Path, encoding: str | None = None) -> list[AccessionRow]:
    rows = []
    errors = []
    with CsvFile(path, encoding) as table:
        columns = [c.strip().casefold() for c in table.columns]
        missing = [c for c in REQUIRED if c not in columns]
        if missing or not {"actor", "settlement"} & set(columns):
            wanted = ", ".join(
                [
                    *missing,
                    *(
                        ["actor or settlement"]
                        if not {"actor", "settlement"} & set(columns)
                        else []
                    ),
                ]
            )
            raise InvalidInputError(
                str(path), f"has no column {wanted} (its columns: {', '.join(table.columns)})"
            )
        for record in table.records():
            problem = record.problem(table.encoding)
            if problem:
                errors.append(f"row {record.row}: {problem}")
                continue
            try:
                rows.append(_row(record.row, dict(zip(columns, record.values, strict=True))))
            except InvalidInputError as error:
                errors.append(str(error))
            if len(rows) > MAX_ROWS:
                raise InvalidInputError(str(path), f"holds more than {MAX_ROWS} accessions")
    if errors:
        shown = "; ".join(errors[:10]) + (
            f"; and {len(errors) - 10} more" if len(errors) > 10 else ""
        )
        raise InvalidInputError(str(path), f"{shown}. Nothing was recorded")
    return rows
