from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from ceasefire.ingest.eventfiles import CsvEventFile
from ceasefire.ingest.events import open_events
from ceasefire.ingest.rows import ParsedRow, RowError
from ceasefire.ingest.ucdp import UCDP_GED

HEADER = (
    "id,type_of_violence,where_prec,latitude,longitude,date_prec,date_start,date_end,best,place\n"
)


def row(id: str, start: str = "2015-02-10", end: str = "", place: str = "Strelna") -> str:
    return f"{id},1,1,48.0,37.8,1,{start},{end or start},1,{place}\n"


def test_rows_stream_one_at_a_time_with_growing_progress(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(HEADER + "".join(row(str(i)) for i in range(30_000)), encoding="utf-8")

    with CsvEventFile(path, UCDP_GED) as events:
        rows = events.rows()
        assert isinstance(rows, Iterator)
        first = next(rows)
        assert isinstance(first, ParsedRow)
        assert 0 < events.bytes_read < events.bytes_total
        assert sum(1 for _ in rows) == 29_999
        assert events.bytes_read == events.bytes_total


def test_a_date_late_in_the_file_decides_how_earlier_ones_read(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    lines = [row("1", "05/02/2015 00:00"), "broken,row\n", row("3", "25/02/2015 00:00")]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")

    with CsvEventFile(path, UCDP_GED) as events:
        rows = list(events.rows())

    assert isinstance(rows[0], ParsedRow)
    assert rows[0].report.time.first_date == date(2015, 2, 5)
    assert isinstance(rows[1], RowError)


def test_a_date_against_the_files_order_is_a_row_error_that_says_why(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(HEADER + row("1", "1/22/2015") + row("2", "22/01/2015"), encoding="utf-8")

    with CsvEventFile(path, UCDP_GED) as events:
        rows = list(events.rows())

    assert isinstance(rows[1], RowError)
    assert rows[1].reason == (
        "column 'date_start': '22/01/2015' is not a date: the file writes dates month-first, "
        "as '1/22/2015' in row 1 shows"
    )


def test_bytes_a_given_encoding_cannot_decode_are_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(HEADER + row("1") + row("2", place="Дубрава"), encoding="utf-8")

    with CsvEventFile(path, UCDP_GED, encoding="ascii") as events:
        rows = list(events.rows())

    assert isinstance(rows[0], ParsedRow)
    assert isinstance(rows[1], RowError)
    assert rows[1].reason == "column 'place' is not valid ascii (byte 0xd0)"
    assert rows[1].fields["place"].startswith("\\xd0\\x94")


def test_a_row_error_keeps_the_fields_under_the_files_column_names(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(HEADER + row("1", place="Strelna").replace("48.0", "91.2"), encoding="utf-8")

    with CsvEventFile(path, UCDP_GED) as events:
        (error,) = events.rows()

    assert isinstance(error, RowError)
    assert error.fields["latitude"] == "91.2"
    assert list(error.fields) == events.columns


def test_what_one_file_remembers_of_its_dates_does_not_carry_to_the_next(tmp_path: Path) -> None:
    day_first, month_first = tmp_path / "day_first.csv", tmp_path / "month_first.csv"
    day_first.write_text(HEADER + row("1", "25/02/2015") + row("2", "05/02/2015"), "utf-8")
    month_first.write_text(HEADER + row("1", "02/25/2015") + row("2", "05/02/2015"), "utf-8")

    with CsvEventFile(day_first, UCDP_GED) as first, CsvEventFile(month_first, UCDP_GED) as second:
        rows = [*first.rows(), *second.rows()]

    days = [r.report.time.first_date for r in rows if isinstance(r, ParsedRow)]
    assert days[1::2] == [date(2015, 2, 5), date(2015, 5, 2)]


def test_a_bad_value_repeated_is_a_row_error_on_every_row(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    bad = row("1", "2015-02-12", "2015-02-10")
    path.write_text(HEADER + row("0", "2015-02-10") + bad + bad.replace("1,", "2,", 1), "utf-8")

    with CsvEventFile(path, UCDP_GED) as events:
        reasons = {r.row: r.reason for r in events.rows() if isinstance(r, RowError)}

    assert list(reasons) == [2, 3]
    assert reasons[2] == reasons[3]
    assert reasons[3].endswith("end date 2015-02-10 is before start date 2015-02-12")


NOW = datetime(2015, 2, 10, 12, 0, tzinfo=UTC)
FUTURE = "is in the future: an event may start at most one day after now (2015-02-10 12:00 UTC)"


def test_an_event_starting_over_a_day_after_the_file_was_opened_is_a_row_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ged.csv"
    begun = row("3", "2015-02-01", "2015-03-01")  # begun, and ends after now: kept
    path.write_text(HEADER + row("1", "2015-02-11") + row("2", "2031-01-01") + begun, "utf-8")

    with CsvEventFile(path, UCDP_GED, now=NOW) as events:
        rows = list(events.rows())

    assert isinstance(rows[0], ParsedRow)  # tomorrow in UTC: today where the source is
    assert isinstance(rows[1], RowError)
    assert rows[1].reason == f"column 'date_start': 2031-01-01 {FUTURE}"
    assert rows[1].fields["date_start"] == "2031-01-01"  # quarantined as the file gave it
    assert isinstance(rows[2], ParsedRow)


def test_an_acled_event_in_the_future_names_its_date_column(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    header = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,"
    header += "latitude,longitude,geo_precision,fatalities\n"
    record = "RUR{n},{day},1,Battles,Armed clash,Northern Front,48.0,37.8,1,0\n"
    days = ("2015-02-10", "2015-02-12")
    path.write_text(header + "".join(record.format(n=n, day=d) for n, d in enumerate(days)))

    with open_events(path, "acled", now=NOW) as events:
        kept, refused = events.rows()

    assert isinstance(kept, ParsedRow) and isinstance(refused, RowError)
    assert refused.reason == f"column 'event_date': 2015-02-12 {FUTURE}"


def test_a_file_is_checked_against_the_time_it_was_opened(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(HEADER + row("1"), encoding="utf-8")
    before = datetime.now(UTC)
    with open_events(path, "ucdp") as events:  # the clock is read here, once a file
        assert before <= events.now <= datetime.now(UTC)
