from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.csvfiles import CsvFile


def read(path: Path, encoding: str | None = None) -> list[tuple[int, list[str]]]:
    with CsvFile(path, encoding) as csv_file:
        return [(r.row, r.values) for r in csv_file.records()]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_line_ending_gives_the_same_records(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(newline.join(["id,place", "1,Strelna", "2,Dubrava", ""]).encode())

    assert read(path) == [(1, ["1", "Strelna"]), (2, ["2", "Dubrava"])]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_quoted_field_keeps_its_line_break(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(f'id,note{newline}1,"north{newline}of town"{newline}2,x{newline}'.encode())

    assert read(path) == [(1, ["1", f"north{newline}of town"]), (2, ["2", "x"])]


def test_blank_lines_are_not_records_and_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("id\n\n1\n\n\n2\n", encoding="utf-8")

    assert read(path) == [(1, ["1"]), (2, ["2"])]


def test_a_cp1252_file_reads_with_its_accents(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes("id,place\n1,Mariïnka – it’s near\n".encode("cp1252"))

    with CsvFile(path) as csv_file:
        rows = [r.values for r in csv_file.records()]
        assert csv_file.encoding.codec == "cp1252"
    assert rows == [["1", "Mariïnka – it’s near"]]


def test_a_given_encoding_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes("id,place\n1,Дубрава\n".encode())

    assert read(path, encoding="latin-1") == [(1, ["1", "Ð\x94Ñ\x83Ð±Ñ\x80Ð°Ð²Ð°"])]


def test_a_utf8_bom_does_not_stick_to_the_first_column(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(b"\xef\xbb\xbfid,place\n1,x\n")

    with CsvFile(path) as csv_file:
        assert csv_file.columns == ["id", "place"]


def test_a_utf16_file_reads(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes("id,place\r\n1,Дубрава\r\n".encode("utf-16"))

    assert read(path) == [(1, ["1", "Дубрава"])]


def test_bytes_read_grows_to_bytes_total(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "id,place\n" + "".join(f"{i},place {i}\n" for i in range(20_000)), encoding="utf-8"
    )
    seen: list[int] = []

    with CsvFile(path) as csv_file:
        assert csv_file.bytes_total == path.stat().st_size
        for record in csv_file.records():
            if record.row % 5_000 == 0:
                seen.append(csv_file.bytes_read)
        assert csv_file.bytes_read == csv_file.bytes_total

    assert seen == sorted(seen)
    assert 0 < seen[0] < path.stat().st_size


def test_a_missing_file_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"

    with pytest.raises(InvalidInputError) as raised:
        CsvFile(path)

    assert str(raised.value) == f"{path}: cannot be read (No such file or directory)"


def test_a_folder_is_not_a_readable_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot be read"):
        CsvFile(tmp_path)


def test_an_empty_file_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(InvalidInputError, match="is empty: there is no header row"):
        CsvFile(path)


def test_an_oversized_field_is_an_error_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text('id,note\n1,x\n2,"' + "x" * 200_000 + '"\n', encoding="utf-8")

    with CsvFile(path) as csv_file, pytest.raises(InvalidInputError, match="row 2: field larger"):
        list(csv_file.records())
