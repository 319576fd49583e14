from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.quarantine import QuarantineWriter
from ceasefire.ingest.rows import RowError


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_the_header_is_written_even_without_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "quarantine.csv"

    with QuarantineWriter(path, ["id", "latitude"]) as quarantine:
        assert quarantine.count == 0

    assert read_back(path) == [["row", "reason", "id", "latitude"]]


def test_each_row_error_is_one_line_with_its_original_fields(tmp_path: Path) -> None:
    path = tmp_path / "quarantine.csv"
    errors = [
        RowError(3, "column 'latitude': 91.2 is outside -90..90", {"id": "7", "latitude": "91.2"}),
        RowError(5, "column 'id' is empty", {"id": "", "latitude": "48.0"}),
    ]

    with QuarantineWriter(path, ["id", "latitude"]) as quarantine:
        for error in errors:
            quarantine.write(error)

    assert quarantine.count == 2
    assert read_back(path)[1:] == [
        ["3", "column 'latitude': 91.2 is outside -90..90", "7", "91.2"],
        ["5", "column 'id' is empty", "", "48.0"],
    ]


def test_a_short_row_leaves_its_missing_columns_empty(tmp_path: Path) -> None:
    path = tmp_path / "quarantine.csv"

    with QuarantineWriter(path, ["id", "latitude", "longitude"]) as quarantine:
        quarantine.write(RowError(2, "1 fields where the header has 3 columns", {"id": "9"}))

    assert read_back(path)[1] == ["2", "1 fields where the header has 3 columns", "9", "", ""]


def test_values_beyond_the_header_follow_the_last_column(tmp_path: Path) -> None:
    path = tmp_path / "quarantine.csv"
    fields = {"id": "9", "latitude": "48.0", "#3": "surplus"}

    with QuarantineWriter(path, ["id", "latitude"]) as quarantine:
        quarantine.write(RowError(4, "3 fields where the header has 2 columns", fields))

    assert read_back(path)[1] == [
        "4",
        "3 fields where the header has 2 columns",
        "9",
        "48.0",
        "surplus",
    ]


def test_text_with_line_breaks_commas_and_cyrillic_survives(tmp_path: Path) -> None:
    path = tmp_path / "quarantine.csv"
    note = 'north of Дубрава,\n"near" the station'

    with QuarantineWriter(path, ["note"]) as quarantine:
        quarantine.write(RowError(1, "column 'id' is empty", {"note": note}))

    assert read_back(path)[1][2] == note


def test_an_unwritable_path_is_named(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "quarantine.csv"

    with pytest.raises(InvalidInputError, match="cannot be written"):
        QuarantineWriter(path, ["id"])


def test_a_quarantined_value_that_starts_like_a_formula_cannot_run(tmp_path: Path) -> None:
    path = tmp_path / "quarantine.csv"
    hostile = {"id": '=HYPERLINK("http://x.example","click")', "latitude": "-1+1"}
    with QuarantineWriter(path, ["id", "latitude"]) as quarantine:
        quarantine.write(RowError(4, "column 'latitude': '-1+1' is not a number", hostile))
    assert read_back(path)[1] == [
        "4",
        "column 'latitude': '-1+1' is not a number",
        '\'=HYPERLINK("http://x.example","click")',
        "'-1+1",
    ]
