"""Errors in scenario files, each naming the key path it comes from.

A pydantic validation error becomes an ``InvalidInputError`` in these words, e.g.
``agreements[0].regimes[2].end: '2016-13-01' is not a date`` (``invalid_scenario``); a
duplicate id names where it was first given (``check_unique``).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ceasefire.domain.errors import InvalidInputError


def shown_input(value: object) -> str:
    """A value as an error quotes it: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _path(loc: Sequence[int | str], name: str) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or name


def _reason(error: ErrorDetails) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch":
        return f"{shown_input(value)} is not an id (letters, digits and . _ : -, no spaces)"
    if kind == "literal_error":
        return f"{shown_input(value)} is not one of {error.get('ctx', {}).get('expected')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "string_type":
        return f"{shown_input(value)} is not a string"
    if kind in ("tuple_type", "list_type"):
        return f"{shown_input(value)} is not a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{shown_input(value)} is not a mapping"
    return error["msg"]


def invalid_scenario(exc: ValidationError, name: str) -> InvalidInputError:
    """The error of the first problem, with up to 19 more, one a line, in its reason."""
    errors = exc.errors(include_url=False)
    lines = [f"{_path(e['loc'], name)}: {_reason(e)}" for e in errors[:20]]
    first = errors[0]
    rest = "".join(f"\n{line}" for line in lines[1:])
    return InvalidInputError(_path(first["loc"], name), _reason(first) + rest)


def check_unique(keyed: Sequence[tuple[str, str]]) -> None:
    """Each (path, id) pair must carry an id not seen before."""
    first: dict[str, str] = {}
    for where, key in keyed:
        if key in first:
            raise InvalidInputError(where, f"{key!r} is a duplicate of {first[key]}")
        first[key] = where
