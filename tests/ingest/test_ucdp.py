from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import AS_GIVEN, ActorMention, Fatalities
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.ingest.events import open_events
from ceasefire.ingest.rows import ParsedRow
from ceasefire.ingest.ucdp import REQUIRED

from .reading import ReadEvents

UCDP_FILE = "ucdp_ged_ukraine_2014-2023.csv"


def write_ged(path: Path, rows: list[dict[str, str]], newline: str = "\n") -> list[str]:
    """A minimal GED file: the required columns plus those the rows name."""
    columns = list(REQUIRED) + sorted({c for row in rows for c in row} - set(REQUIRED))
    base = {
        "id": "1",
        "type_of_violence": "1",
        "where_prec": "1",
        "latitude": "48.0",
        "longitude": "37.8",
        "date_prec": "1",
        "date_start": "2015-02-10",
        "date_end": "2015-02-10",
        "best": "1",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([{**base, **row}.get(c, "") for c in columns])
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return columns


def test_a_ged_record_becomes_a_report_with_every_part(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900001")

    assert report.source == "ucdp-ged"
    assert (report.time.first_date, report.time.last_date) == (date(2015, 2, 10),) * 2
    assert (report.time.precision, report.time.source_code) == (
        TimePrecision.DAY,
        "ucdp:date_prec=1",
    )
    location = report.location
    assert (location.lat, location.lon) == (48.0159, 37.8028)
    assert (location.precision, location.source_code) == (
        LocationPrecision.EXACT,
        "ucdp:where_prec=1",
    )
    assert (location.place, location.admin1, location.admin2, location.country) == (
        "Strelna town",
        "Vostok oblast",
        "Strelna raion",
        "Ruritania",
    )
    assert (report.event_type, report.sub_event_type) == ("Battles", "Armed clash")
    assert report.actors == (
        ActorMention("Government of Ruritania", role="side_a"),
        ActorMention("Northern Front", role="side_b"),
    )
    assert report.fatalities == Fatalities(low=2, best=3, high=5)


def test_citations_split_the_quoted_source_articles(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900001")

    assert report.citations == (
        "Example Wire,2015-02-10,Shelling reported near the airport",
        "Example Daily,2015-02-11,Two soldiers killed",
    )


def test_without_source_article_citations_come_from_office_date_and_headline(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900003")

    assert report.citations == (
        "Example Wire,2015-03-02,Civilian killed",
        "Example Radio,2015-03-05,Body found",
    )


def test_narrative_joins_where_description_and_headlines(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900001")

    assert report.narrative == (
        "Strelna town (the airport)\nShelling reported near the airport;Two soldiers killed"
    )


def test_attributes_keep_the_other_fields_as_strings(
    fixtures: Path, read_events: ReadEvents
) -> None:
    attributes = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900001").attributes

    assert attributes["relid"] == "TST-2015-1-1-1"
    assert attributes["deaths_a"] == "2"
    assert attributes["code_status"] == "Clear"
    assert "latitude" not in attributes


def test_precision_codes_map_onto_our_scales(fixtures: Path, read_events: ReadEvents) -> None:
    read = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp")

    near = read.report("900002")
    assert (near.time.precision, near.location.precision) == (
        TimePrecision.WEEK,
        LocationPrecision.NEAR,
    )
    month = read.report("900003")
    assert (month.time.first_date, month.time.last_date) == (date(2015, 3, 1), date(2015, 3, 31))
    assert month.time.precision is TimePrecision.MONTH
    assert read.report("900004").location.precision is LocationPrecision.COUNTRY


def test_one_sided_violence_is_violence_against_civilians(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900003")

    assert (report.event_type, report.sub_event_type) == ("Violence against civilians", "Attack")
    assert report.attributes["type_of_violence"] == "3"


def test_an_empty_side_is_not_an_actor(fixtures: Path, read_events: ReadEvents) -> None:
    report = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900004")

    assert [a.role for a in report.actors] == ["side_a"]


def test_slash_dates_in_a_ged_file_read_month_first(
    fixtures: Path, read_events: ReadEvents
) -> None:
    report = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp").report("900002")

    assert (report.time.first_date, report.time.last_date) == (date(2015, 2, 14), date(2015, 2, 16))


def test_a_given_source_names_every_report(fixtures: Path, read_events: ReadEvents) -> None:
    read = read_events(fixtures / "ucdp_ged_sample.csv", "ucdp", source="ged-22.1")

    assert {r.source for r in read.reports} == {"ged-22.1"}


def test_good_rows_parse_and_each_bad_row_names_its_column(
    fixtures: Path, read_events: ReadEvents
) -> None:
    read = read_events(fixtures / "ucdp_ged_broken.csv", "ucdp")

    assert [r.source_id for r in read.reports] == ["910001", "910007", "910012"]
    assert read.reasons() == {
        2: "column 'date_start': '2015-13-01' is not a date",
        3: "column 'latitude': 91.2 is outside -90..90",
        4: "column 'longitude' is empty",
        5: "column 'where_coordinates' is not valid UTF-8 (byte 0xe9)",
        6: "10 fields where the header has 49 columns",
        8: "column 'date_prec': 9 is not one of 1, 2, 3, 4, 5",
        9: "columns 'date_start', 'date_end': end date 2015-02-10 is before start date 2015-02-12",
        10: "column 'type_of_violence': 4 is not 1, 2 or 3",
        11: "column 'best': 'two' is not a whole number",
    }


def test_every_record_gives_exactly_one_row(fixtures: Path, read_events: ReadEvents) -> None:
    read = read_events(fixtures / "ucdp_ged_broken.csv", "ucdp")

    assert [r.row for r in read.rows] == list(range(1, 13))


def test_an_undecodable_field_is_kept_with_its_bytes_shown(
    fixtures: Path, read_events: ReadEvents
) -> None:
    read = read_events(fixtures / "ucdp_ged_broken.csv", "ucdp")
    error = next(e for e in read.errors if e.row == 5)

    assert error.fields["where_coordinates"] == "Mari\\xe9nka"
    assert error.fields["id"] == "910005"
    assert str(error) == "row 5: column 'where_coordinates' is not valid UTF-8 (byte 0xe9)"


def test_the_rest_of_a_broken_utf8_file_keeps_its_cyrillic(
    fixtures: Path, read_events: ReadEvents
) -> None:
    read = read_events(fixtures / "ucdp_ged_broken.csv", "ucdp")

    assert read.report("910001").location.place == "Дубрава"
    assert read.report("910007").location.admin2 == "Сосновка"


def test_missing_columns_are_all_named_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "id,where_coordinates,longitude,date_end,date_prec\n1,x,2,3,4\n", encoding="utf-8"
    )

    with pytest.raises(InvalidInputError) as raised:
        open_events(path, "ucdp")

    message = str(raised.value)
    assert message == (
        f"{path}: missing columns for UCDP GED: "
        "best, date_start, latitude, type_of_violence, where_prec"
    )
    assert "\n" not in message


def test_a_cp1252_file_parses_with_its_accents(tmp_path: Path, read_events: ReadEvents) -> None:
    path = tmp_path / "events.csv"
    write_ged(path, [{"where_coordinates": "PLACE", "source_headline": "HEADLINE"}])
    data = path.read_bytes().replace(b"PLACE", "Mariïnka".encode("cp1252"))
    path.write_bytes(data.replace(b"HEADLINE", "It’s “quiet” – officials".encode("cp1252")))

    report = read_events(path, "ucdp").reports[0]

    assert report.location.place == "Mariïnka"
    assert report.narrative == "It’s “quiet” – officials"


def test_cr_only_line_endings_parse(tmp_path: Path, read_events: ReadEvents) -> None:
    path = tmp_path / "events.csv"
    write_ged(path, [{"id": "1"}, {"id": "2", "where_description": "north\rof town"}], newline="\r")

    read = read_events(path, "ucdp")

    assert [r.source_id for r in read.reports] == ["1", "2"]
    assert read.report("2").narrative == "north\rof town"


def test_a_file_that_decides_day_first_reads_all_its_slash_dates_so(
    tmp_path: Path, read_events: ReadEvents
) -> None:
    path = tmp_path / "events.csv"
    rows = [
        {"id": "1", "date_start": "05/02/2015 00:00", "date_end": "05/02/2015 00:00"},
        {"id": "2", "date_start": "25/02/2015 00:00", "date_end": "25/02/2015 00:00"},
    ]
    write_ged(path, rows)

    read = read_events(path, "ucdp")

    assert read.report("1").time.first_date == date(2015, 2, 5)
    assert read.report("2").time.first_date == date(2015, 2, 25)


@pytest.mark.shared_data
def test_the_real_ged_extract_parses_all_its_rows(
    shared_events: Path, read_events: ReadEvents
) -> None:
    read = read_events(shared_events / UCDP_FILE, "ucdp")

    assert len(read.rows) == 3883
    assert read.errors == []
    # 31 events give high below best or best below low: each is kept, its range widened to
    # hold every figure, and the figures as given noted in its attributes
    widened = [r for r in read.reports if AS_GIVEN in r.attributes]
    assert len(widened) == 31
    for r in widened:
        f = r.fatalities
        assert f.best is not None and (f.low or 0) <= f.best <= (f.high or f.best)
        given = r.attributes[AS_GIVEN]
        assert given.startswith("low ") and f"best {f.best}," in given


def test_a_range_given_out_of_order_is_widened_and_kept_as_given(
    tmp_path: Path, read_events: ReadEvents
) -> None:
    path = tmp_path / "ged.csv"
    write_ged(path, [{"id": "1", "low": "2", "best": "5", "high": "4"}])
    (report,) = read_events(path, "ucdp").reports
    assert (report.fatalities.low, report.fatalities.best, report.fatalities.high) == (2, 5, 5)
    assert report.attributes[AS_GIVEN] == "low 2, best 5, high 4"


@pytest.mark.shared_data
def test_the_real_ged_extract_is_cp1252(shared_events: Path) -> None:
    with open_events(shared_events / UCDP_FILE, "ucdp") as events:
        assert events.encoding == "cp1252"
        narratives = [r.report.narrative for r in events.rows() if isinstance(r, ParsedRow)]

    assert sum("’" in n for n in narratives) == 199


@pytest.mark.shared_data
def test_the_real_ged_extracts_slash_dates_are_month_first(
    shared_events: Path, read_events: ReadEvents
) -> None:
    read = read_events(shared_events / UCDP_FILE, "ucdp")

    # '05/02/2014 00:00': the assault on Sloviansk of 2 May 2014.
    sloviansk = read.report("153027")
    assert sloviansk.time.first_date == date(2014, 5, 2)
    # '08/12/2014 00:00' to '8/13/2014 12:00:00 AM' at date_prec 2 (a few days).
    assert (read.report("155016").time.first_date, read.report("155016").time.last_date) == (
        date(2014, 8, 12),
        date(2014, 8, 13),
    )


@pytest.mark.shared_data
def test_the_real_ged_extract_has_804_donbas_events_in_2015_and_2016(
    shared_events: Path, read_events: ReadEvents
) -> None:
    reports = read_events(shared_events / UCDP_FILE, "ucdp").reports

    donbas = [
        r
        for r in reports
        if r.time.first_date.year in (2015, 2016)
        and r.location.admin1 in ("Donetsk oblast", "Luhansk oblast")
    ]
    assert len(donbas) == 804
