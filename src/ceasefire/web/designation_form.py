"""The designations page's submission form: an officer of a member party sets its party's
position on each group (and a note), or adds a group by any name, and the whole list goes
to the same service as the API's (``services.designations.submit``, or ``preview``).

Each row is numbered as the service numbers its rows, so that a row the service refuses
(a name that names no actor, a group both listed and not) is shown beside that row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ceasefire.domain.designations import Designation, ListEntry, Position, Row
from ceasefire.domain.errors import CeasefireError, InvalidInputError, InvalidInputsError, RowsError
from ceasefire.web.context import Page, as_typed

NEW_ROWS = 3  # empty rows the form offers to add groups
MAX_ACTOR = 300
MAX_NOTE = 2_000
POSITIONS = ("listed", "not_listed")


@dataclass(frozen=True)
class FormRow:
    """One row of the form: a group the list knows (by id, with its name) or one to add
    (as typed); the party's position on it ("" says nothing) and its note."""

    number: int
    actor: str
    name: str  # "" for a row that adds a group
    position: str
    note: str
    spoken: bool = False  # the party has a position on it: the row offers no silence

    @property
    def field(self) -> str:
        return f"row-{self.number}"

    @property
    def added(self) -> bool:
        return not self.name


def form_rows(
    held: Mapping[str, Designation], entries: Sequence[ListEntry], names: Mapping[str, str]
) -> list[FormRow]:
    """The form as the party's list stands: every group some member spoke of or the
    party holds a position on, by name, with the party's position and note; then
    ``NEW_ROWS`` empty rows."""
    actors = {e.actor_id for e in entries} | set(held)
    ordered = sorted(actors, key=lambda a: (names.get(a, a).casefold(), a))
    rows = []
    for number, actor_id in enumerate(ordered, start=1):
        mine = held.get(actor_id)
        rows.append(
            FormRow(
                number,
                actor_id,
                names.get(actor_id, actor_id),
                "" if mine is None else mine.position.value,
                "" if mine is None else mine.note,
                spoken=mine is not None,
            )
        )
    return rows + empty_rows(len(rows))


def empty_rows(after: int) -> list[FormRow]:
    return [FormRow(after + i, "", "", "listed", "") for i in range(1, NEW_ROWS + 1)]


def posted_rows(
    page: Page,
    known: tuple[Sequence[str], Sequence[str], Sequence[str]],
    added: tuple[Sequence[str], Sequence[str], Sequence[str]],
    names: Mapping[str, str],
    held: Mapping[str, Designation],
) -> list[FormRow]:
    """The rows as posted: the known groups' (actor id, position, note) and the added
    ones', each three lists of one length (else the form was not this page's)."""
    rows: list[FormRow] = []
    for part, is_known in ((known, True), (added, False)):
        actors, positions, notes = part
        if not len(actors) == len(positions) == len(notes):
            message = page._("The form's rows are incomplete: reload the page and try again.")
            raise InvalidInputError("rows", message)
        for typed, position, said in zip(actors, positions, notes, strict=True):
            actor, note = as_typed(typed), as_typed(said)  # a note posted unchanged is unchanged
            rows.append(
                FormRow(
                    len(rows) + 1,
                    actor.strip(),
                    names.get(actor.strip(), actor.strip()) if is_known else "",
                    position,
                    note,
                    spoken=is_known and actor.strip() in held,
                )
            )
    return rows


def submitted_rows(page: Page, rows: Sequence[FormRow]) -> list[Row]:
    """The service's rows from the form's: a row that says nothing, or adds no group, is
    none. Every wrong row is refused at once."""
    found, errors = [], []
    for row in rows:
        problem = _problem(page, row)
        if problem is not None:
            errors.append(InvalidInputError(row.field, problem))
        elif row.position and row.actor:
            # a known group's note is shown as held: emptied, it is removed; a group added
            # shows none, so an empty one gives none (the held one stays: note_after)
            note = row.note.strip() if not row.added or row.note.strip() else None
            found.append(Row(row.number, row.actor, Position(row.position), note))
    if errors:
        raise InvalidInputsError(errors)
    return found


def _problem(page: Page, row: FormRow) -> str | None:
    if row.position not in (*POSITIONS, *(() if row.spoken else ("",))):
        return page._("Choose one of the options offered.")
    if len(row.actor) > MAX_ACTOR or len(row.note) > MAX_NOTE:
        limit = MAX_ACTOR if len(row.actor) > MAX_ACTOR else MAX_NOTE
        text = page.language.ngettext(
            "Use at most %(num)d character.", "Use at most %(num)d characters.", limit
        )
        return text % {"num": limit}
    if not row.actor and row.note.strip():
        return page._("Name the group this note is about.")
    return None


def beside_rows(error: CeasefireError) -> CeasefireError:
    """A refusal of the service that names rows, as the form shows it: each row's reason
    beside that row."""
    if not isinstance(error, RowsError):
        return error
    return InvalidInputsError(
        [
            InvalidInputError(f"row-{number}", row.reason, template=row.template, values=row.values)
            for number, row in sorted(error.rows.items())
        ]
    )
