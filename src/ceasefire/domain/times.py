"""Local times, converted once: the one rule for scenario files, the API and the command line.

An agreement's times are given in its time zone (the Syrian cessation began at 00:00
Damascus time on 27 February 2016). A local time that the clocks skipped (moved forward)
does not exist, and one they passed twice (moved back) is ambiguous: both are refused,
naming the field, rather than guessed; a time with its own UTC offset is always exact.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.words import N_


def zone(name: str, field_name: str = "time_zone") -> ZoneInfo:
    """The IANA time zone of that name, or an error naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(field_name, f"{name!r} is not an IANA time zone") from None


def zone_label(name: str) -> str:
    """'Asia/Damascus' -> 'Damascus time'."""
    return f"{name.rsplit('/', 1)[-1].replace('_', ' ')} time"


def to_utc(
    value: datetime, time_zone: str | ZoneInfo, field: str, *, fold: int | None = None
) -> datetime:
    """``value`` as aware UTC: with its own offset as it says, or as a local time in
    ``time_zone``, which must exist and be unambiguous there — or, where the clocks showed
    it twice, be the first (``fold`` 0) or the second (1) the writer chose — (and, made
    UTC, still within the years 1 to 9999)."""
    try:
        return _to_utc(value, time_zone, field, fold)
    except OverflowError:
        raise InvalidInputError(
            field, f"{value.isoformat()} is outside the years 1 to 9999 once made UTC"
        ) from None


_SKIPPED = N_("%(time)s does not exist in %(zone)s: the clocks moved forward over it")
TWICE = N_(
    "%(time)s happened twice in %(zone)s: the clocks moved back (UTC%(first)s and then "
    "UTC%(second)s); give the time with its UTC offset"
)


def _to_utc(value: datetime, time_zone: str | ZoneInfo, field: str, fold: int | None) -> datetime:
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    tz = time_zone if isinstance(time_zone, ZoneInfo) else zone(time_zone, field)
    first, second = value.replace(tzinfo=tz, fold=0), value.replace(tzinfo=tz, fold=1)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != value:
        raise InvalidInputError.because(field, _SKIPPED, time=shown(value), zone=tz.key)
    if first.utcoffset() != second.utcoffset():
        if fold in (0, 1):
            return (second if fold else first).astimezone(UTC)
        raise InvalidInputError.because(
            field,
            TWICE,
            time=shown(value),
            zone=tz.key,
            first=_offset(first),
            second=_offset(second),
        )
    return first.astimezone(UTC)


def _offset(value: datetime) -> str:
    offset = value.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def shown(value: datetime | None) -> str:
    """A time as a person wrote it: to the minute when it has no seconds."""
    if value is None:
        return "null"
    spec = "minutes" if not value.second and not value.microsecond else "auto"
    return value.isoformat(timespec=spec)
