"""ACLED CSV files, as exported from the ACLED data export tool or API.

One record is one event on one day. ACLED codes an event known only to a week or a month
at the middle of that span, so the day is widened back: ``time_precision`` 2 to the seven
days around it, 3 to its calendar month. ``time_precision`` and ``geo_precision`` are kept
as source codes next to our scales (``domain/precision.py``). Slash dates are read
day-first (``14/08/2020``) unless the file shows otherwise (see ``dates.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from operator import itemgetter
from typing import NamedTuple, cast

from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Fatalities, Report
from ceasefire.domain.precision import ACLED_GEO_PRECISION, ACLED_TIME_PRECISION
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.ingest.dates import DateOrder, SlashDates, parse_date, span_around
from ceasefire.ingest.records import CsvFormat, RememberingReader
from ceasefire.ingest.values import code, number, required, text, whole

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


class AcledRow(NamedTuple):
    """The values of one ACLED record that a report takes, by column."""

    event_id_cnty: str
    event_date: str
    time_precision: str
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str
    actor2: str
    assoc_actor_2: str
    latitude: str
    longitude: str
    geo_precision: str
    location: str
    admin1: str
    admin2: str
    country: str
    fatalities: str
    notes: str
    source: str
    inter1: str
    inter2: str
    interaction: str
    source_scale: str
    disorder_type: str
    civilian_targeting: str
    tags: str
    timestamp: str
    admin3: str
    iso: str
    region: str


_attribute_values = cast(
    Callable[[AcledRow], Sequence[str]],
    itemgetter(*(AcledRow._fields.index(c) for c in ATTRIBUTES)),
)


class AcledReader(RememberingReader):
    """Reads one ACLED file's records as reports (see RememberingReader)."""

    def __init__(self, source: str, slash: SlashDates) -> None:
        super().__init__(source, partial(_time, slash), _actors, _fatalities)

    def __call__(self, values: Sequence[str]) -> Report:
        """The report one record gives; InvalidInputError names the bad column."""
        row = AcledRow._make(values)
        source_id = required(row.event_id_cnty, "event_id_cnty")
        time = self._time(row.time_precision, row.event_date)
        location = _location(row)
        event_type, sub_event_type = check_event_type(
            text(row.event_type), text(row.sub_event_type)
        )
        return Report(
            source=self.source,
            source_id=source_id,
            time=time,
            location=location,
            event_type=event_type,
            sub_event_type=sub_event_type,
            actors=self._actors(row.actor1, row.assoc_actor_1, row.actor2, row.assoc_actor_2),
            fatalities=self._fatalities(row.fatalities)[0],
            narrative=row.notes.strip(),
            citations=tuple(s.strip() for s in row.source.split(";") if s.strip()),
            attributes={
                c: value
                for c, value in zip(ATTRIBUTES, map(str.strip, _attribute_values(row)), strict=True)
                if value
            },
        )


def _time(slash: SlashDates, time_precision: str, event_date: str) -> EventTime:
    found, precision = code(time_precision, "time_precision", ACLED_TIME_PRECISION)
    first, last = span_around(parse_date(event_date, "event_date", slash), precision)
    return EventTime.dates(first, last, precision, f"acled:time_precision={found}")


def _actors(*values: str) -> tuple[ActorMention, ...]:
    """``actor1`` and ``actor2`` name one actor each; the ``assoc_actor`` columns may name
    several, separated by ``;``. ``values`` are those of ``ACTOR_COLUMNS``, in order."""
    return tuple(
        ActorMention(name, role=column)
        for column, value in zip(ACTOR_COLUMNS, values, strict=True)
        for name in _names(value, several=column.startswith("assoc"))
    )


def _fatalities(value: str) -> tuple[Fatalities, None]:
    return Fatalities(best=whole(value, "fatalities")), None


def _location(row: AcledRow) -> EventLocation:
    found, precision = code(row.geo_precision, "geo_precision", ACLED_GEO_PRECISION)
    return EventLocation(
        lon=number(row.longitude, "longitude"),
        lat=number(row.latitude, "latitude"),
        precision=precision,
        source_code=f"acled:geo_precision={found}",
        place=text(row.location),
        admin1=text(row.admin1),
        admin2=text(row.admin2),
        country=text(row.country),
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
    columns=AcledRow._fields,
    reader=AcledReader,
    labels={
        "time": "column 'event_date'",
        "fatalities.best": "column 'fatalities'",
    },
)
