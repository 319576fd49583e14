"""Reading the UN Security Council Consolidated List as the UN publishes it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest import unlist
from ceasefire.ingest.unlist import read_un_list, split_names

from .conftest import SHARED_DATA

UN_LIST = SHARED_DATA / "sanctions" / "un_sc_consolidated_list_2018-10-29.xml"


def test_one_alias_field_holds_several_names() -> None:
    field = """جبهة النصرة (the Victory Front; Jabhat al-Nusrah;
                        Jabhet al-Nusra; Al-Nusrah Front; Al-Nusra Front)"""
    assert split_names(field) == [
        "جبهة النصرة",
        "the Victory Front",
        "Jabhat al-Nusrah",
        "Jabhet al-Nusra",
        "Al-Nusrah Front",
        "Al-Nusra Front",
    ]
    assert split_names("شبكة أنصار المجاهدين (Ansar al-Mujahideen Network - sub-unit name)") == [
        "شبكة أنصار المجاهدين",
        "Ansar al-Mujahideen Network",
    ]
    assert split_names("Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script)") == [
        "Hay’at Tahrir al-Sham",
        "HTS",
        "هيئة تحرير الشام",
    ]


@pytest.mark.shared_data
def test_the_2018_list_reads_whole_with_every_script() -> None:
    listed = read_un_list(UN_LIST)
    assert sum(e.kind == "entity" for e in listed) == 390
    assert sum(e.kind == "individual" for e in listed) == 703
    nusra = next(e for e in listed if e.reference == "QDe.137")
    assert nusra.name == "AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT"
    assert nusra.listed_on == date(2014, 5, 14)
    assert nusra.list_type == "Al-Qaida"
    for alias in ("جبهة النصرة لأهل الشام", "HTS", "Jabhat Fateh Al-Sham", "Jabhet al-Nusra"):
        assert alias in nusra.aliases
    azzam = next(e for e in listed if e.reference == "QDe.144")
    assert (azzam.name, azzam.aliases[0]) == ("ABDALLAH AZZAM BRIGADES", "AAB")
    # an individual's weak ("Low") aliases are left out, good ones kept
    aselderov = next(e for e in listed if "ASELDEROV" in e.name)
    assert "Abu Muhammad" not in aselderov.aliases
    assert "Рустам Магомедович Асельдеров" in aselderov.aliases


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "list.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>'
    )
    with pytest.raises(InvalidInputError, match="not a readable XML list"):
        read_un_list(_write(tmp_path, bomb))


def test_another_document_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="<html>, not <CONSOLIDATED_LIST>"):
        read_un_list(_write(tmp_path, "<html><body/></html>"))
    with pytest.raises(InvalidInputError, match="not a readable XML list"):
        read_un_list(_write(tmp_path, "\ufeffreference,name\nQDe.1,x\n"))


def test_an_entry_without_a_reference_or_with_a_bad_date_is_named(tmp_path: Path) -> None:
    entity = "<ENTITY><FIRST_NAME>X</FIRST_NAME>{}</ENTITY>"
    document = "<CONSOLIDATED_LIST><ENTITIES>{}</ENTITIES></CONSOLIDATED_LIST>"
    with pytest.raises(InvalidInputError, match="ENTITY number 1 has none"):
        read_un_list(_write(tmp_path, document.format(entity.format(""))))
    bad = entity.format("<REFERENCE_NUMBER>QDe.9</REFERENCE_NUMBER><LISTED_ON>May</LISTED_ON>")
    with pytest.raises(InvalidInputError, match=re.escape("QDe.9: 'May' is not a date")):
        read_un_list(_write(tmp_path, document.format(bad)))


def test_a_file_over_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unlist, "MAX_BYTES", 10)
    with pytest.raises(InvalidInputError, match="more than 10 allowed"):
        read_un_list(_write(tmp_path, "<CONSOLIDATED_LIST/>"))
