"""Canonical JSON: the JSON Canonicalization Scheme (JCS) of RFC 8785.

One JSON value has exactly one canonical text, so that what a party signs can be
rebuilt byte for byte by anyone, in any language: no whitespace; object members sorted
by their names as UTF-16 code units; strings in UTF-8 with only ``"``, ``\\`` and the
control characters escaped (the short forms ``\\b \\t \\n \\f \\r``, otherwise ``\\u00xx``
in lower case); numbers as ECMAScript prints an IEEE 754 double.

The values are those of I-JSON (RFC 7493), as RFC 8785 requires: ``None``, ``bool``,
``str`` with no lone surrogates, ``int`` within ±(2**53 − 1) (beyond it a double cannot
hold every integer, so the text would not say which one was meant), finite ``float``,
sequences (``list``, ``tuple``) and mappings with ``str`` keys. Anything else raises
``InvalidInputError`` naming the path of the value (``change.casualties[2]``).

``parse_canonical`` is the strict way back: it accepts only bytes that are already
canonical, so every canonical value has one encoding and every accepted text one value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import TypeAlias, cast

from ceasefire.domain.errors import InvalidInputError

JsonValue: TypeAlias = (
    bool | int | float | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"] | None
)
"""A value canonical JSON can encode (read-only containers, so frozen values fit too)."""

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer I-JSON allows (ECMAScript's ``Number.MAX_SAFE_INTEGER``)."""

MAX_DEPTH = 64
"""How deeply arrays and objects may nest; deeper input is refused, not overflowed."""

_ESCAPES: dict[int, str] = {code: f"\\u{code:04x}" for code in range(0x20)}
_ESCAPES.update(
    {
        ord('"'): '\\"',
        ord("\\"): "\\\\",
        0x08: "\\b",
        0x09: "\\t",
        0x0A: "\\n",
        0x0C: "\\f",
        0x0D: "\\r",
    }
)


def canonical_json(value: JsonValue, *, field: str = "value") -> bytes:
    """The RFC 8785 canonical UTF-8 text of ``value``; ``field`` names it in errors."""
    if plain := _plain(value, 0):
        try:
            return _dumps(value if plain == _AS_IS else _whole_as_int(value)).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: the general path names it
    parts: list[str] = []
    _write(value, field, 0, parts)
    return "".join(parts).encode("utf-8")


def parse_canonical(data: bytes, *, field: str = "value") -> JsonValue:
    """The value of a canonical JSON text; anything not already canonical is refused.

    Objects come back as ``dict`` and arrays as ``list``. A number with no fraction or
    exponent comes back as ``int`` when it is within ±(2**53 − 1) and as ``float``
    otherwise (``1e16`` is canonically ``10000000000000000``): JSON numbers are doubles.
    """
    try:
        quick: JsonValue = json.loads(data)
    except (ValueError, RecursionError):
        pass  # the general path names the problem
    else:
        if _plain(quick, 0) == _AS_IS and _dumps(quick).encode("utf-8", "surrogatepass") == data:
            return quick
    value = _loads(data, field)
    if canonical_json(value, field=field) != data:
        raise InvalidInputError(field, "is JSON but not in RFC 8785 canonical form")
    return value


def freeze(value: JsonValue, *, field: str = "value") -> JsonValue:
    """A read-only deep copy of ``value`` as canonical JSON reads it back.

    Mappings become ``MappingProxyType``, sequences ``tuple``, and numbers what their
    canonical text parses to (``1.0`` becomes ``1``), so the copy has the same canonical
    text as ``value`` and nothing holding it can change what was signed.
    """
    if plain := _plain(value, 0):  # numbers read back as themselves, or whole as integers
        return _frozen(value if plain == _AS_IS else _whole_as_int(value))
    return _frozen(_loads(canonical_json(value, field=field), field))


