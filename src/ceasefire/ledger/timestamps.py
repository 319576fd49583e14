"""Ledger timestamps: RFC 3339 in UTC with exactly six fractional digits.

Every time an entry carries is written one way, ``2016-02-27T00:00:00.000000Z``, so that
its canonical bytes are fixed; ``parse_time`` refuses any other shape.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ceasefire.domain.errors import InvalidInputError

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


def format_time(time: datetime) -> str:
    """RFC 3339 in UTC with exactly six fractional digits: ``2016-02-27T00:00:00.000000Z``."""
    return time.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_time(text: str, *, field: str = "time") -> datetime:
    """The aware UTC datetime of a ``format_time`` text; any other shape is refused."""
    if not _TIME.fullmatch(text):
        raise InvalidInputError(
            field, f"{text!r} is not RFC 3339 UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ"
        )
    try:
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError as error:
        raise InvalidInputError(field, f"{text!r} is not a date and time: {error}") from None
