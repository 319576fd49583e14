"""GeoJSON event files: a FeatureCollection of Point features, one report each.

Feature properties (all optional but ``source_id`` and a time):

- ``source_id``; ``source`` (used when none is given to :func:`open_events`; else the
  file's stem);
- time: ``time`` (ISO 8601 with a UTC offset: exact), or ``date`` (YYYY-MM-DD), or
  ``date_start`` and ``date_end``; ``time_precision`` day|week|month|year (default day)
  widens a ``date`` to the week around it, its month or its year;
- ``location_precision`` (exact|settlement|near|adm2|adm1|region|country|water; default
  exact), ``place``, ``admin1``, ``admin2``, ``country``;
- ``event_type``, ``sub_event_type`` (ACLED's, as in ``domain/taxonomy.py``);
- ``actors``: names, or objects ``{"name", "role"}``; ``fatalities``: a number (the best
  estimate) or ``{"low", "best", "high"}``; ``narrative``; ``citations``: strings;
- any other property is kept in the report's attributes as a string (JSON for lists and
  objects).

The file is read whole with the standard json module (event GeoJSON files are modest);
progress in bytes advances with each feature.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import (
    AS_GIVEN,
    ActorMention,
    EventLocation,
    EventTime,
    Fatalities,
    Report,
    as_given,
    check_not_future,
)
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.ingest.dates import span_around
from ceasefire.ingest.eventfiles import EventFile
from ceasefire.ingest.jsonfiles import parse_json
from ceasefire.ingest.records import join_reason
from ceasefire.ingest.rows import ParsedRow, RowError

KNOWN_PROPERTIES = frozenset(
    {
        "source_id",
        "source",
        "time",
        "date",
        "date_start",
        "date_end",
        "time_precision",
        "location_precision",
        "place",
        "admin1",
        "admin2",
        "country",
        "event_type",
        "sub_event_type",
        "actors",
        "fatalities",
        "narrative",
        "citations",
    }
)
DATE_PRECISIONS = (TimePrecision.DAY, TimePrecision.WEEK, TimePrecision.MONTH, TimePrecision.YEAR)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# How domain errors' fields read for a feature.
LABELS = {
    "longitude": "geometry longitude",
    "latitude": "geometry latitude",
    "time": "properties 'date_start', 'date_end'",
    "fatalities": "property 'fatalities'",
    "fatalities.low": "property 'fatalities'",
    "fatalities.best": "property 'fatalities'",
    "fatalities.high": "property 'fatalities'",
    "event_type": "property 'event_type'",
    "sub_event_type": "property 'sub_event_type'",
    "source": "property 'source'",
    "source_id": "property 'source_id'",
}

Properties = Mapping[str, object]


class GeoJsonFile(EventFile):
    """A GeoJSON FeatureCollection of events; its quarantine column is ``feature``."""

    def __init__(
        self,
        path: Path,
        source: str | None = None,
        encoding: str | None = None,
        now: datetime | None = None,
    ) -> None:
        self.path = path
        self.now = now or datetime.now(UTC)
        self.source = source
        self._encoding = encoding or "utf-8-sig"
        data = _read_bytes(path)
        self._bytes_total = len(data)
        self._features = _features(path, _decode(path, data, self._encoding))
        self._done = 0

    @property
    def columns(self) -> list[str]:
        return ["feature"]

    @property
    def encoding(self) -> str:
        return "UTF-8" if self._encoding.startswith("utf-8") else self._encoding

    @property
    def bytes_total(self) -> int:
        return self._bytes_total

    @property
    def bytes_read(self) -> int:
        if not self._features:
            return self._bytes_total
        return self._bytes_total * self._done // len(self._features)

    def rows(self) -> Iterator[ParsedRow | RowError]:
        for row, feature in enumerate(self._features, 1):
            self._done = row
            try:
                report = self._report(feature)
            except InvalidInputError as error:
                reason = join_reason(LABELS.get(error.field, error.field), error.reason)
                yield RowError(row, reason, {"feature": _compact(feature)})
            else:
                yield ParsedRow(row, report)

    def close(self) -> None:
        self._features = []

    def _report(self, feature: object) -> Report:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InvalidInputError("feature", f"{_compact(feature)[:60]} is not a GeoJSON Feature")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InvalidInputError("properties", "must be an object")
        source_id = _identifier(props)
        lon, lat = _point(feature.get("geometry"))
        time = _time(props)
        check_not_future(time, self.now, _start_property(props))
        location = _location(props, lon, lat)
        event_type, sub_event_type = check_event_type(
            _text(props, "event_type"), _text(props, "sub_event_type")
        )
        fatalities, given = _fatalities(props.get("fatalities"))
        attributes = _attributes(props)
        if given is not None:
            attributes = {**attributes, AS_GIVEN: given}
        return Report(
            source=self.source or _text(props, "source") or self.path.stem,
            source_id=source_id,
            time=time,
            location=location,
            event_type=event_type,
            sub_event_type=sub_event_type,
            actors=_actors(props.get("actors")),
            fatalities=fatalities,
            narrative=_text(props, "narrative") or "",
            citations=_citations(props.get("citations")),
            attributes=attributes,
        )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInputError(str(path), f"cannot be read ({error.strerror})") from None


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise InvalidInputError("encoding", f"{encoding!r} is not a known encoding") from None
    except UnicodeDecodeError as error:
        label = "UTF-8" if encoding.startswith("utf-8") else encoding
        byte = error.object[error.start]  # the decoder's input: after a byte-order mark
        offset = error.start + len(data) - len(error.object)
        raise InvalidInputError(
            str(path), f"is not valid {label} (byte 0x{byte:02x} at offset {offset})"
        ) from None


def _features(path: Path, text: str) -> list[object]:
    document = parse_json(text, str(path))
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InvalidInputError(str(path), "is not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        raise InvalidInputError(str(path), "is not a GeoJSON FeatureCollection")
    return features


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _point(geometry: object) -> tuple[float, float]:
    if geometry is None:
        raise InvalidInputError("geometry", "is missing")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        raise InvalidInputError("geometry", f"{kind!r} is not a Point")
    coordinates = geometry.get("coordinates")
    if (
        not isinstance(coordinates, list)
        or len(coordinates) not in (2, 3)
        or not all(_is_number(c) for c in coordinates)
    ):
        raise InvalidInputError(
            "geometry", f"coordinates {_compact(coordinates)} are not [longitude, latitude]"
        )
    return float(coordinates[0]), float(coordinates[1])


def _text(props: Properties, key: str) -> str | None:
    value = props.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"property '{key}'", f"{_compact(value)} is not a string")
    return value.strip() or None


def _identifier(props: Properties) -> str:
    value = props.get("source_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    identifier = _text(props, "source_id")
    if identifier is None:
        raise InvalidInputError("property 'source_id'", "is missing")
    return identifier


def _time(props: Properties) -> EventTime:
    precision = _text(props, "time_precision")
    if props.get("time") is not None:
        if precision not in (None, TimePrecision.EXACT):
            raise InvalidInputError(
                "property 'time_precision'", f"{precision!r} does not go with 'time' (exact)"
            )
        return EventTime.at(_instant(props))
    scale = _date_precision(precision)
    if props.get("date") is not None:
        first, last = span_around(_date(props, "date"), scale)
        return EventTime.dates(first, last, scale)
    if props.get("date_start") is not None or props.get("date_end") is not None:
        return EventTime.dates(_date(props, "date_start"), _date(props, "date_end"), scale)
    raise InvalidInputError(
        "", "no time: give property 'time', 'date', or 'date_start' and 'date_end'"
    )


def _start_property(props: Properties) -> str:
    """The property ``_time`` read an event's start from, as an error names it."""
    name = next((n for n in ("time", "date") if props.get(n) is not None), "date_start")
    return f"property '{name}'"