def freeze_canonical(value: JsonValue, *, field: str = "value") -> tuple[JsonValue, bytes]:
    """``freeze(value)`` and ``canonical_json(value)`` together, walking ``value`` once
    when it can."""
    if plain := _plain(value, 0):
        if plain != _AS_IS:
            value = _whole_as_int(value)
        try:
            text = _dumps(value).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: the general path names it
        else:
            return _frozen(value), text
    text = canonical_json(value, field=field)
    return _frozen(_loads(text, field)), text


def thaw(value: JsonValue) -> JsonValue:
    """A mutable deep copy (``dict`` and ``list``) of a JSON value, frozen or not."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [thaw(item) for item in value]
    return value


def _write(value: JsonValue, path: str, depth: int, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(_integer(value, path))
    elif isinstance(value, float):
        out.append(_number(value, path))
    elif isinstance(value, str):
        out.append(_string(value, path))
    elif isinstance(value, Mapping):
        _check_depth(depth, path)
        _write_object(value, path, depth, out)
    elif isinstance(value, list | tuple):
        _check_depth(depth, path)
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(",")
            _write(item, f"{path}[{position}]", depth + 1, out)
        out.append("]")
    else:
        kind = type(value).__name__
        raise InvalidInputError(path, f"a value of type {kind} has no JSON form")


def _write_object(value: Mapping[str, JsonValue], path: str, depth: int, out: list[str]) -> None:
    members: list[tuple[bytes, str, str]] = []
    for key in value:
        if not isinstance(key, str):
            raise InvalidInputError(
                path, f"key {key!r} is of type {type(key).__name__}, not a string"
            )
        text = _string(key, f"{path} key {key!r}")
        members.append((key.encode("utf-16-be"), text, key))
    members.sort()
    out.append("{")
    for position, (_, text, key) in enumerate(members):
        if position:
            out.append(",")
        out.append(text)
        out.append(":")
        _write(value[key], f"{path}.{key}", depth + 1, out)
    out.append("}")


def _integer(value: int, path: str) -> str:
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise InvalidInputError(
            path, f"{value} is outside ±(2**53 − 1); JSON numbers are doubles and lose it"
        )
    return str(int(value))


def _number(value: float, path: str) -> str:
    """ECMAScript's Number::toString (ECMA-262 §6.1.6.1.20) for a finite double."""
    if not math.isfinite(value):
        raise InvalidInputError(path, f"{value} has no JSON form; only finite numbers do")
    if value == 0:
        return "0"  # and -0.0 too
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that read back as the same double, as ECMAScript
    # requires; the value is then 0.DIGITS × 10**n.
    exact = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, exact.digits))
    assert isinstance(exact.exponent, int)
    k, n = len(digits), exact.exponent + len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    exponent = f"e{'+' if n > 0 else '-'}{abs(n - 1)}"
    mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
    return sign + mantissa + exponent


def _string(value: str, path: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(value[error.start])
        raise InvalidInputError(
            path, f"holds the lone surrogate U+{code:04X} at {error.start}; JSON text is Unicode"
        ) from None
    return '"' + value.translate(_ESCAPES) + '"'


def _check_depth(depth: int, path: str) -> None:
    if depth >= MAX_DEPTH:
        raise InvalidInputError(path, f"nests deeper than {MAX_DEPTH} arrays and objects")


def _loads(data: bytes, field: str) -> JsonValue:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError(field, f"is not UTF-8: byte {error.start} is invalid") from None
    try:
        value: JsonValue = json.loads(
            text,
            object_pairs_hook=_unique_members,
            parse_constant=_refuse_constant,
            parse_int=_json_integer,
        )
    except json.JSONDecodeError as error:
        raise InvalidInputError(field, f"is not JSON: {error}") from None
    except RecursionError:
        raise InvalidInputError(field, "nests too deeply to read") from None
    except _ParseError as error:
        raise InvalidInputError(field, str(error)) from None
    return value


class _ParseError(Exception):
    pass


def _unique_members(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    members: dict[str, JsonValue] = {}
    for key, item in pairs:
        if key in members:
            raise _ParseError(f"has the member {key!r} twice")
        members[key] = item
    return members


def _refuse_constant(name: str) -> float:
    raise _ParseError(f"holds {name}, which is not JSON")


def _json_integer(text: str) -> int | float:
    number = int(text)
    return number if -MAX_SAFE_INTEGER <= number <= MAX_SAFE_INTEGER else float(text)


def _frozen(value: JsonValue) -> JsonValue:
    kind = type(value)
    if kind is dict or kind is MappingProxyType:
        return MappingProxyType(
            {
                key: item if type(item) in _SCALARS else _frozen(item)
                for key, item in value.items()  # type: ignore[union-attr]
            }
        )
    if kind is list or kind is tuple:
        return tuple(item if type(item) in _SCALARS else _frozen(item) for item in value)  # type: ignore[union-attr]
    if isinstance(value, Mapping):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})


