"""GET /api/v1/incidents/export: every matching incident, streamed, as the caller's party
may read it; CSV with HXL hashtags, GeoJSON, XLSX, ACLED."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

ROUTE = "/api/v1/incidents/export"
REPORT = {
    "source": "field",
    "source_id": "=HYPERLINK(1)",
    "time": "2016-03-02T08:00:00+02:00",
    "lon": 36.29,
    "lat": 33.51,
    "place": "Douma",
    "event_type": "Battles",
    "fatalities": {"low": 1, "best": 2, "high": 4},
    "narrative": "@SUM(1) shelling",
}


@pytest.fixture
def filed(client: TestClient) -> TestClient:
    answer = client.post("/api/v1/reports", json=REPORT)
    assert answer.status_code == 201, answer.text
    return client


def test_the_csv_export_carries_hashtags_and_neutralised_cells(filed: TestClient) -> None:
    answer = filed.get(ROUTE)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    header, hashtags, first = rows[0], rows[1], rows[2]
    assert hashtags[header.index("lat")] == "#geo+lat"
    assert first[header.index("report_source_ids")] == "field:=HYPERLINK(1)"
    assert first[header.index("summary")] == "'@SUM(1) shelling"  # a formula, neutralised
    assert first[header.index("fatalities_best")] == "2"
    assert first[header.index("place")] == "Douma"


def test_a_row_a_report_as_geojson_and_xlsx(filed: TestClient) -> None:
    features = json.loads(filed.get(ROUTE, params={"format": "geojson", "rows": "reports"}).text)
    (feature,) = features["features"]
    assert feature["properties"]["narrative"] == "@SUM(1) shelling"  # JSON is not a sheet
    assert feature["properties"]["fatalities_high"] == 4
    book = filed.get(ROUTE, params={"format": "xlsx"})
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content), read_only=True)["incidents"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "#event+id" and len(values) == 3


def test_acled_columns_come_back(filed: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(filed.get(ROUTE, params={"format": "acled"}).text)))
    assert [r["event_id_cnty"] for r in rows] == ["'=HYPERLINK(1)"]
    assert rows[0]["fatalities"] == "2" and rows[0]["time_precision"] == "1"


@pytest.mark.parametrize(
    ("params", "field"), [({"format": "pdf"}, "format"), ({"rows": "actors"}, "rows")]
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    answer = client.get(ROUTE, params=params)
    assert answer.status_code == 422
    assert answer.json()["field"] == field
