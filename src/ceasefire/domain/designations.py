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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ceasefire.domain.errors import InvalidInputError
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
    or name, as listed or not."""

    number: int
    actor: str
    position: Position = Position.LISTED
    note: str = ""


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
    entries = {}
    for actor_id in sorted(set(said) | un):
        words = said.get(actor_id, {})
        entries[actor_id] = ListEntry(
            actor_id=actor_id,
            listed_by=tuple(p for p in members if words.get(p) is Position.LISTED),
            not_listed_by=tuple(p for p in members if words.get(p) is Position.NOT_LISTED),
            silent=tuple(p for p in members if p not in words),
            on_un_list=actor_id in un,
        )
    return entries


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


@dataclass(frozen=True, slots=True)
class ListChange:
    actor_id: str
    before: str  # the level before: "none", "some", "majority", "unanimous", "disputed"
    after: str


def diff(before: Mapping[str, ListEntry], after: Mapping[str, ListEntry]) -> list[ListChange]:
    """How each actor's level changed between two versions of a consolidated list."""
    changes = []
    for actor_id in sorted(set(before) | set(after)):
        old = before[actor_id].level if actor_id in before else "none"
        new = after[actor_id].level if actor_id in after else "none"
        if old != new:
            changes.append(ListChange(actor_id, old, new))
    return changes
