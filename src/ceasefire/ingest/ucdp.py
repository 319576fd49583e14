"""UCDP GED CSV files (the Georeferenced Event Dataset, as downloaded or from the UCDP API).

One record is one event. Its dates keep ``date_prec`` and its coordinates ``where_prec``
as source codes next to our precision scales (``domain/precision.py``); its kind of
violence maps to an ACLED event type (``domain/taxonomy.py``). Slash dates are read
month-first unless the file shows otherwise (see ``dates.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from itertools import zip_longest
from operator import itemgetter
from typing import NamedTuple, cast

from ceasefire.domain.events import (
    AS_GIVEN,
    ActorMention,
    EventLocation,
    EventTime,
    Fatalities,
    Report,
    as_given,
)
from ceasefire.domain.precision import UCDP_DATE_PRECISION, UCDP_WHERE_PRECISION
from ceasefire.domain.taxonomy import ucdp_event_type
from ceasefire.ingest.dates import DateOrder, SlashDates, parse_date
from ceasefire.ingest.records import CsvFormat, RememberingReader
from ceasefire.ingest.values import code, number, optional_whole, required, text, whole

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


class GedRow(NamedTuple):
    """The values of one GED record that a report takes, by column."""

    id: str
    type_of_violence: str
    where_prec: str
    latitude: str
    longitude: str
    date_prec: str
    date_start: str
    date_end: str
    best: str
    low: str
    high: str
    side_a: str
    side_b: str
    where_coordinates: str
    adm_1: str
    adm_2: str
    country: str
    where_description: str
    source_headline: str
    source_article: str
    source_office: str
    source_date: str
    relid: str
    conflict_name: str
    dyad_name: str
    event_clarity: str
    number_of_sources: str
    priogrid_gid: str
    deaths_a: str
    deaths_b: str
    deaths_civilians: str
    deaths_unknown: str
    code_status: str


_attribute_values = cast(
    Callable[[GedRow], Sequence[str]], itemgetter(*(GedRow._fields.index(c) for c in ATTRIBUTES))
)


class GedReader(RememberingReader):
    """Reads one GED file's records as reports (see RememberingReader)."""

    def __init__(self, source: str, slash: SlashDates) -> None:
        super().__init__(source, partial(_time, slash), _actors, _fatalities)

    def __call__(self, values: Sequence[str]) -> Report:
        """The report one record gives; InvalidInputError names the bad column."""
        row = GedRow._make(values)
        source_id = required(row.id, "id")
        time = self._time(row.date_prec, row.date_start, row.date_end)
        location = _location(row)
        event_type, sub_event_type = ucdp_event_type(
            whole(row.type_of_violence, "type_of_violence")
        )
        fatalities, given = self._fatalities(row.low, row.best, row.high)
        attributes = {
            c: value
            for c, value in zip(ATTRIBUTES, map(str.strip, _attribute_values(row)), strict=True)
            if value
        }
        if given is not None:
            attributes[AS_GIVEN] = given
        return Report(
            source=self.source,
            source_id=source_id,
            time=time,
            location=location,
            event_type=event_type,
            sub_event_type=sub_event_type,
            actors=self._actors(row.side_a, row.side_b),
            fatalities=fatalities,
            narrative="\n".join(
                filter(None, (row.where_description.strip(), row.source_headline.strip()))
            ),
            citations=_citations(row),
            attributes=attributes,
        )


def _time(slash: SlashDates, date_prec: str, date_start: str, date_end: str) -> EventTime:
    found, precision = code(date_prec, "date_prec", UCDP_DATE_PRECISION)
    return EventTime.dates(
        parse_date(date_start, "date_start", slash),
        parse_date(date_end, "date_end", slash),
        precision=precision,
        source_code=f"ucdp:date_prec={found}",
    )


def _actors(side_a: str, side_b: str) -> tuple[ActorMention, ...]:
    sides = (("side_a", side_a.strip()), ("side_b", side_b.strip()))
    return tuple(ActorMention(name, role=side) for side, name in sides if name)


def _fatalities(low: str, best: str, high: str) -> tuple[Fatalities, str | None]:
    """The range as given, or the smallest ordered one holding it (``Fatalities.holding``)
    with the figures as given."""
    figures = optional_whole(low, "low"), whole(best, "best"), optional_whole(high, "high")
    found = Fatalities.holding(*figures)
    return found, None if found.same(*figures) else as_given(*figures)


def _location(row: GedRow) -> EventLocation:
    found, precision = code(row.where_prec, "where_prec", UCDP_WHERE_PRECISION)
    return EventLocation(
        lon=number(row.longitude, "longitude"),
        lat=number(row.latitude, "latitude"),
        precision=precision,
        source_code=f"ucdp:where_prec={found}",
        place=text(row.where_coordinates),
        admin1=text(row.adm_1),
        admin2=text(row.adm_2),
        country=text(row.country),
    )


def _citations(row: GedRow) -> tuple[str, ...]:
    """``source_article`` holds ``"office,date,headline";"office,date,headline"``; without it,
    the parallel ``;``-separated ``source_office``, ``source_date`` and ``source_headline``."""
    article = row.source_article.strip()
    if article:
        if len(article) > 1 and article.startswith('"') and article.endswith('"'):
            items = article[1:-1].split('";"')
        else:
            items = article.split(";")
        return tuple(item.strip() for item in items if item.strip())
    columns = (c.split(";") for c in (row.source_office, row.source_date, row.source_headline))
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
    columns=GedRow._fields,
    reader=GedReader,
    labels={
        "time": "columns 'date_start', 'date_end'",
        "fatalities": "columns 'low', 'best', 'high'",
        "fatalities.low": "column 'low'",
        "fatalities.best": "column 'best'",
        "fatalities.high": "column 'high'",
    },
)
