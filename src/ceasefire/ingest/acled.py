"""ACLED CSV files, as exported from the ACLED data export tool or API.

One record is one event on one day. ACLED codes an event known only to a week or a month
at the middle of that span, so the day is widened back: ``time_precision`` 2 to the seven
days around it, 3 to its calendar month. ``time_precision`` and ``geo_precision`` are kept
as source codes next to our scales (``domain/precision.py``). Slash dates are read
day-first (``14/08/2020``) unless the file shows otherwise (see ``dates.py``).
"""

from __future__ import annotations

from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Fatalities, Report
from ceasefire.domain.precision import ACLED_GEO_PRECISION, ACLED_TIME_PRECISION
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.ingest.dates import DateOrder, SlashDates, span_around
from ceasefire.ingest.records import CsvFormat, Record

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
)
ATTRIBUTES = (
    "inter1",
    "inter2",
    "interaction",
    "source_scale",
    "disorder_type",
    "civilian_targeting",
    "tags",
    "timestamp",
    "admin3",
    "iso",
    "region",
)
ACTOR_COLUMNS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


def parse_acled_record(record: Record, source: str, slash: SlashDates) -> Report:
    """The report one ACLED record gives; InvalidInputError names the bad column."""
    source_id = record.required("event_id_cnty")
    time = _time(record, slash)
    location = _location(record)
    event_type, sub_event_type = check_event_type(
        record.text("event_type"), record.text("sub_event_type")
    )
    return Report(
        source=source,
        source_id=source_id,
        time=time,
        location=location,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actors=_actors(record),
        fatalities=Fatalities(best=record.integer("fatalities")),
        narrative=record.text("notes") or "",
        citations=tuple(s.strip() for s in record.get("source").split(";") if s.strip()),
        attributes={c: value for c in ATTRIBUTES if (value := record.text(c)) is not None},
    )


def _time(record: Record, slash: SlashDates) -> EventTime:
    code, precision = record.code("time_precision", ACLED_TIME_PRECISION)
    first, last = span_around(record.date("event_date", slash), precision)
    return EventTime.dates(first, last, precision, f"acled:time_precision={code}")


def _location(record: Record) -> EventLocation:
    code, precision = record.code("geo_precision", ACLED_GEO_PRECISION)
    return EventLocation(
        lon=record.number("longitude"),
        lat=record.number("latitude"),
        precision=precision,
        source_code=f"acled:geo_precision={code}",
        place=record.text("location"),
        admin1=record.text("admin1"),
        admin2=record.text("admin2"),
        country=record.text("country"),
    )


def _actors(record: Record) -> tuple[ActorMention, ...]:
    """``actor1`` and ``actor2`` name one actor each; the ``assoc_actor`` columns may name
    several, separated by ``;``."""
    return tuple(
        ActorMention(name, role=column)
        for column in ACTOR_COLUMNS
        for name in _names(record.get(column), several=column.startswith("assoc"))
    )


def _names(value: str, *, several: bool) -> list[str]:
    names = value.split(";") if several else [value]
    return [name.strip() for name in names if name.strip()]


ACLED = CsvFormat(
    name="ACLED",
    default_source="acled",
    required=REQUIRED,
    date_columns=("event_date",),
    date_order=DateOrder.DAY_FIRST,
    parse=parse_acled_record,
    labels={
        "time": "column 'event_date'",
        "fatalities.best": "column 'fatalities'",
    },
)
