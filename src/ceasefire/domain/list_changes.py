"""What changed in a consolidated designation list: from one state of who said what to
another, each actor on which some member's position moved, with its level of agreement
before and after and whose position moved (docs/designations.md, "Versions").

One computation serves every use, so that they cannot disagree: a version's changes
(against the version before it), the count shown beside each version, the comparison of
any two versions, and the preview of a submission before it is signed. A note is not a
change of the list: it is signed with its designation, and shown at the latest version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import groupby

from ceasefire.domain.designations import Designation, DesignationList, Position, entry_of

# who said what at a version: each member's position on each actor, by (member, actor)
Said = Mapping[tuple[str, str], Position]


class Change(StrEnum):
    """How an actor's place in the consolidated list moved."""

    ADDED = "added"  # no member listed it before; one does now
    REMOVED = "removed"  # some member listed it before; none does now
    MOVED = "moved"  # listed before and after, at another level of agreement
    HELD = "held"  # some member's position moved, the level of agreement did not


@dataclass(frozen=True, slots=True)
class Word:
    """One member's position on an actor, before and after (None: it said nothing)."""

    party_id: str
    before: Position | None
    after: Position | None


@dataclass(frozen=True, slots=True)
class ListChange:
    """An actor whose members' positions moved: its level before and after ("unanimous",
    "majority", "some", "disputed", "none") and each member whose position moved."""

    actor_id: str
    before: str
    after: str
    words: tuple[Word, ...] = ()

    @property
    def change(self) -> Change:
        if self.before == "none" and self.after != "none":
            return Change.ADDED
        if self.before != "none" and self.after == "none":
            return Change.REMOVED
        return Change.MOVED if self.before != self.after else Change.HELD


def changes(
    designation_list: DesignationList,
    said: Said,
    moved: Mapping[tuple[str, str], Position | None],
) -> list[ListChange]:
    """What ``moved`` (positions by (member, actor); None: the member says nothing of it)
    changes in the list where ``said`` was said: each actor a member's position on moves,
    by actor id. Words of parties that are not members count for nothing."""
    members = designation_list.members
    words: dict[str, list[Word]] = {}
    for (party_id, actor_id), now in moved.items():
        was = said.get((party_id, actor_id))
        if party_id in members and was is not now:
            words.setdefault(actor_id, []).append(Word(party_id, was, now))
    found = []
    for actor_id in sorted(words):
        before = {p: said.get((p, actor_id)) for p in members}
        after = {p: moved.get((p, actor_id), before[p]) for p in members}
        old = entry_of(members, actor_id, before.get).level
        new = entry_of(members, actor_id, after.get).level
        order = sorted(words[actor_id], key=lambda w: members.index(w.party_id))
        found.append(ListChange(actor_id, old, new, tuple(order)))
    return found


def between(designation_list: DesignationList, before: Said, after: Said) -> list[ListChange]:
    """How the list moved from one state of who said what to another (two versions, in
    either order)."""
    moved = {key: after.get(key) for key in before.keys() | after.keys()}
    return changes(designation_list, before, moved)


def said_by(designations: Iterable[Designation]) -> dict[tuple[str, str], Position]:
    """Who said what, from designations."""
    return {(d.party_id, d.actor_id): d.position for d in designations}


def version_changes(
    designation_list: DesignationList, rows: Iterable[tuple[int, str, str, Position]]
) -> dict[int, list[ListChange]]:
    """Each version's changes against the version before it, from every version's rows
    (version, member, actor, position) in the order of the versions."""
    said: dict[tuple[str, str], Position] = {}
    found = {}
    for version, group in groupby(rows, key=lambda row: row[0]):
        moved = {(party_id, actor_id): position for _, party_id, actor_id, position in group}
        found[version] = changes(designation_list, said, moved)
        said.update(moved)
    return found
