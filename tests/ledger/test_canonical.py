"""Canonical JSON is RFC 8785's, to the byte: the RFC's examples and an independent package."""

from __future__ import annotations

import json
import math
import struct
from types import MappingProxyType

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import canonical
from ceasefire.ledger.canonical import (
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    JsonValue,
    canonical_json,
    freeze,
    freeze_canonical,
    parse_canonical,
    thaw,
)

TRICKY_FLOATS = [1e21, 1e20, 1e-7, 1e-6, -0.0, 5e-324, 1.7976931348623157e308, 0.1, 1e16, 2.0**60]

characters = st.one_of(
    st.characters(max_codepoint=0x1F),  # control characters
    st.characters(min_codepoint=0x10000),  # astral: two UTF-16 code units
    st.characters(codec="utf-8"),  # anything but a lone surrogate
)
json_strings = st.text(alphabet=characters, max_size=12)
json_numbers = st.one_of(
    st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(TRICKY_FLOATS).map(lambda x: x * 1.0),
    st.sampled_from(TRICKY_FLOATS).map(lambda x: -x),
)
json_scalars = st.one_of(st.none(), st.booleans(), json_numbers, json_strings)
json_values: st.SearchStrategy[JsonValue] = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(json_strings, inner, max_size=4),
    ),
    max_leaves=12,
)
json_objects = st.dictionaries(json_strings, json_values, max_size=5)
# What records hold: ASCII member names, any text, coordinates, counts and whole-number
# scores (1.0). These take the fast path (Python's own encoder), so the properties below
# test it as well.
record_values: st.SearchStrategy[JsonValue] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        json_strings,
        st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
        st.floats(min_value=1e-4, max_value=1e15).filter(lambda x: not x.is_integer()),
        st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER).map(float),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(st.characters(max_codepoint=0x7F), max_size=6), inner, max_size=4),
    ),
    max_leaves=16,
)


def double(bits: str) -> float:
    value: float = struct.unpack(">d", bytes.fromhex(bits))[0]
    return value


def test_the_rfc_example_of_section_3_2_2_canonicalises_as_published() -> None:
    value: dict[str, JsonValue] = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    assert (
        canonical_json(value)
        == (
            '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
            '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
        ).encode()
    )


def test_members_sort_by_utf16_code_units_as_in_section_3_2_3() -> None:
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    names = list(json.loads(canonical_json(value)).values())
    assert names == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",  # U+1F600 is D83D DE00: below U+FB33 in UTF-16
        "Hebrew Letter Dalet With Dagesh",
    ]


@pytest.mark.parametrize(
    ("bits", "text"),
    [
        ("0000000000000000", "0"),
        ("8000000000000000", "0"),
        ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"),
        ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"),
        ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"),
        ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"),
        ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"),
        ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"),
        ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
        ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"),
        ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"),
        ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"),
        ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ],
)
def test_numbers_print_as_the_rfc_appendix_b_table(bits: str, text: str) -> None:
    assert canonical_json(double(bits)) == text.encode()


@given(json_values)
@settings(max_examples=300)
def test_every_value_canonicalises_as_the_independent_rfc8785_package_does(
    value: JsonValue,
) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)


@given(record_values)
@settings(max_examples=300)
def test_values_on_the_fast_path_canonicalise_as_the_rfc8785_package_does(
    value: JsonValue,
) -> None:
    assert canonical._plain(value, 0)
    assert canonical_json(value) == rfc8785.dumps(value)
    assert parse_canonical(rfc8785.dumps(value)) == thaw(freeze(value))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, b"1"),
        (-2.0, b"-2"),
        (-0.0, b"0"),
        ({"score": 1.0, "at": [36.5, 2.0]}, b'{"at":[36.5,2],"score":1}'),
    ],
)
def test_whole_floats_take_the_fast_path_written_as_the_integers_they_equal(
    value: JsonValue, text: bytes
) -> None:
    assert canonical._plain(value, 0) == canonical._WHOLE
    assert canonical_json(value) == text == rfc8785.dumps(value)
    frozen, frozen_text = freeze_canonical(value)
    assert frozen_text == text
    assert thaw(frozen) == thaw(freeze(value)) == parse_canonical(text)
    # and the frozen copies hold the integers, as the text reads back
    assert canonical._plain(frozen, 0) == canonical._plain(freeze(value), 0) == canonical._AS_IS


@pytest.mark.parametrize(
    "value", [1e16, 1e-5, 2.0**60, 2.0**-20, 2.0**53, MappingProxyType({"é": 1})]
)
def test_values_the_fast_encoder_would_spell_differently_take_the_general_path(
    value: JsonValue,
) -> None:
    assert not canonical._plain(value, 0)
    assert canonical_json(value) == rfc8785.dumps(
        value if not isinstance(value, MappingProxyType) else dict(value)
    )


