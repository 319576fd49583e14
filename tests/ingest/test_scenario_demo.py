"""The event files bundled with the demo scenarios: where they are and what they hold."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape

from ceasefire.domain.taxonomy import check_event_type
from ceasefire.ingest.events import open_events
from ceasefire.ingest.rows import RowError
from ceasefire.scenarios import DEMO_EVENT_FILES, DEMO_SCENARIOS

SCENARIOS_DIR = DEMO_SCENARIOS[0].parent


def features(name: str) -> list[dict[str, Any]]:
    document = json.loads((SCENARIOS_DIR / "data" / name).read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    found: list[dict[str, Any]] = document["features"]
    return found


def test_demo_event_files_are_bundled_with_their_format_and_source() -> None:
    assert [(path.name, fmt, source) for path, fmt, source in DEMO_EVENT_FILES] == [
        ("ucdp_ged_ukraine_2015_2016.csv", "ucdp", "ucdp-ged"),
        ("syrian_archive_reports.geojson", "geojson", "syrian-archive"),
    ]
    assert all(path.is_file() for path, _, _ in DEMO_EVENT_FILES)
    assert all(path.is_file() for path in DEMO_SCENARIOS)


def test_bundled_data_stays_small() -> None:
    total = sum(p.stat().st_size for p in SCENARIOS_DIR.rglob("*") if p.suffix != ".pyc")

    # 1.67 MB: the events, the admin boundaries and, since classification clips an event's
    # possible area to its country, the outlines of Ukraine and Syria (91 KB)
    assert total < 1_700_000


def test_ucdp_file_holds_the_838_rows_of_2015_and_2016_in_utf8() -> None:
    text = (SCENARIOS_DIR / "data" / "ucdp_ged_ukraine_2015_2016.csv").read_text("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))

    assert header[:6] == ["id", "relid", "year", "active_year", "code_status", "type_of_violence"]
    assert len(header) == 49
    assert len(rows) == 838
    assert {row[2] for row in rows} == {"2015", "2016"}
    assert {row[header.index("side_b")] for row in rows} == {
        "DPR",
        "LPR",
        "United Armed Forces of Novorossiya",
    }


def test_ukraine_boundaries_carry_english_names_and_iso_codes() -> None:
    props = [f["properties"] for f in features("ukraine_donbas_oblasts.geojson")]

    assert [(p["iso_3166_2"], p["name_en"], p["name_uk"]) for p in props] == [
        ("UA-14", "Donetsk Oblast", "Донецька область"),
        ("UA-09", "Luhansk Oblast", "Луганська область"),
    ]


def test_syria_boundaries_keep_the_ocha_names_and_codes() -> None:
    props = [f["properties"] for f in features("syria_adm1.geojson")]

    assert [p["ADM1_PCODE"] for p in props] == [f"SY{n:02d}" for n in range(1, 15)]
    assert set(props[0]) == {"ADM1_EN", "ADM1_AR", "ADM1_PCODE", "province_name", "aliases_en"}


@pytest.fixture(scope="module")
def reports() -> list[dict[str, Any]]:
    return features("syrian_archive_reports.geojson")


@pytest.fixture(scope="module")
def governorates() -> dict[str, Any]:
    return {
        f["properties"]["ADM1_EN"]: shape(f["geometry"]) for f in features("syria_adm1.geojson")
    }


def test_syrian_archive_reports_have_unique_ids_and_both_sources(
    reports: list[dict[str, Any]],
) -> None:
    ids = [r["properties"]["source_id"] for r in reports]

    assert len(ids) == len(set(ids))
    assert sum(i.startswith("RU_") for i in ids) == 1568
    assert {r["properties"]["sub_event_type"] for r in reports} == {
        "Air/drone strike",
        "Chemical weapon",
    }


def test_syrian_archive_report_times_carry_the_damascus_offset_or_are_dates(
    reports: list[dict[str, Any]],
) -> None:
    for report in reports:
        props = report["properties"]
        if "time" in props:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[23]:00", props["time"])
            day = datetime.fromisoformat(props["time"]).date()
        else:
            day = date.fromisoformat(props["date"])
        assert date(2015, 9, 1) <= day <= date(2016, 12, 31)
        if props["sub_event_type"] == "Air/drone strike":
            assert day <= date(2016, 9, 30)


def test_syrian_archive_reports_lie_in_the_governorate_they_name(
    reports: list[dict[str, Any]], governorates: dict[str, Any]
) -> None:
    for report in reports:
        props = report["properties"]
        assert props["country"] == "Syria"
        assert props["location_precision"] in ("exact", "adm1")
        assert governorates[props["admin1"]].covers(shape(report["geometry"]))


def test_syrian_archive_reports_use_acled_types_and_cite_their_record(
    reports: list[dict[str, Any]],
) -> None:
    for report in reports:
        props = report["properties"]
        pair = (props["event_type"], props["sub_event_type"])
        assert check_event_type(*pair) == pair
        assert props["source"] == "syrian-archive"
        assert props["citations"][0].startswith(f"Syrian Archive, {props['source_id']}, ")
        assert props["narrative"]
        assert props["actors"] in ([], ["Russian Air Force"])


@pytest.mark.parametrize(
    ("path", "fmt", "source"), DEMO_EVENT_FILES, ids=[p.name for p, _, _ in DEMO_EVENT_FILES]
)
def test_bundled_event_file_imports_without_a_row_error(path: Path, fmt: str, source: str) -> None:
    with open_events(path, fmt, source=source) as events:  # type: ignore[arg-type]
        rows = list(events.rows())

    assert rows
    assert [row for row in rows if isinstance(row, RowError)] == []
