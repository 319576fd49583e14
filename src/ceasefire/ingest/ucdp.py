"""UCDP GED CSV files (the Georeferenced Event Dataset, as downloaded or from the UCDP API).

One record is one event. Its dates keep ``date_prec`` and its coordinates ``where_prec``
as source codes next to our precision scales (``domain/precision.py``); its kind of
violence maps to an ACLED event type (``domain/taxonomy.py``). Slash dates are read
month-first unless the file shows otherwise (see ``dates.py``).
"""

from __future__ import annotations

from itertools import zip_longest

from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Fatalities, Report
from ceasefire.domain.precision import UCDP_DATE_PRECISION, UCDP_WHERE_PRECISION
from ceasefire.domain.taxonomy import ucdp_event_type
from ceasefire.ingest.dates import DateOrder, SlashDates
from ceasefire.ingest.records import CsvFormat, Record

REQUIRED = (
    "id",
    "type_of_violence",
    "where_prec",
    "latitude",
    "longitude",
    "date_prec",
    "date_start",
    "date_end",
    "best",
)
ATTRIBUTES = (
    "relid",
    "conflict_name",
    "dyad_name",
    "type_of_violence",
    "event_clarity",
    "number_of_sources",
    "priogrid_gid",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "code_status",
    "where_description",
)


def parse_ucdp_record(record: Record, source: str, slash: SlashDates) -> Report:
    """The report one UCDP GED record gives; InvalidInputError names the bad column."""
    source_id = record.required("id")
    time = _time(record, slash)
    location = _location(record)
    event_type, sub_event_type = ucdp_event_type(record.integer("type_of_violence"))
    return Report(
        source=source,
        source_id=source_id,
        time=time,
        location=location,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actors=tuple(
            ActorMention(name, role=side)
            for side in ("side_a", "side_b")
            if (name := record.text(side)) is not None
        ),
        fatalities=Fatalities(
            low=record.optional_integer("low"),
            best=record.integer("best"),
            high=record.optional_integer("high"),
        ),
        narrative="\n".join(
            text for c in ("where_description", "source_headline") if (text := record.text(c))
        ),
        citations=_citations(record),
        attributes={c: value for c in ATTRIBUTES if (value := record.text(c)) is not None},
    )


def _time(record: Record, slash: SlashDates) -> EventTime:
    code, precision = record.code("date_prec", UCDP_DATE_PRECISION)
    return EventTime.dates(
        record.date("date_start", slash),
        record.date("date_end", slash),
        precision=precision,
        source_code=f"ucdp:date_prec={code}",
    )


def _location(record: Record) -> EventLocation:
    code, precision = record.code("where_prec", UCDP_WHERE_PRECISION)
    return EventLocation(
        lon=record.number("longitude"),
        lat=record.number("latitude"),
        precision=precision,
        source_code=f"ucdp:where_prec={code}",
        place=record.text("where_coordinates"),
        admin1=record.text("adm_1"),
        admin2=record.text("adm_2"),
        country=record.text("country"),
    )


def _citations(record: Record) -> tuple[str, ...]:
    """``source_article`` holds ``"office,date,headline";"office,date,headline"``; without it,
    the parallel ``;``-separated ``source_office``, ``source_date`` and ``source_headline``."""
    article = record.text("source_article")
    if article is not None:
        if len(article) > 1 and article.startswith('"') and article.endswith('"'):
            items = article[1:-1].split('";"')
        else:
            items = article.split(";")
        return tuple(item.strip() for item in items if item.strip())
    columns = (
        record.get(c).split(";") for c in ("source_office", "source_date", "source_headline")
    )
    return tuple(
        cited
        for parts in zip_longest(*columns, fillvalue="")
        if (cited := ",".join(p.strip() for p in parts if p.strip()))
    )


UCDP_GED = CsvFormat(
    name="UCDP GED",
    default_source="ucdp-ged",
    required=REQUIRED,
    date_columns=("date_start", "date_end"),
    date_order=DateOrder.MONTH_FIRST,
    parse=parse_ucdp_record,
    labels={
        "time": "columns 'date_start', 'date_end'",
        "fatalities": "columns 'low', 'best', 'high'",
        "fatalities.low": "column 'low'",
        "fatalities.best": "column 'best'",
        "fatalities.high": "column 'high'",
    },
)
