"""Typed reading of one CSV value, named by its column in any error.

Each reader raises :class:`InvalidInputError` whose ``field`` is the column and whose
reason names the value and the rule (``'48,5' is not a number``). Values as files
usually write them (``3``, ``48.0159``) take a fast path; anything else takes the full
one, which decides and explains.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeVar

from ceasefire.domain.errors import InvalidInputError

T = TypeVar("T")

# Whole numbers as files write codes and counts; any other spelling takes the full path.
_WHOLE = {str(n): n for n in range(1000)}


def text(value: str) -> str | None:
    """The value without surrounding blanks, or None when empty."""
    return value.strip() or None


def required(value: str, column: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise InvalidInputError(column, "is empty")
    return stripped


def number(value: str, column: str) -> float:
    """A finite number, surrounding blanks allowed."""
    try:
        found = float(value)
    except ValueError:
        pass
    else:
        if math.isfinite(found):
            return found
    stripped = required(value, column)
    try:
        found = float(stripped)
    except ValueError:
        raise InvalidInputError(column, f"{stripped!r} is not a number") from None
    if not math.isfinite(found):
        raise InvalidInputError(column, f"{stripped!r} is not a finite number")
    return found


def whole(value: str, column: str) -> int:
    """A whole number, which may be written with a zero fraction (``2.0``)."""
    found = _WHOLE.get(value)
    if found is not None:
        return found
    stripped = required(value, column)
    try:
        parsed = float(stripped)
    except ValueError:
        parsed = math.nan
    if not parsed.is_integer():
        raise InvalidInputError(column, f"{stripped!r} is not a whole number")
    return int(parsed)


def optional_whole(value: str, column: str) -> int | None:
    found = _WHOLE.get(value)
    if found is not None:
        return found
    return None if not value.strip() else whole(value, column)


def code(value: str, column: str, meanings: Mapping[int, T]) -> tuple[int, T]:
    """A source's numeric code and what it means, e.g. ``where_prec`` 2 → NEAR."""
    found = whole(value, column)
    if found not in meanings:
        known = ", ".join(str(k) for k in meanings)
        raise InvalidInputError(column, f"{found} is not one of {known}")
    return found, meanings[found]
