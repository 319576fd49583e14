from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.events import EventFile, EventFormat, open_events
from ceasefire.ingest.geojson import GeoJsonFile

SAMPLES: dict[EventFormat, str] = {
    "ucdp": "ucdp_ged_sample.csv",
    "acled": "acled_sample.csv",
    "geojson": "monitoring_events.geojson",
}


@pytest.mark.parametrize(
    ("format", "first_column"), [("ucdp", "id"), ("acled", "id"), ("geojson", "feature")]
)
def test_each_format_opens_as_an_event_file(
    fixtures: Path, format: EventFormat, first_column: str
) -> None:
    with open_events(fixtures / SAMPLES[format], format) as events:
        assert isinstance(events, EventFile)
        assert events.columns[0] == first_column
        assert events.bytes_total == (fixtures / SAMPLES[format]).stat().st_size
        assert all(r.row == n for n, r in enumerate(events.rows(), 1))


def test_geojson_opens_as_a_geojson_file(fixtures: Path) -> None:
    with open_events(fixtures / SAMPLES["geojson"], "geojson") as events:
        assert isinstance(events, GeoJsonFile)


@pytest.mark.parametrize("format", ["ucdp", "acled", "geojson"])
def test_a_file_that_does_not_exist_is_named(tmp_path: Path, format: EventFormat) -> None:
    path = tmp_path / "missing.csv"

    with pytest.raises(InvalidInputError) as raised:
        open_events(path, format)

    assert str(raised.value) == f"{path}: cannot be read (No such file or directory)"


@pytest.mark.parametrize("format", ["ucdp", "acled", "geojson"])
def test_an_unknown_encoding_is_refused(fixtures: Path, format: EventFormat) -> None:
    with pytest.raises(InvalidInputError, match="encoding: 'utf-99' is not a known encoding"):
        open_events(fixtures / SAMPLES[format], format, encoding="utf-99")


def test_a_ged_file_read_as_acled_names_acleds_missing_columns(fixtures: Path) -> None:
    with pytest.raises(InvalidInputError, match="missing columns for ACLED: actor1, event_date"):
        open_events(fixtures / SAMPLES["ucdp"], "acled")
