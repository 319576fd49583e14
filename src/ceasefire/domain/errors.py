"""The one tree of errors that the domain, services and adapters raise.

Each error's message names the value and the rule it broke, so that the API can return
it as it is (with the status from ``api/errors.py``) and the CLI can print it on one line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager


class CeasefireError(Exception):
    """Base of every error ceasefire raises on purpose.

    ``template``, when given, is the message as a catalogue message (marked with
    ``domain.words.N_``) with ``%(name)s`` placeholders, and ``values`` fill them: a page
    shows it in its reader's language; the API and the CLI show ``message``."""

    def __init__(
        self,
        message: str,
        *,
        template: str | None = None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.template = template
        self.values: Mapping[str, object] = dict(values or {})

    def __str__(self) -> str:
        return self.message


class NotFoundError(CeasefireError):
    """A record that was asked for does not exist."""


class GoneError(NotFoundError):
    """A record that existed and is no more, with where it went (a merged incident)."""

    def __init__(self, message: str, *, moved_to: str) -> None:
        super().__init__(message)
        self.moved_to = moved_to


class ConflictError(CeasefireError):
    """The request contradicts the current state (a duplicate id, a merge of one incident)."""


class InvalidInputError(CeasefireError):
    """Input broke a rule; ``field`` names where (a column, a key path, a query parameter).
    Its ``template``, when given, is the ``reason``'s (the message names the field too)."""

    def __init__(
        self,
        field: str,
        reason: str,
        *,
        template: str | None = None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        message = f"{field}: {reason}" if field else reason
        super().__init__(message, template=template, values=values)
        self.field = field
        self.reason = reason

    @classmethod
    def because(cls, field: str, template: str, **values: object) -> InvalidInputError:
        """An input error whose reason is ``template`` (a catalogue message) filled with
        ``values``."""
        return cls(field, template % values, template=template, values=values)


class RowsError(InvalidInputError):
    """Rows of one input that broke rules, all of them: ``rows`` holds each row's own
    error by the row's number (a form shows each beside its row); the message names the
    first ``SHOWN`` rows and counts the others. Nothing of the input was written."""

    SHOWN = 10

    def __init__(self, field: str, rows: Mapping[int, InvalidInputError]) -> None:
        numbers = sorted(rows)
        said = "; ".join(f"row {n}: {rows[n].reason}" for n in numbers[: self.SHOWN])
        more = len(numbers) - self.SHOWN
        super().__init__(
            field, said + (f"; and {more} more" if more > 0 else "") + ". Nothing was written"
        )
        self.rows = dict(rows)


class InvalidInputsError(InvalidInputError):
    """Several fields wrong at once, each named (rather than one at each try): the first is
    this error's own field and reason, ``others`` the rest; the message names them all."""

    def __init__(self, errors: Sequence[InvalidInputError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.reason, template=first.template, values=first.values)
        self.errors = list(errors)
        self.others = self.errors[1:]
        self.message = "; ".join(e.message for e in errors)


class AuthenticationError(CeasefireError):
    """No valid credentials: a missing, unknown, expired or revoked token or session."""


class PermissionDeniedError(CeasefireError):
    """The signed-in user's role or party may not do this."""


class PreconditionFailedError(ConflictError):
    """A write made on condition that the record is still as the writer last read it (the
    version an ``If-Match`` names) found it changed since."""


class TooManyRequestsError(CeasefireError):
    """Too many attempts (sign-in): try again later."""


@contextmanager
def field_named(inner: str, outer: str) -> Iterator[None]:
    """An input error raised on ``inner`` (the domain's name of a value) said of ``outer``,
    the name the caller's input gives it (an API body's field, a CLI option)."""
    try:
        yield
    except InvalidInputError as error:
        if error.field != inner:
            raise
        raise InvalidInputError(outer, error.reason) from None
