"""Why a form's value was refused, in the reader's language, and where the form shows it.

A form is checked as the API's body is (``services.reports_in.ReportBody``); the schema's
refusals are pydantic's, in English, each with a type and its limit (``ctx``). Here each
type a form can meet has a sentence of the catalogue, with its limit written the locale's
way (``reason_in``); any other refusal keeps pydantic's words. The refusals of the domain
and the services that carry a catalogue message (an error's ``template``, as
``InvalidInputError.because`` gives one) are translated where a page shows them
(``form_error``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ceasefire.api.errors import field_of
from ceasefire.domain.errors import CeasefireError, InvalidInputError, InvalidInputsError
from ceasefire.domain.words import Term
from ceasefire.web.context import Page


def form_error(
    page: Page, error: CeasefireError, inputs: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """An error as a page shows it: ``message`` above the form (it names the field) and
    ``reason`` beside its field (``inputs``: the form's input of a field named otherwise);
    both the same for an error of no field; ``others``, for several, each other field's
    reason by input. A catalogue message (the error's template) is translated."""
    shown: dict[str, Any] = _one(page, error, inputs)
    if isinstance(error, InvalidInputsError):
        more = [_one(page, other, inputs) for other in error.others]
        shown["others"] = {m["field"]: m["reason"] for m in reversed(more)}
    return shown


def _one(
    page: Page, error: CeasefireError, inputs: Mapping[str, str] | None = None
) -> dict[str, str]:
    said = None if error.template is None else page._(error.template) % _values(page, error)
    if not isinstance(error, InvalidInputError):
        message = said or error.message
        return {"field": "", "message": message, "reason": message}
    field = (inputs or {}).get(error.field, error.field)
    if said is None:
        return {"field": field, "message": error.message, "reason": error.reason}
    return {"field": field, "message": said, "reason": said}


def _values(page: Page, error: CeasefireError) -> dict[str, object]:
    """The values of an error's catalogue message, the catalogue's words translated."""
    return {k: page._(v) if isinstance(v, Term) else v for k, v in error.values.items()}


def line_error(page: Page, error: Mapping[str, Any], lines: frozenset[str]) -> InvalidInputError:
    """A schema's refusal as the form's input error: a field the form takes one item a line
    (``lines``) is named by its input, and the reason by its line (``actors[2].name`` is
    the actors' line 3)."""
    loc = tuple(error["loc"])
    reason = reason_in(page, error)
    if len(loc) > 1 and loc[0] in lines and isinstance(loc[1], int):
        line = page._("Line %(num)d: %(reason)s") % {"num": loc[1] + 1, "reason": reason}
        return InvalidInputError(str(loc[0]), line)
    return InvalidInputError(field_of(loc), reason)


def reason_in(page: Page, error: Mapping[str, Any]) -> str:
    """The reason a value was refused (no field name: it is shown beside the field); a
    refusal of a type the catalogue has no sentence for keeps pydantic's words."""
    known = known_reason(page, error)
    return str(error.get("msg", "")) if known is None else known


def known_reason(page: Page, error: Mapping[str, Any]) -> str | None:
    """The reason a value was refused, in the reader's language; None for a type of
    refusal the catalogue has no sentence for."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    counted = _counted(page, kind, ctx)
    if counted is not None:
        return counted
    bound = next((ctx[key] for key in ("ge", "gt", "le", "lt") if key in ctx), None)
    limit = {"limit": page.language.number(bound)} if isinstance(bound, int | float) else None
    if kind == "missing":
        return page._("This is required.")
    if limit and kind == "greater_than_equal":
        return page._("Give %(limit)s or more.") % limit
    if limit and kind == "greater_than":
        return page._("Give more than %(limit)s.") % limit
    if limit and kind == "less_than_equal":
        return page._("Give %(limit)s or less.") % limit
    if limit and kind == "less_than":
        return page._("Give less than %(limit)s.") % limit
    if kind in ("literal_error", "enum"):
        return page._("Choose one of the options offered.")
    if kind == "string_pattern_mismatch":
        return page._("This holds characters that are not allowed here.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return page._("Give a whole number.")
    if kind in ("float_parsing", "float_type"):
        return page._("Give a number.")
    return None


def _counted(page: Page, kind: str, ctx: Mapping[str, Any]) -> str | None:
    """A limit on a text's characters or a list's lines, with its count."""
    at_least = kind in ("string_too_short", "too_short")
    count = ctx.get("min_length" if at_least else "max_length")
    if kind not in _COUNTED or not isinstance(count, int):
        return None
    if kind == "string_too_short" and count == 1:
        return page._("This is required.")
    language = page.language
    if kind == "string_too_short":
        text = language.ngettext(
            "Use at least %(num)d character.", "Use at least %(num)d characters.", count
        )
    elif kind == "string_too_long":
        text = language.ngettext(
            "Use at most %(num)d character.", "Use at most %(num)d characters.", count
        )
    elif kind == "too_short":
        text = language.ngettext(
            "Give at least %(num)d line.", "Give at least %(num)d lines.", count
        )
    else:
        text = language.ngettext("Give at most %(num)d line.", "Give at most %(num)d lines.", count)
    return text % {"num": count}


_COUNTED = frozenset({"string_too_short", "string_too_long", "too_short", "too_long"})