def _instant(props: Properties) -> datetime:
    value = _text(props, "time") or ""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError("property 'time'", f"{value!r} is not an ISO 8601 time") from None
    if instant.tzinfo is None:
        raise InvalidInputError("property 'time'", f"{value!r} has no UTC offset")
    return instant


def _date_precision(value: str | None) -> TimePrecision:
    if value is None:
        return TimePrecision.DAY
    if value not in DATE_PRECISIONS:
        known = ", ".join(DATE_PRECISIONS)
        raise InvalidInputError("property 'time_precision'", f"{value!r} is not one of {known}")
    return TimePrecision(value)


def _date(props: Properties, key: str) -> date:
    value = _text(props, key)
    if value is None:
        raise InvalidInputError(f"property '{key}'", "is missing")
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(f"property '{key}'", f"{value!r} is not a date") from None


def _location(props: Properties, lon: float, lat: float) -> EventLocation:
    value = _text(props, "location_precision") or LocationPrecision.EXACT
    if value not in list(LocationPrecision):
        known = ", ".join(LocationPrecision)
        raise InvalidInputError("property 'location_precision'", f"{value!r} is not one of {known}")
    return EventLocation(
        lon=lon,
        lat=lat,
        precision=LocationPrecision(value),
        place=_text(props, "place"),
        admin1=_text(props, "admin1"),
        admin2=_text(props, "admin2"),
        country=_text(props, "country"),
    )


def _actors(value: object) -> tuple[ActorMention, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidInputError("property 'actors'", f"{_compact(value)} is not a list")
    return tuple(_actor(i, item) for i, item in enumerate(value, 1))


def _actor(position: int, item: object) -> ActorMention:
    if isinstance(item, str) and item.strip():
        return ActorMention(item.strip())
    if isinstance(item, dict):
        name, role = item.get("name"), item.get("role", "actor")
        if isinstance(name, str) and name.strip() and isinstance(role, str) and role.strip():
            return ActorMention(name.strip(), role=role.strip())
    raise InvalidInputError(
        "property 'actors'", f"item {position} {_compact(item)} is not a name or a {{name, role}}"
    )


def _fatalities(value: object) -> tuple[Fatalities, str | None]:
    """The range, and the figures as given when they were out of order (``Fatalities``)."""
    if value is None:
        return Fatalities(), None
    if isinstance(value, int) and not isinstance(value, bool):
        return Fatalities(best=value), None
    if isinstance(value, dict) and set(value) <= {"low", "best", "high"}:
        counts = {k: v for k, v in value.items() if v is not None}
        if all(isinstance(v, int) and not isinstance(v, bool) for v in counts.values()):
            figures = (counts.get("low"), counts.get("best"), counts.get("high"))
            found = Fatalities.holding(*figures)
            return found, None if found.same(*figures) else as_given(*figures)
    raise InvalidInputError(
        "property 'fatalities'", f"{_compact(value)} is not a count or a {{low, best, high}}"
    )


def _citations(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise InvalidInputError(
            "property 'citations'", f"{_compact(value)} is not a list of strings"
        )
    return tuple(c.strip() for c in value if c.strip())


def _attributes(props: Properties) -> dict[str, str]:
    """Every other property as a string: text as it is, anything else as compact JSON."""
    return {
        key: value if isinstance(value, str) else _compact(value)
        for key, value in props.items()
        if key not in KNOWN_PROPERTIES and value is not None
    }
