"""JSON objects read back from entries and leaves: exactly the members expected.

A missing or unknown member is refused, and the error names every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from ceasefire.domain.errors import InvalidInputError

from .canonical import JsonValue


def exact_object(value: JsonValue, name: str, fields: frozenset[str]) -> Mapping[str, JsonValue]:
    """``value`` as a JSON object with exactly ``fields``; ``name`` labels the error."""
    if not isinstance(value, Mapping):
        raise InvalidInputError(name, "must be a JSON object")
    missing, unknown = sorted(fields - value.keys()), sorted(value.keys() - fields)
    problems = [f"missing {', '.join(map(repr, missing))}"] if missing else []
    problems += [f"unknown {', '.join(map(repr, unknown))}"] if unknown else []
    if problems:
        raise InvalidInputError(name, f"fields: {'; '.join(problems)}")
    return value


def has_member(value: JsonValue, key: str) -> bool:
    """Whether ``value`` is a JSON object with the member ``key``."""
    return isinstance(value, Mapping) and key in value
