"""Designation lists: each party submits which groups it holds to be terrorist groups, and
the consolidated list is computed from every submission by a rule.

In the talks, Jordan compiled "a single list of terrorist groups" from what each ISSG
member submitted. Here a **designation list** has members (the parties whose submissions
count); each member's **designation** of an actor is ``listed`` or ``not_listed`` (a
member that says nothing of an actor is *silent* on it). The **consolidated list** under a
rule holds the actors that:

- ``unanimous``: every member lists;
- ``majority``: more than half of the members list;
- ``any``: at least one member lists;
- ``un_listed``: are on the UN Security Council Consolidated List (a UN reference),
  whatever the members say.

Each actor's **level** says how far the members agree: ``unanimous``, ``majority``,
``some`` (listed by fewer than half), ``disputed`` (listed by some, and explicitly not
listed by others), or ``none``.

A member's **submission** is its whole list (or, ``complete=False``, an addition to it):
what it makes of the member's designations is decided here once (``submission``), with
the rule for notes: a row that gives no note keeps the member's earlier note on the actor
while its position stays the same (``note_after``). What a submission or a version changes
in the consolidated list is ``domain.list_changes``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ceasefire.domain.errors import InvalidInputError, RowsError
from ceasefire.domain.words import N_


class Position(StrEnum):
    LISTED = "listed"
    NOT_LISTED = "not_listed"


class ListRule(StrEnum):
    UNANIMOUS = "unanimous"
    MAJORITY = "majority"
    ANY = "any"
    UN_LISTED = "un_listed"


def list_rule(value: str, field: str = "rule") -> ListRule:
    try:
        return ListRule(value)
    except ValueError:
        allowed = ", ".join(r.value for r in ListRule)
        raise InvalidInputError(field, f"{value!r} is not one of {allowed}") from None


@dataclass(frozen=True, slots=True)
class DesignationList:
    id: str
    name: str
    members: tuple[str, ...]  # party ids
    description: str = ""

    def __post_init__(self) -> None:
        if not self.members:
            raise InvalidInputError("members", "a designation list needs at least one member")
        if len(set(self.members)) != len(self.members):
            raise InvalidInputError("members", "a party is a member once")


MAX_ROWS = 10_000  # designations in one submission
# the note of a designation a complete submission makes of an actor the member listed before
# and leaves out now (kept as written: it is in the signed records; pages translate it)
LEFT_OUT = N_("left out of a list")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a member's submission: an actor by id, UN reference (``un:QDe.137``)
    or name, as listed or not; ``note`` None (no note given) keeps the earlier one while
    the position stays (``note_after``), "" says there is none."""

    number: int
    actor: str
    position: Position = Position.LISTED
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Designation:
    """One member's word on one actor."""

    list_id: str
    party_id: str
    actor_id: str
    position: Position
    note: str = ""


@dataclass(frozen=True, slots=True)
class ListEntry:
    """An actor as the consolidated list sees it: who listed it, who said it is not a
    terrorist group, who said nothing."""

    actor_id: str
    listed_by: tuple[str, ...]
    not_listed_by: tuple[str, ...]
    silent: tuple[str, ...]
    on_un_list: bool

    @property
    def level(self) -> str:
        members = len(self.listed_by) + len(self.not_listed_by) + len(self.silent)
        if not self.listed_by:
            return "none"
        if len(self.listed_by) == members:
            return "unanimous"
        if self.not_listed_by:
            return "disputed" if 2 * len(self.listed_by) <= members else "majority"
        return "majority" if 2 * len(self.listed_by) > members else "some"

    def holds_under(self, rule: ListRule) -> bool:
        members = len(self.listed_by) + len(self.not_listed_by) + len(self.silent)
        if rule is ListRule.UNANIMOUS:
            return len(self.listed_by) == members
        if rule is ListRule.MAJORITY:
            return 2 * len(self.listed_by) > members
        if rule is ListRule.ANY:
            return bool(self.listed_by)
        return self.on_un_list


def entry_of(
    members: Sequence[str],
    actor_id: str,
    word: Callable[[str], Position | None],
    on_un_list: bool = False,
) -> ListEntry:
    """An actor's entry from each member's word on it (``word(member)``, None: silent)."""
    said = [(p, word(p)) for p in members]
    return ListEntry(
        actor_id=actor_id,
        listed_by=tuple(p for p, w in said if w is Position.LISTED),
        not_listed_by=tuple(p for p, w in said if w is Position.NOT_LISTED),
        silent=tuple(p for p, w in said if w is None),
        on_un_list=on_un_list,
    )


