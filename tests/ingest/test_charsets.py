from __future__ import annotations

import codecs
import io

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.charsets import (
    LATIN1_FALLBACK,
    detect_encoding,
    find_undecodable,
    first_undecodable_byte,
    given_encoding,
    show_undecodable,
)


def detect(data: bytes, chunk_size: int = 1 << 20) -> str:
    encoding = detect_encoding(io.BytesIO(data), chunk_size)
    return encoding.codec


def test_utf8_byte_order_mark_means_utf8_sig() -> None:
    assert detect(codecs.BOM_UTF8 + "place\nMariïnka\n".encode()) == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_byte_order_mark_means_utf16(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE

    assert detect(bom + "place\nDonetsk\n".encode(codec)) == "utf-16"


def test_valid_utf8_is_utf8() -> None:
    encoding = detect_encoding(io.BytesIO("place\nДонецьк\n".encode()))

    assert (encoding.codec, encoding.reason) == ("utf-8", "valid UTF-8")


def test_ascii_is_utf8() -> None:
    assert detect(b"place\nDonetsk\n") == "utf-8"


def test_accented_single_byte_text_is_cp1252() -> None:
    data = "place,note\nMariïnka,it’s near Dnipró\n".encode("cp1252")

    assert detect(data) == "cp1252"


def test_utf8_with_a_few_stray_bytes_stays_utf8() -> None:
    data = "place\nДонецьк\nЛуганськ\n".encode() + b"Mari\xe9nka\n"

    encoding = detect_encoding(io.BytesIO(data))

    assert encoding.codec == "utf-8"
    assert encoding.errors == "surrogateescape"
    assert encoding.reason == "UTF-8 but for 1 invalid byte sequences (15 valid)"


def test_a_sequence_cut_by_a_chunk_boundary_is_not_a_stray_byte() -> None:
    data = ("x" * 5 + "Дон" * 40).encode()

    assert detect(data, chunk_size=7) == "utf-8"
    encoding = detect_encoding(io.BytesIO(data), chunk_size=7)
    assert encoding.reason == "valid UTF-8"


def test_detection_leaves_the_stream_at_its_start() -> None:
    stream = io.BytesIO(b"id\n1\n")

    detect_encoding(stream)

    assert stream.read() == b"id\n1\n"


def test_bytes_cp1252_lacks_read_as_latin1() -> None:
    assert b"a\x81b\x92".decode("cp1252", errors=LATIN1_FALLBACK) == "a\x81b\u2019"


def test_given_encoding_is_checked_to_exist() -> None:
    with pytest.raises(InvalidInputError, match="'klingon' is not a known encoding"):
        given_encoding("klingon")


def test_given_encoding_uses_the_codecs_own_name() -> None:
    assert given_encoding("Latin-1").codec == "iso8859-1"


def test_undecodable_bytes_are_shown_as_hex_escapes() -> None:
    text = b"Mari\xe9nka \xff".decode("utf-8", errors="surrogateescape")

    assert show_undecodable(text) == "Mari\\xe9nka \\xff"
    assert first_undecodable_byte(text) == 0xE9


def test_clean_text_has_no_undecodable_byte() -> None:
    assert first_undecodable_byte("Маріїнка") is None


def test_only_a_file_that_decoded_whole_needs_no_check_for_undecodable_bytes() -> None:
    valid = detect_encoding(io.BytesIO("place\nДонецьк\n".encode()))
    broken = detect_encoding(io.BytesIO("place\nДонецьк\nЛуганськ\n".encode() + b"\xe9\n"))
    single_byte = detect_encoding(io.BytesIO("place\nMariïnka\n".encode("cp1252")))

    assert valid.may_leave_undecodable is False
    assert broken.may_leave_undecodable is True
    assert single_byte.may_leave_undecodable is False
    assert given_encoding("utf-8").may_leave_undecodable is True


def test_the_first_value_with_an_undecodable_byte_is_found_with_the_byte() -> None:
    values = ["Донецьк", *(b"Mari\xe9nka \xff".decode("utf-8", "surrogateescape") for _ in "ab")]

    assert find_undecodable(values) == (1, 0xE9)


@pytest.mark.parametrize("values", [["Donetsk", "1"], ["Донецьк", "Mariïnka", "\ud800"]])
def test_values_without_undecodable_bytes_have_none(values: list[str]) -> None:
    assert find_undecodable(values) is None


HEADER = "event_id_cnty,country,admin1,location,actor1,notes\n"
TEXTS = {
    "cp1251": "UKR1,Украина,Донецкая область,Донецк,Вооружённые силы Украины,Обстрел кварталов\n",
    "cp1256": "SYR1,سوريا,حلب,حلب,الجيش العربي السوري,قصف على الأحياء السكنية\n",
    "koi8_r": "UKR2,Украина,Луганская область,Луганск,Народная милиция ЛНР,Обстрел\n",
    "latin_1": "FRA1,France,Île-de-France,Créteil,Gendarmerie,Manifestation à côté\n",
    "utf_16_le": "UKR3,Украина,Донецкая область,Донецк,ЗСУ,обстрел\n",
    "utf_16_be": "SYR2,سوريا,حلب,حلب,الجيش,قصف\n",
}


@pytest.mark.parametrize("codec", sorted(TEXTS))
def test_files_in_the_encodings_users_export_in_read_intact(codec: str) -> None:
    data = (HEADER + TEXTS[codec]).encode(codec)
    found = detect_encoding(io.BytesIO(data))
    assert data.decode(found.codec) == HEADER + TEXTS[codec], found


def test_a_file_the_detector_cannot_place_asks_for_its_encoding() -> None:
    # three bytes: Cyrillic in cp1251 or in KOI8-R, as likely either way
    with pytest.raises(
        InvalidInputError, match=r"may be any of .*give its encoding with --encoding"
    ):
        detect_encoding(io.BytesIO("place\nДон\n".encode("cp1251")))


def test_a_few_accented_letters_are_read_as_latin_not_cyrillic() -> None:
    found = detect_encoding(io.BytesIO("place\nMariïnka\nCafé\n".encode("cp1252")))
    assert found.codec == "cp1252"