# The fast path. Python's own encoder writes RFC 8785 text for most values: with these
# options it escapes exactly what RFC 8785 escapes, in the same lower-case forms, and
# sorts members by code point, which is the UTF-16 order when every name is ASCII. It
# differs only on numbers: integers beyond ±(2**53 − 1), and floats that are whole
# (``1.0``, which RFC 8785 writes ``1``) or outside 1e-4..1e16 (where repr switches to
# an exponent and ECMAScript does not, or not the same one). ``_plain`` finds values with
# none of those, walking them once, or with whole floats within ±(2**53 − 1) only, which
# it then writes as the integers they equal (an actor's match score of 1.0 sent half of
# an import's reports down the general path, 129 µs a report against 23); anything else
# takes the general path, which also names what is wrong. ``tests/ledger/test_canonical.py``
# checks that both agree.
_dumps = json.JSONEncoder(
    ensure_ascii=False,
    allow_nan=False,
    sort_keys=True,
    separators=(",", ":"),
    default=dict,  # read-only mappings (MappingProxyType) from freeze
).encode


# what ``_plain`` finds: the general path must write the value (falsy), the fast path may
# as it is, or once its whole floats are integers
_NOT, _AS_IS, _WHOLE = 0, 1, 2


def _plain(value: object, depth: int) -> int:
    """Whether Python's encoder writes ``value`` as RFC 8785 does (exact types only:
    subclasses such as enums take the general path): ``_AS_IS``, ``_WHOLE`` (once its
    whole floats are integers) or ``_NOT``."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return _AS_IS
    if kind is int:
        return _AS_IS if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else _NOT  # type: ignore[operator]
    if kind is float:
        size = abs(cast(float, value))
        if size.is_integer():
            return _WHOLE if size <= MAX_SAFE_INTEGER else _NOT
        return _AS_IS if 1e-4 <= size < 1e16 else _NOT
    if depth >= MAX_DEPTH:
        return _NOT
    if kind is dict or kind is MappingProxyType:
        for key in value:  # type: ignore[attr-defined]
            if type(key) is not str or not key.isascii():
                return _NOT
        items = value.values()  # type: ignore[attr-defined]
    elif kind is list or kind is tuple:
        items = value
    else:
        return _NOT
    found = _AS_IS
    for item in items:
        if type(item) is not str and item is not None:
            inner = _plain(item, depth + 1)
            if inner == _NOT:
                return _NOT
            if inner == _WHOLE:
                found = _WHOLE
    return found


def _whole_as_int(value: JsonValue) -> JsonValue:
    """A copy of a ``_WHOLE`` value with each whole float the integer it equals."""
    kind = type(value)
    if kind is float:
        number = cast(float, value)
        return int(number) if number.is_integer() else number
    if kind is dict or kind is MappingProxyType:
        return {key: _whole_as_int(item) for key, item in value.items()}  # type: ignore[union-attr]
    if kind is list or kind is tuple:
        return [_whole_as_int(item) for item in value]  # type: ignore[union-attr]
    return value
