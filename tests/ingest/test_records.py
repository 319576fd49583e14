from __future__ import annotations

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.charsets import TextEncoding
from ceasefire.ingest.records import Header, Record, describe, join_reason

HEADER = Header(["id", "Latitude", " where_prec ", "place"])
BROKEN_UTF8 = TextEncoding("utf-8", "surrogateescape", "UTF-8 but for 1 invalid byte sequences")
VALID_UTF8 = TextEncoding("utf-8", "surrogateescape", "valid UTF-8", verified=True)


def record(*values: str) -> Record:
    return Record(4, list(values), HEADER)


def test_columns_are_picked_whatever_their_case_and_blanks() -> None:
    pick = HEADER.picker(["LATITUDE", "where_prec"])

    assert tuple(pick(["1", "48.5", "2", "Strelna"])) == ("48.5", "2")


def test_a_column_the_file_lacks_is_picked_as_empty() -> None:
    pick = HEADER.picker(["place", "adm_1", "id"])

    assert tuple(pick(["1", "48.5", "2", "Strelna"])) == ("Strelna", "", "1")


def test_missing_columns_are_listed_in_alphabetical_order() -> None:
    assert HEADER.missing(["where_prec", "longitude", "date_start", "id"]) == [
        "date_start",
        "longitude",
    ]


def test_a_short_record_is_a_problem_naming_both_counts() -> None:
    assert record("1", "48.5").problem(BROKEN_UTF8) == "2 fields where the header has 4 columns"


def test_a_field_with_undecodable_bytes_is_a_problem_naming_column_and_byte() -> None:
    place = b"Mari\xe9nka".decode("utf-8", errors="surrogateescape")

    problem = record("1", "48.5", "2", place).problem(BROKEN_UTF8)

    assert problem == "column 'place' is not valid UTF-8 (byte 0xe9)"


def test_a_record_of_a_file_that_decoded_whole_is_not_searched_for_undecodable_bytes() -> None:
    place = b"Mari\xe9nka".decode("utf-8", errors="surrogateescape")

    assert record("1", "48.5", "2", place).problem(VALID_UTF8) is None


def test_fields_show_undecodable_bytes_and_keep_extra_values() -> None:
    place = b"Mari\xe9nka".decode("utf-8", errors="surrogateescape")

    fields = record("1", "48.5", "2", place, "surplus").fields()

    assert fields["place"] == "Mari\\xe9nka"
    assert fields["#5"] == "surplus"


def test_a_reason_about_a_column_reads_as_a_sentence() -> None:
    error = InvalidInputError("latitude", "91.2 is outside -90..90")

    assert describe(error, HEADER, {}) == "column 'Latitude': 91.2 is outside -90..90"


def test_a_domain_field_is_named_by_its_label() -> None:
    error = InvalidInputError("time", "end date 2015-01-01 is before start date 2015-01-02")

    reason = describe(error, HEADER, {"time": "columns 'date_start', 'date_end'"})

    assert reason.startswith("columns 'date_start', 'date_end': end date")


def test_a_predicate_joins_its_subject_without_a_colon() -> None:
    assert join_reason("column 'longitude'", "is empty") == "column 'longitude' is empty"
