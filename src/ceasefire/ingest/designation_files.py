"""A party's designation list as a file: CSV, JSON, or the UN consolidated list's XML.

- **CSV**: a header with ``actor`` (an actor's id, its UN reference as ``un:QDe.137``, or
  a name in any script), and optionally ``position`` (``listed``, the default, or
  ``not_listed``) and ``note`` (an empty cell, or no such column, gives no note: the
  member's earlier note on the actor is kept while its position stays the same).
- **JSON**: ``{"designations": [{"actor": ..., "position": ..., "note": ...}, ...]}`` or
  the list alone (a note left out, or null, gives no note; ``""`` says there is none).
- **UN XML**: every entity and individual of the list, as listed, by UN reference
  (``ceasefire actors import-un`` brings them into the register first).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from ceasefire.domain.designations import MAX_ROWS, Position, Row
from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.csvfiles import CsvFile
from ceasefire.ingest.jsonfiles import read_json_file
from ceasefire.ingest.unlist import read_un_list

MAX_NOTE = 2_000
MAX_JSON_BYTES = 16 * 1024 * 1024


class ListFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    UN_XML = "un-xml"


def _position(value: str, where: str) -> Position:
    try:
        return Position(value.strip() or "listed")
    except ValueError:
        raise InvalidInputError(where, f"{value!r} is not 'listed' or 'not_listed'") from None


def _row(number: int, actor: object, position: object, note: object, where: str) -> Row:
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidInputError(f"{where}: actor", "is missing (an id, un:REFERENCE or a name)")
    if len(actor) > 300:
        raise InvalidInputError(f"{where}: actor", "is longer than 300 characters")
    if not isinstance(position, str):
        raise InvalidInputError(f"{where}: position", "is not text")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise InvalidInputError(f"{where}: note", f"is not text of at most {MAX_NOTE} characters")
    return Row(
        number,
        actor.strip(),
        _position(position, f"{where}: position"),
        None if note is None else note.strip(),
    )


def _csv(path: Path, encoding: str | None) -> list[Row]:
    rows = []
    with CsvFile(path, encoding) as table:
        columns = [c.strip().casefold() for c in table.columns]
        if "actor" not in columns:
            raise InvalidInputError(
                str(path), f"has no column 'actor' (its columns: {', '.join(table.columns)})"
            )
        for record in table.records():
            problem = record.problem(table.encoding)
            if problem:
                raise InvalidInputError(str(path), f"row {record.row}: {problem}")
            values = dict(zip(columns, record.values, strict=True))
            rows.append(
                _row(
                    record.row,
                    values["actor"],
                    values.get("position", ""),
                    values.get("note", "").strip() or None,  # an empty cell: no note given
                    f"row {record.row}",
                )
            )
            if len(rows) > MAX_ROWS:
                raise InvalidInputError(str(path), f"holds more than {MAX_ROWS} designations")
    return rows


def _json(path: Path) -> list[Row]:
    document: Any = read_json_file(path, MAX_JSON_BYTES)
    items = document.get("designations") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise InvalidInputError(str(path), "holds no list of designations")
    if len(items) > MAX_ROWS:
        raise InvalidInputError(str(path), f"holds more than {MAX_ROWS} designations")
    rows = []
    for number, item in enumerate(items, start=1):
        where = f"designations[{number - 1}]"
        if not isinstance(item, dict):
            raise InvalidInputError(where, "is not an object")
        unknown = set(item) - {"actor", "position", "note"}
        if unknown:
            raise InvalidInputError(where, f"unknown keys: {', '.join(sorted(unknown))}")
        rows.append(
            _row(number, item.get("actor"), item.get("position", ""), item.get("note"), where)
        )
    return rows


def read_list_file(path: Path, format: ListFormat, encoding: str | None = None) -> list[Row]:
    if format is ListFormat.CSV:
        return _csv(path, encoding)
    if format is ListFormat.JSON:
        return _json(path)
    return [
        Row(number, f"un:{entry.reference}", Position.LISTED, "on the UN consolidated list")
        for number, entry in enumerate(read_un_list(path), start=1)
    ]
