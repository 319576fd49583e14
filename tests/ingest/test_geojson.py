from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import ActorMention, Fatalities
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.ingest.geojson import GeoJsonFile
from ceasefire.ingest.rows import RowError

from .reading import ReadEvents

FILE = "monitoring_events.geojson"


def write_features(path: Path, *features: object) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": list(features)}), encoding="utf-8"
    )
    return path


def point(**properties: object) -> dict[str, object]:
    geometry = {"type": "Point", "coordinates": [37.8, 48.0]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_a_feature_with_an_offset_time_is_an_exact_report(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / FILE, "geojson").report("MON-1")

    assert report.time.start == datetime(2016, 2, 27, 8, 30, tzinfo=UTC)
    assert report.time.precision is TimePrecision.EXACT
    assert (report.location.lon, report.location.lat) == (37.8028, 48.0159)
    assert report.location.precision is LocationPrecision.EXACT
    assert (report.location.place, report.location.admin1, report.location.country) == (
        "Strelna",
        "Vostok",
        "Ruritania",
    )
    assert report.event_type == "Explosions/Remote violence"
    assert report.fatalities == Fatalities(best=2)
    assert report.narrative == "Made-up shelling seen by a patrol."
    assert report.citations == ("Patrol report 17",)


def test_the_source_defaults_to_the_files_stem(fixtures: Path, read_events: ReadEvents) -> None:
    assert read_events(fixtures / FILE, "geojson").report("MON-1").source == "monitoring_events"


def test_a_features_own_source_beats_the_files_stem(
    fixtures: Path, read_events: ReadEvents
) -> None:
    assert read_events(fixtures / FILE, "geojson").report("2").source == "field-team"


def test_a_given_source_beats_the_features_own(fixtures: Path, read_events: ReadEvents) -> None:
    read = read_events(fixtures / FILE, "geojson", source="osce")

    assert {r.source for r in read.reports} == {"osce"}


def test_actors_may_be_names_or_name_and_role(fixtures: Path, read_events: ReadEvents) -> None:
    report = read_events(fixtures / FILE, "geojson").report("MON-1")

    assert report.actors == (
        ActorMention("Northern Front"),
        ActorMention("Army of Ruritania", role="target"),
    )


def test_other_properties_become_string_attributes(fixtures: Path, read_events: ReadEvents) -> None:
    attributes = read_events(fixtures / FILE, "geojson").report("MON-1").attributes

    assert attributes == {"patrol": "P-4", "confirmed": "true", "calibre_mm": "122"}


def test_a_week_precise_date_widens_to_the_week_around_it(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / FILE, "geojson").report("2")

    assert (report.time.first_date, report.time.last_date) == (date(2016, 3, 7), date(2016, 3, 13))
    assert report.time.precision is TimePrecision.WEEK
    assert report.location.precision is LocationPrecision.NEAR
    assert report.fatalities == Fatalities(low=1, best=2, high=4)


def test_a_date_range_spans_its_days(fixtures: Path, read_events: ReadEvents) -> None:
    report = read_events(fixtures / FILE, "geojson").report("MON-3")

    assert (report.time.first_date, report.time.last_date) == (date(2016, 3, 1), date(2016, 3, 3))
    assert report.location.precision is LocationPrecision.ADM2


def test_each_bad_feature_is_a_row_error_naming_its_key(
    fixtures: Path, read_events: ReadEvents
) -> None:
    reasons = read_events(fixtures / FILE, "geojson").reasons()

    assert reasons == {
        4: "geometry is missing",
        5: "geometry: 'Polygon' is not a Point",
        6: "property 'time': '2016-03-06T08:00:00' has no UTC offset",
        7: reasons[7],
        8: (
            "property 'location_precision': 'village' is not one of exact, settlement, near, "
            "adm2, adm1, region, country, water"
        ),
        9: "property 'source_id' is missing",
        10: "property 'fatalities': -1 is negative",
        11: "geometry latitude: 91.2 is outside -90..90",
    }
    assert reasons[7].startswith("property 'event_type': 'Batles' is not an ACLED event type")


def test_a_bad_feature_is_quarantined_as_compact_json(
    fixtures: Path, read_events: ReadEvents
) -> None:
    read = read_events(fixtures / FILE, "geojson")
    error = next(e for e in read.errors if e.row == 4)

    assert read.columns == ["feature"]
    assert json.loads(error.fields["feature"])["properties"]["source_id"] == "MON-4"
    assert " " not in error.fields["feature"]


@pytest.mark.parametrize(
    ("properties", "reason"),
    [
        (
            {"source_id": "a"},
            "no time: give property 'time', 'date', or 'date_start' and 'date_end'",
        ),
        ({"source_id": "a", "date": "2016-3-1"}, "property 'date': '2016-3-1' is not a date"),
        ({"source_id": "a", "date_start": "2016-03-01"}, "property 'date_end' is missing"),
        (
            {"source_id": "a", "date": "2016-03-01", "time_precision": "decade"},
            "property 'time_precision': 'decade' is not one of day, week, month, year",
        ),
        (
            {"source_id": "a", "time": "2016-03-01T10:00Z", "time_precision": "day"},
            "property 'time_precision': 'day' does not go with 'time' (exact)",
        ),
        ({"source_id": "a", "time": "noon"}, "property 'time': 'noon' is not an ISO 8601 time"),
        (
            {"source_id": "a", "date": "2016-03-01", "actors": "Front"},
            "property 'actors': \"Front\" is not a list",
        ),
        (
            {"source_id": "a", "date": "2016-03-01", "actors": [{"role": "x"}]},
            'property \'actors\': item 1 {"role":"x"} is not a name or a {name, role}',
        ),
        (
            {"source_id": "a", "date": "2016-03-01", "fatalities": "2"},
            "property 'fatalities': \"2\" is not a count or a {low, best, high}",
        ),
        (
            {"source_id": "a", "date": "2016-03-01", "citations": [1]},
            "property 'citations': [1] is not a list of strings",
        ),
        (
            {"source_id": "a", "date": "2016-03-01", "place": 7},
            "property 'place': 7 is not a string",
        ),
    ],
)
def test_a_bad_property_names_itself_and_its_value(
    tmp_path: Path, read_events: ReadEvents, properties: dict[str, object], reason: str
) -> None:
    path = write_features(tmp_path / "events.geojson", point(**properties))

    assert read_events(path, "geojson").reasons() == {1: reason}


def test_an_event_in_the_future_is_a_row_error_naming_the_property_of_its_start(
    tmp_path: Path,
) -> None:
    now = datetime(2016, 3, 1, 12, 0, tzinfo=UTC)
    path = write_features(
        tmp_path / "events.geojson",
        point(source_id="a", time="2016-03-02T12:00Z"),  # a day ahead: kept
        point(source_id="b", time="2016-03-02T12:01Z"),
        point(source_id="c", date="2031-01-01"),
        point(source_id="d", date_start="2016-03-05", date_end="2016-03-06"),
        point(source_id="e", date="2016-03-01", time_precision="month"),  # begun: kept
    )
    future = "is in the future: an event may start at most one day after now (2016-03-01 12:00 UTC)"

    with GeoJsonFile(path, now=now) as events:
        reasons = {e.row: e.reason for e in events.rows() if isinstance(e, RowError)}

    assert reasons == {
        2: f"property 'time': 2016-03-02T12:01+00:00 {future}",
        3: f"property 'date': 2031-01-01 {future}",
        4: f"property 'date_start': 2016-03-05 {future}",
    }


def test_a_numeric_source_id_becomes_text(tmp_path: Path, read_events: ReadEvents) -> None:
    path = write_features(tmp_path / "events.geojson", point(source_id=17, date="2016-03-01"))

    assert read_events(path, "geojson").reports[0].source_id == "17"


def test_something_that_is_no_feature_is_a_row_error(
    tmp_path: Path, read_events: ReadEvents
) -> None:
    path = write_features(tmp_path / "events.geojson", 42, point(source_id="b", date="2016-03-01"))

    read = read_events(path, "geojson")

    assert read.reasons() == {1: "feature: 42 is not a GeoJSON Feature"}
    assert [r.source_id for r in read.reports] == ["b"]


def test_bytes_read_advances_with_each_feature(tmp_path: Path) -> None:
    features = [point(source_id=str(i), date="2016-03-01") for i in range(4)]
    path = write_features(tmp_path / "events.geojson", *features)
    seen = []

    with GeoJsonFile(path) as events:
        for _ in events.rows():
            seen.append(events.bytes_read)

    assert seen == [events.bytes_total * n // 4 for n in (1, 2, 3, 4)]


def test_invalid_json_is_an_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")

    with pytest.raises(InvalidInputError, match=r"events.geojson: is not valid JSON \("):
        GeoJsonFile(path)


@pytest.mark.parametrize("document", [[], {"type": "Feature"}, {"type": "FeatureCollection"}])
def test_anything_but_a_feature_collection_is_refused(tmp_path: Path, document: object) -> None:
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(InvalidInputError, match="is not a GeoJSON FeatureCollection"):
        GeoJsonFile(path)


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    path.write_bytes(b'{"type": "FeatureCollection", "features": [], "name": "Mari\xe9nka"}')

    with pytest.raises(InvalidInputError, match="is not valid UTF-8 \\(byte 0xe9 at offset"):
        GeoJsonFile(path)


def test_a_given_encoding_reads_a_single_byte_file(tmp_path: Path, read_events: ReadEvents) -> None:
    path = tmp_path / "events.geojson"
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [point(source_id="a", date="2016-03-01", place="Mariïnka")],
        },
        ensure_ascii=False,
    )
    path.write_bytes(text.encode("cp1252"))

    report = read_events(path, "geojson", encoding="cp1252").reports[0]

    assert report.location.place == "Mariïnka"
