from __future__ import annotations

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import UCDP_WHERE_PRECISION, LocationPrecision
from ceasefire.ingest.values import code, number, optional_whole, required, text, whole


def test_text_drops_surrounding_blanks_and_reads_blank_as_none() -> None:
    assert (text(" Strelna "), text("  ")) == ("Strelna", None)


def test_an_empty_required_value_is_named_by_its_column() -> None:
    with pytest.raises(InvalidInputError) as raised:
        required(" ", "id")

    assert (raised.value.field, raised.value.reason) == ("id", "is empty")


def test_a_number_may_have_surrounding_blanks() -> None:
    assert number(" 48.5 ", "latitude") == 48.5


def test_a_number_that_is_not_one_names_the_value() -> None:
    with pytest.raises(InvalidInputError, match="latitude: '48,5' is not a number"):
        number(" 48,5", "latitude")


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", " NaN "])
def test_infinity_is_not_a_coordinate(value: str) -> None:
    with pytest.raises(InvalidInputError, match=f"{value.strip()!r} is not a finite number"):
        number(value, "latitude")


@pytest.mark.parametrize(("value", "expected"), [("2", 2), (" 2 ", 2), ("2.0", 2), ("+2", 2)])
def test_a_whole_number_may_be_written_with_blanks_or_a_zero_fraction(
    value: str, expected: int
) -> None:
    assert whole(value, "where_prec") == expected


def test_a_large_whole_number_reads_as_before_through_a_float() -> None:
    assert whole("99999999999999999999", "best") == int(float("99999999999999999999"))


@pytest.mark.parametrize("value", ["2.5", "two", "inf"])
def test_a_value_that_is_not_whole_names_the_value(value: str) -> None:
    with pytest.raises(InvalidInputError, match=f"{value!r} is not a whole number"):
        whole(value, "where_prec")


def test_an_optional_whole_number_may_be_blank() -> None:
    assert (optional_whole(" ", "low"), optional_whole("3", "low")) == (None, 3)


def test_a_code_gives_its_meaning() -> None:
    assert code("3", "where_prec", UCDP_WHERE_PRECISION) == (3, LocationPrecision.ADM2)


def test_an_unknown_code_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="9 is not one of 1, 2, 3, 4, 5, 6, 7"):
        code("9", "where_prec", UCDP_WHERE_PRECISION)
