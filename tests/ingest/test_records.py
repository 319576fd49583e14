from __future__ import annotations

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import UCDP_WHERE_PRECISION, LocationPrecision
from ceasefire.ingest.records import Header, Record, describe, join_reason

HEADER = Header(["id", "Latitude", " where_prec ", "place"])


def record(*values: str) -> Record:
    return Record(4, list(values), HEADER)


def test_columns_are_found_whatever_their_case_and_blanks() -> None:
    assert record("1", "48.5", "2", "Strelna").get("LATITUDE") == "48.5"
    assert record("1", "48.5", "2", "Strelna").get("where_prec") == "2"


def test_a_missing_column_reads_as_empty() -> None:
    assert record("1", "48.5", "2", "Strelna").text("adm_1") is None


def test_missing_columns_are_listed_in_alphabetical_order() -> None:
    assert HEADER.missing(["where_prec", "longitude", "date_start", "id"]) == [
        "date_start",
        "longitude",
    ]


def test_an_empty_required_value_is_named_by_its_column() -> None:
    with pytest.raises(InvalidInputError) as raised:
        record(" ", "48.5", "2", "Strelna").required("id")

    assert (raised.value.field, raised.value.reason) == ("id", "is empty")


def test_a_number_that_is_not_one_names_the_value() -> None:
    with pytest.raises(InvalidInputError, match="Latitude: '48,5' is not a number"):
        record("1", "48,5", "2", "Strelna").number("latitude")


def test_infinity_is_not_a_coordinate() -> None:
    with pytest.raises(InvalidInputError, match="'inf' is not a finite number"):
        record("1", "inf", "2", "Strelna").number("latitude")


def test_a_whole_number_may_be_written_with_a_zero_fraction() -> None:
    assert record("1", "48.5", "2.0", "x").integer("where_prec") == 2


def test_a_fraction_is_not_a_whole_number() -> None:
    with pytest.raises(InvalidInputError, match=r"'2\.5' is not a whole number"):
        record("1", "48.5", "2.5", "x").integer("where_prec")


def test_a_code_gives_its_meaning() -> None:
    assert record("1", "48.5", "3", "x").code("where_prec", UCDP_WHERE_PRECISION) == (
        3,
        LocationPrecision.ADM2,
    )


def test_an_unknown_code_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="9 is not one of 1, 2, 3, 4, 5, 6, 7"):
        record("1", "48.5", "9", "x").code("where_prec", UCDP_WHERE_PRECISION)


def test_a_short_record_is_a_problem_naming_both_counts() -> None:
    assert record("1", "48.5").problem("UTF-8") == "2 fields where the header has 4 columns"


def test_a_field_with_undecodable_bytes_is_a_problem_naming_column_and_byte() -> None:
    place = b"Mari\xe9nka".decode("utf-8", errors="surrogateescape")

    problem = record("1", "48.5", "2", place).problem("UTF-8")

    assert problem == "column 'place' is not valid UTF-8 (byte 0xe9)"


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
