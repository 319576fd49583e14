"""Conditional writes: the version a client read (its ETag), sent back as ``If-Match`` so
that a write made from a stale copy is refused (412) rather than undoing a colleague's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from ceasefire.domain.errors import InvalidInputError

IfMatch = Annotated[
    str | None,
    Header(
        max_length=200,
        description="The version you read (its ETag): refused with 412 if the record "
        "changed since.",
    ),
]


def etag(version: str) -> str:
    """The ETag header's value of a version."""
    return f'"{version}"'


def version_matched(if_match: str | None, what: str) -> str | None:
    """The version an If-Match header names (``"…"``, or ``W/"…"``); None for ``*`` or no
    header. ``what``: the record, for the error (``a draft``)."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value or "," in value or '"' in value:
        raise InvalidInputError("If-Match", f"{if_match!r} is not one version of {what}")
    return value
