"""Exports as a researcher takes them: CSV with HXL hashtags, XLSX, GeoJSON and ACLED's CSV,
through the command line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import hxl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from ceasefire.cli import app
from ceasefire.domain.visibility import Audience
from ceasefire.scenarios import DEMO_SCENARIOS
from ceasefire.services import queries
from ceasefire.store.database import Database

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
Run = Callable[..., Result]
UKRAINE = next(p for p in DEMO_SCENARIOS if p.name.startswith("ukraine"))


@pytest.fixture
def loaded(run: Run) -> Run:
    assert run("load", str(UKRAINE)).exit_code == 0
    sample = str(FIXTURES / "ucdp_ged_sample.csv")
    assert run("import", "events", sample, "--format", "ucdp").exit_code == 0
    return run


def test_the_csv_export_carries_hxl_hashtags_that_libhxl_reads(loaded: Run, tmp_path: Path) -> None:
    out = tmp_path / "incidents.csv"
    assert loaded("incidents", "export", "-o", str(out)).exit_code == 0
    with out.open("rb") as handle:
        dataset = hxl.data(handle)
        tags = {column.display_tag for column in dataset.columns}
        rows = list(dataset)
    for expected in (
        "#event+id",
        "#date+start",
        "#geo+lat",
        "#geo+lon",
        "#adm1+name",
        "#adm2+name",
        "#loc+name",
        "#actor+name",
        "#affected+killed",
        "#affected+killed+min",
        "#affected+killed+max",
        "#status+classification",
        "#status+finding+joint",
        "#meta+ledger+index",
    ):
        assert expected in tags
    assert rows
    assert all(row.get("#geo+lat") for row in rows)
    assert any(row.get("#actor+name") for row in rows)
    assert any(row.get("#affected+killed") not in (None, "") for row in rows)
    assert all(row.get("#meta+ledger+index").split(";")[0].isdigit() for row in rows)


def test_the_csv_header_keeps_the_old_columns_first_then_places_actors_and_deaths(
    loaded: Run,
) -> None:
    lines = loaded("incidents", "export", "--no-hxl").output.splitlines()
    header = next(csv.reader([lines[0]]))
    assert header[:3] == ["id", "report_source_ids", "time_start_utc"]
    assert {"admin1", "admin2", "place", "actors", "fatalities_best", "joint_finding"} <= set(
        header
    )
    assert not lines[1].startswith("#")


def test_the_xlsx_export_holds_the_same_rows_and_no_formula(loaded: Run, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(loaded("incidents", "export").output)))
    out = tmp_path / "incidents.xlsx"
    result = loaded("incidents", "export", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {len(rows) - 2} incidents" in result.output
    sheet = load_workbook(out, read_only=True)["incidents"]
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells[0] == rows[0] and cells[1] == rows[1]
    assert [r[0] for r in cells[2:]] == [r[0] for r in rows[2:]]


def test_an_xlsx_export_needs_a_file(loaded: Run) -> None:
    result = loaded("incidents", "export", "--format", "xlsx")
    assert result.exit_code == 2
    assert result.output.startswith("error: --output")


def test_a_formula_in_a_source_is_text_in_the_xlsx(run: Run, tmp_path: Path) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    sample = str(FIXTURES / "ucdp_ged_sample.csv")
    result = run("import", "events", sample, "--format", "ucdp", "--source", "=HYPERLINK(1)")
    assert result.exit_code == 0
    out = tmp_path / "incidents.xlsx"
    assert run("incidents", "export", "--format", "xlsx", "-o", str(out)).exit_code == 0
    book = load_workbook(out)
    values = [c.value for row in book["incidents"].iter_rows(min_row=3) for c in row]
    assert any(str(v).startswith("'=HYPERLINK(1):") for v in values)
    assert not any(c.data_type == "f" for row in book["incidents"].iter_rows() for c in row)


def test_the_geojson_export_carries_places_actors_and_deaths(loaded: Run) -> None:
    collection = json.loads(loaded("incidents", "export", "--format", "geojson").output)
    properties = [f["properties"] for f in collection["features"]]
    assert properties
    assert all(set(p["fatalities"]) == {"low", "best", "high"} for p in properties)
    assert any(p["admin1"] for p in properties)
    assert any(p["actors"] for p in properties)


def test_the_acled_export_reads_back_as_the_same_reports(
    run: Run, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quarantine = tmp_path / "bad.csv"
    acled = str(FIXTURES / "acled_sample.csv")
    imported = run("import", "events", acled, "--format", "acled", "--quarantine", str(quarantine))
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "acled.csv"
    exported = run("incidents", "export", "--format", "acled", "--source", "acled", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    again = Database(f"sqlite:///{tmp_path / 'again.sqlite'}")
    monkeypatch.setattr("ceasefire.cli.common.Database", Database)  # (not the test's schema)
    result = CliRunner().invoke(
        app, ["--db", again.url, "import", "events", str(out), "--format", "acled"]
    )
    assert result.exit_code == 0, result.output
    everyone = Audience.operator()
    first = [r.report for r in queries.list_reports(db, everyone)]
    second = [r.report for r in queries.list_reports(again, everyone)]
    again.dispose()
    assert first
    assert sorted(second, key=lambda r: r.source_id) == sorted(first, key=lambda r: r.source_id)


@pytest.mark.parametrize("form", ["csv", "geojson"])
def test_a_row_a_report_keeps_each_reports_own_claims(loaded: Run, form: str) -> None:
    exported = loaded("incidents", "export", "--format", form, "--rows", "reports").output
    if form == "csv":
        rows = list(csv.DictReader(io.StringIO(exported)))[1:]  # under the hashtag row
    else:
        rows = [{**f["properties"], "report_id": f["id"]} for f in json.loads(exported)["features"]]
    with (FIXTURES / "ucdp_ged_sample.csv").open(encoding="utf-8", newline="") as handle:
        sample = list(csv.DictReader(handle))
    assert {r["source_id"] for r in rows} <= {s["id"] for s in sample}
    assert rows and all(r["source"] == "ucdp-ged" for r in rows)
    assert all(str(r["ledger_index"]).isdigit() for r in rows)
    by_id = {s["id"]: s for s in sample}
    for row in rows:
        given = by_id[row["source_id"]]
        assert str(row["fatalities_best"]) == given["best"]
