from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from ceasefire.domain.events import EventLocation, EventTime, Report
from ceasefire.domain.precision import LocationPrecision
from ceasefire.ingest.rows import ParsedRow, RowError


def test_row_error_reads_as_row_number_then_reason() -> None:
    error = RowError(7, "column 'latitude': 91.2 is outside -90..90", {"latitude": "91.2"})

    assert str(error) == "row 7: column 'latitude': 91.2 is outside -90..90"


def test_row_error_keeps_the_original_fields() -> None:
    error = RowError(3, "column 'id' is empty", {"id": "", "latitude": "48.1"})

    assert error.fields == {"id": "", "latitude": "48.1"}


def test_parsed_row_cannot_be_changed() -> None:
    report = Report(
        source="test",
        source_id="1",
        time=EventTime.dates(date(2016, 2, 27), date(2016, 2, 27)),
        location=EventLocation(37.8, 48.0, LocationPrecision.EXACT),
    )
    row = ParsedRow(1, report)

    with pytest.raises(dataclasses.FrozenInstanceError):
        row.row = 2  # type: ignore[misc]
    assert row.report.source_id == "1"