@given(json_values)
def test_canonical_text_reads_back_to_a_value_with_the_same_text(value: JsonValue) -> None:
    text = canonical_json(value)
    assert canonical_json(parse_canonical(text)) == text
    assert canonical_json(freeze(value)) == text
    assert canonical_json(thaw(freeze(value))) == text


@given(json_objects)
def test_any_other_spelling_of_the_same_json_is_refused(value: dict[str, JsonValue]) -> None:
    spaced = json.dumps(value, indent=1, ensure_ascii=True).encode()
    if spaced != canonical_json(value):
        with pytest.raises(InvalidInputError):
            parse_canonical(spaced)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-0.0, b"0"),
        (1.0, b"1"),
        (1e21, b"1e+21"),
        (1e-7, b"1e-7"),
        (5e-324, b"5e-324"),
        (MAX_SAFE_INTEGER, b"9007199254740991"),
        (-MAX_SAFE_INTEGER, b"-9007199254740991"),
        ("\x00\x1f\x7f\u2028", b'"\\u0000\\u001f\x7f\xe2\x80\xa8"'),
        ("\U0001f600", b'"\xf0\x9f\x98\x80"'),
        ((1, "a"), b'[1,"a"]'),
        (MappingProxyType({"b": 1, "a": None}), b'{"a":null,"b":1}'),
    ],
)
def test_edge_values_have_the_canonical_text(value: JsonValue, text: bytes) -> None:
    assert canonical_json(value) == text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_naming_the_path(value: float) -> None:
    with pytest.raises(InvalidInputError, match=r"^change\.casualties\[1\]: .* only finite"):
        canonical_json({"casualties": [0, value]}, field="change")


@pytest.mark.parametrize("value", [2**53, -(2**53), 10**20])
def test_integers_beyond_the_safe_range_are_refused(value: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"^value: {value} is outside ±\(2\*\*53 − 1\)"):
        canonical_json(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a\ud800b", r"lone surrogate U\+D800 at 1"),
        ({1: "x"}, r"key 1 is of type int, not a string"),
        ({"\udc00": 1}, r"lone surrogate U\+DC00"),
        ({1, 2}, r"type set has no JSON form"),
        (b"bytes", r"type bytes has no JSON form"),
    ],
)
def test_values_that_are_not_i_json_are_refused(value: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        canonical_json(value)  # type: ignore[arg-type]


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    value: JsonValue = []
    for _ in range(MAX_DEPTH):
        value = [value]
    with pytest.raises(InvalidInputError, match=f"nests deeper than {MAX_DEPTH}"):
        canonical_json(value)
    assert canonical_json(value[0]).startswith(b"[[")  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'{"a":1, "b":2}', "not in RFC 8785 canonical form"),
        (b'{"b":1,"a":2}', "not in RFC 8785 canonical form"),
        (b'{"a":1,"a":1}', "has the member 'a' twice"),
        (b'{"a":NaN}', "holds NaN, which is not JSON"),
        (b'{"a":1e400}', "inf has no JSON form"),
        (b"1.0", "not in RFC 8785 canonical form"),
        (b"12345678901234567891", "not in RFC 8785 canonical form"),
        (b'"\\u0041"', "not in RFC 8785 canonical form"),
        (b'"\\/"', "not in RFC 8785 canonical form"),
        (b'"\\ud800"', "lone surrogate"),
        (b"\xef\xbb\xbf{}", "is not JSON"),
        (b'"\xff"', "is not UTF-8: byte 1"),
        (b"{", "is not JSON"),
    ],
)
def test_reading_refuses_text_that_is_not_canonical(text: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_canonical(text)


def test_integers_past_the_safe_range_read_back_as_the_doubles_they_denote() -> None:
    assert canonical_json(1e16) == b"10000000000000000"
    value = parse_canonical(b"10000000000000000")
    assert isinstance(value, float)
    assert value == 1e16


def test_a_frozen_copy_cannot_be_changed_and_a_thawed_one_is_plain() -> None:
    actors: list[JsonValue] = ["a"]
    original: dict[str, JsonValue] = {"actors": actors, "casualties": {"best": 1.0}}
    frozen = freeze(original)
    actors.append("b")
    assert frozen == MappingProxyType({"actors": ("a",), "casualties": {"best": 1}})
    with pytest.raises(TypeError):
        frozen["actors"] = []  # type: ignore[index]
    assert thaw(frozen) == {"actors": ["a"], "casualties": {"best": 1}}
    assert type(thaw(frozen)) is dict
