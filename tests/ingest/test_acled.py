from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import ActorMention, Fatalities
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.ingest.events import open_events

from .reading import ReadEvents

ACLED_FILE = "acled_ukraine_sample_1000.csv"


def test_an_acled_record_becomes_a_report_with_every_part(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "acled_sample.csv", "acled").report("RUR0001")

    assert report.source == "acled"
    assert (report.time.first_date, report.time.last_date) == (date(2020, 8, 14),) * 2
    assert (report.time.precision, report.time.source_code) == (
        TimePrecision.DAY,
        "acled:time_precision=1",
    )
    assert (report.location.precision, report.location.source_code) == (
        LocationPrecision.SETTLEMENT,
        "acled:geo_precision=1",
    )
    assert (report.location.place, report.location.admin1, report.location.admin2) == (
        "Strelna",
        "Vostok",
        "Strelna",
    )
    assert report.event_type == "Explosions/Remote violence"
    assert report.sub_event_type == "Shelling/artillery/missile attack"
    assert report.fatalities == Fatalities(best=0)
    assert report.citations == ("Example Wire", "Example Radio")
    assert report.narrative.startswith("On 14 August 2020, made-up shelling")


def test_attributes_keep_acleds_codes(fixtures: Path, read_events: ReadEvents) -> None:
    attributes = read_events(fixtures / "acled_sample.csv", "acled").report("RUR0001").attributes

    assert attributes == {
        "inter1": "1",
        "inter2": "2",
        "interaction": "12",
        "source_scale": "National",
        "disorder_type": "Political violence",
        "timestamp": "1700000000",
        "admin3": "Strelna city",
        "iso": "999",
        "region": "Europe",
    }


def test_associated_actors_split_into_one_mention_each(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "acled_sample.csv", "acled").report("RUR0002")

    assert report.actors == (
        ActorMention("Military Forces of Ruritania", role="actor1"),
        ActorMention("Volunteer Battalion East", role="assoc_actor_1"),
        ActorMention("Border Guard of Ruritania", role="assoc_actor_1"),
        ActorMention("Northern Front", role="actor2"),
    )


def test_a_week_precise_day_widens_to_the_week_around_it(
    fixtures: Path, read_events: ReadEvents
) -> None:
    time = read_events(fixtures / "acled_sample.csv", "acled").report("RUR0002").time

    assert (time.first_date, time.last_date) == (date(2021, 3, 14), date(2021, 3, 20))
    assert (time.precision, time.source_code) == (TimePrecision.WEEK, "acled:time_precision=2")


def test_a_month_precise_day_widens_to_its_calendar_month(
    fixtures: Path, read_events: ReadEvents
) -> None:
    time = read_events(fixtures / "acled_sample.csv", "acled").report("RUR0003").time

    assert (time.first_date, time.last_date) == (date(2021, 2, 1), date(2021, 2, 28))
    assert time.precision is TimePrecision.MONTH


def test_region_only_coordinates_are_adm1_precise(fixtures: Path, read_events: ReadEvents) -> None:
    location = read_events(fixtures / "acled_sample.csv", "acled").report("RUR0003").location

    assert location.precision is LocationPrecision.ADM1


def test_event_types_are_spelt_as_acled_spells_them(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "acled_sample.csv", "acled").report("RUR0006")

    assert (report.event_type, report.sub_event_type) == ("Protests", "Peaceful protest")


def test_a_misspelt_event_type_is_a_row_error_listing_the_known_types(
    fixtures: Path, read_events: ReadEvents
) -> None:
    reasons = read_events(fixtures / "acled_sample.csv", "acled").reasons()

    assert reasons[4].startswith("column 'event_type': 'Batles' is not an ACLED event type (")
    assert "Explosions/Remote violence" in reasons[4]


def test_a_sub_event_type_of_another_type_is_a_row_error(
    fixtures: Path, read_events: ReadEvents
) -> None:
    reasons = read_events(fixtures / "acled_sample.csv", "acled").reasons()

    assert reasons[5].startswith(
        "column 'sub_event_type': 'Air/drone strike' is not a sub-event type of Battles"
    )
    assert sorted(reasons) == [4, 5]


@pytest.mark.parametrize("event_date", ["2020-08-14", "14 August 2020", "14/08/2020"])
def test_the_event_date_may_take_any_common_form(
    tmp_path: Path, fixtures: Path, read_events: ReadEvents, event_date: str
) -> None:
    with (fixtures / "acled_sample.csv").open(encoding="utf-8", newline="") as file:
        header, first, *_ = csv.reader(file)
    first[header.index("event_date")] = event_date
    path = tmp_path / "acled.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, first])

    report = read_events(path, "acled").reports[0]

    assert report.time.first_date == date(2020, 8, 14)


def test_an_old_style_upper_case_header_is_accepted(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "acled_sample.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    path = tmp_path / "acled.csv"
    path.write_text(header.upper() + "\n" + rest, encoding="utf-8")

    with open_events(path, "acled") as events:
        assert sum(1 for _ in events.rows()) == 6
        assert events.columns[2] == "EVENT_ID_CNTY"


def test_missing_acled_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,event_date,latitude,longitude\n", encoding="utf-8")

    with pytest.raises(InvalidInputError, match=r"missing columns for ACLED: actor1, event_type, "):
        open_events(path, "acled")


@pytest.mark.shared_data
def test_the_real_acled_sample_parses_its_1000_rows(
    shared_events: Path, read_events: ReadEvents
) -> None:
    read = read_events(shared_events / ACLED_FILE, "acled")

    assert len(read.reports) == 1000
    assert read.errors == []
    admin1 = Counter(r.location.admin1 for r in read.reports)
    assert (admin1["Donetsk"], admin1["Luhansk"]) == (410, 51)


@pytest.mark.shared_data
def test_the_real_acled_sample_keeps_its_coarser_precisions(
    shared_events: Path, read_events: ReadEvents
) -> None:
    reports = read_events(shared_events / ACLED_FILE, "acled").reports

    times = Counter(r.time.precision for r in reports)
    places = Counter(r.location.precision for r in reports)
    assert times == {TimePrecision.DAY: 990, TimePrecision.WEEK: 9, TimePrecision.MONTH: 1}
    assert places == {
        LocationPrecision.NEAR: 619,
        LocationPrecision.SETTLEMENT: 365,
        LocationPrecision.ADM1: 16,
    }