def consolidate(
    designation_list: DesignationList,
    designations: Iterable[Designation],
    on_un_list: Iterable[str] = (),
) -> dict[str, ListEntry]:
    """Every actor some member spoke of (and, for the ``un_listed`` rule, every actor on
    the UN list), with who listed it and who did not. Designations by parties that are
    not members are refused."""
    members = designation_list.members
    said: dict[str, dict[str, Position]] = {}
    for d in designations:
        if d.party_id not in members:
            raise InvalidInputError(
                "party", f"{d.party_id!r} is not a member of list {designation_list.id!r}"
            )
        said.setdefault(d.actor_id, {})[d.party_id] = d.position
    un = set(on_un_list)
    return {
        actor_id: entry_of(members, actor_id, said.get(actor_id, {}).get, actor_id in un)
        for actor_id in sorted(set(said) | un)
    }


@dataclass(frozen=True, slots=True)
class Consolidated:
    """A list at a version: every actor with who listed it, the actors' names, and (at the
    latest version) each member's note on an actor, by (actor, member), where it gave one."""

    designation_list: DesignationList
    version: int
    entries: dict[str, ListEntry]
    names: dict[str, str]
    notes: dict[tuple[str, str], str] = field(default_factory=dict)


def listed_under(entries: Mapping[str, ListEntry], rule: ListRule) -> frozenset[str]:
    return frozenset(a for a, entry in entries.items() if entry.holds_under(rule))


def note_after(held: Designation | None, position: Position, note: str | None) -> str:
    """The note a member's designation of an actor holds after a row: the note the row
    gives ("" for none); or, where it gives none (None), the member's earlier note, as
    long as its position on the actor stays the same: a note is the reason for a
    position, so a position that changes without one has none."""
    if note is not None:
        return note.strip()
    if held is not None and held.position is position:
        return held.note
    return ""


def submission(
    list_id: str,
    party_id: str,
    named: Sequence[tuple[Row, str]],
    held: Mapping[str, Designation],
    *,
    complete: bool = True,
) -> list[Designation]:
    """The designations a member's submission changes (in position or note), by actor:
    each row (with the actor it names) as listed or not, its note by ``note_after``; and,
    with ``complete``, each actor it listed before (``held``: its designations now) and
    leaves out now, as not listed ("left out of a list"). An actor both listed and not
    listed is refused, with every such row named (``RowsError``)."""
    wanted: dict[str, Designation] = {}
    rows: dict[str, Row] = {}
    conflicts: dict[int, InvalidInputError] = {}
    for row, actor_id in named:
        first = rows.setdefault(actor_id, row)
        if first.position is not row.position:
            conflicts[row.number] = InvalidInputError(
                "actor",
                f"{actor_id!r} is both listed and not listed (row {first.number})",
                template=N_("%(actor)s is both listed and not listed (row %(first)s)."),
                values={"actor": actor_id, "first": first.number},
            )
            continue
        note = note_after(held.get(actor_id), row.position, row.note)
        if row.note is None and actor_id in wanted:
            note = wanted[actor_id].note  # a repeated row without a note keeps the first's
        wanted[actor_id] = Designation(list_id, party_id, actor_id, row.position, note)
    if conflicts:
        raise RowsError("actor", conflicts)
    if complete:
        for actor_id, designation in held.items():
            if actor_id not in wanted and designation.position is Position.LISTED:
                wanted[actor_id] = Designation(
                    list_id, party_id, actor_id, Position.NOT_LISTED, LEFT_OUT
                )
    return [d for actor_id, d in sorted(wanted.items()) if held.get(actor_id) != d]


def positions_moved(
    held: Mapping[str, Designation], changed: Iterable[Designation]
) -> list[Designation]:
    """Of the designations a submission changes, those whose position moved (or that are
    new): what makes a version of the consolidated list. A note alone is signed with the
    designation, and changes no one's position."""
    return [
        d
        for d in changed
        if (before := held.get(d.actor_id)) is None or before.position is not d.position
    ]


def held_version(held: Mapping[str, Designation]) -> str:
    """A digest of a member's designations as they stand (each actor's position and note):
    what a form of the party's whole list was built from. Signed from a form whose version
    is no longer the held one, the list would undo what a colleague signed since."""
    said = sorted((actor, d.position.value, d.note) for actor, d in held.items())
    return hashlib.sha256(json.dumps(said, ensure_ascii=False).encode()).hexdigest()[:32]
