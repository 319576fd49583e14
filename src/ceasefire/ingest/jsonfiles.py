"""JSON from files people send: read whole, refused in one line naming the file.

``json.loads`` recurses once per level of nesting, so a file of 100,000 ``[`` takes
Python's stack: that is an error about the file, like any other malformed JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ceasefire.domain.errors import InvalidInputError


def parse_json(text: str, where: str, *, label: str = "JSON") -> Any:
    """The document ``text`` holds; ``where`` names it in the error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            where, f"is not valid {label} ({error.msg} at line {error.lineno})"
        ) from None
    except RecursionError:
        raise InvalidInputError(where, f"is not valid {label}: nested too deep") from None


def read_json_file(path: Path, max_bytes: int, *, where: str | None = None) -> Any:
    """The JSON document of a UTF-8 file (a byte-order mark allowed) of at most
    ``max_bytes``."""
    name = where or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidInputError(name, f"is {size:,} bytes, more than {max_bytes:,} allowed")
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInputError(name, f"cannot be read ({error.strerror or error})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:  # its offsets count from after a byte-order mark
        byte, offset = error.object[error.start], error.start + len(data) - len(error.object)
        raise InvalidInputError(
            name, f"is not UTF-8 (byte 0x{byte:02x} at offset {offset})"
        ) from None
    return parse_json(text, name)
