"""Who a regime excludes, and on what ground: the actors it names, the actors on the
designation list it follows (at its rule), and "all groups connected with them" through
the actor register's dated affiliations.

A connection is followed only through the relations the regime names (by default none):
``part_of`` and ``offshoot_of`` from the connected group to the excluded one,
``allied_with`` and ``renamed_to`` either way (a group renamed is the same group). A
connection holds while its affiliation does; a chain of them, while every link does.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ceasefire.domain.actors import RELATIONS, Affiliation
from ceasefire.domain.errors import InvalidInputError

_BOTH_WAYS = frozenset({"allied_with", "renamed_to"})
MAX_LINKS = 3  # a group connected to one connected to one connected to an excluded one


# besides relations, a regime may follow territory: an incident in an area held by an
# excluded actor (``domain.control``) is excluded too ("strikes on areas held by Nusra")
TERRITORY = "territory"
FOLLOWABLE = (*RELATIONS, TERRITORY)


def follows_of(values: Iterable[str], field: str = "exclusion_follows") -> tuple[str, ...]:
    found = tuple(sorted(set(values)))
    unknown = [v for v in found if v not in FOLLOWABLE]
    if unknown:
        raise InvalidInputError(
            field, f"{', '.join(map(repr, unknown))}: not one of {', '.join(FOLLOWABLE)}"
        )
    return found


@dataclass(frozen=True, slots=True)
class Ground:
    """Why an actor is excluded: named by the regime, on its list, or connected."""

    kind: str  # "named", "listed" or "connected"
    via: str | None = None  # connected: the excluded actor it is connected to
    via_name: str | None = None
    relation: str | None = None  # connected: how (the affiliation's relation)
    list_name: str | None = None  # listed: the list
    rule: str | None = None  # listed: the rule the regime applies to it
    listed_by: tuple[str, ...] = ()  # listed: the members that list it
    since: date | None = None
    until: date | None = None

    def holds_on(self, day: date | None) -> bool:
        if day is None:
            return self.since is None and self.until is None
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


@dataclass(frozen=True, slots=True)
class Exclusion:
    grounds: Mapping[str, tuple[Ground, ...]] = field(default_factory=dict)

    @classmethod
    def named(cls, actor_ids: Iterable[str]) -> Exclusion:
        return cls({a: (Ground("named"),) for a in sorted(actor_ids)})

    def excluded(self, actor_ids: Iterable[str], day: date | None) -> list[tuple[str, Ground]]:
        """The actors among these excluded on that day, each with its first ground."""
        found = []
        for actor_id in sorted(actor_ids):
            for ground in self.grounds.get(actor_id, ()):
                if ground.holds_on(day):
                    found.append((actor_id, ground))
                    break
        return found

    def __bool__(self) -> bool:
        return bool(self.grounds)

    def changed_since(self, before: Exclusion) -> set[str]:
        """The actors excluded on other grounds than ``before`` (or only in one of them):
        the incidents naming no other keep their classification."""
        actors = self.grounds.keys() | before.grounds.keys()
        return {a for a in actors if set(self.grounds.get(a, ())) != set(before.grounds.get(a, ()))}


def _overlap(
    a: tuple[date | None, date | None], b: tuple[date | None, date | None]
) -> tuple[date | None, date | None] | None:
    since = a[0] if b[0] is None else b[0] if a[0] is None else max(a[0], b[0])
    until = a[1] if b[1] is None else b[1] if a[1] is None else min(a[1], b[1])
    if since is not None and until is not None and until < since:
        return None
    return since, until


def widen(
    direct: Mapping[str, Ground],
    affiliations: Iterable[tuple[str, Affiliation]],
    follows: Iterable[str],
    names: Mapping[str, str] | None = None,
) -> Exclusion:
    """The excluded actors (``direct``) and the groups connected with them through the
    followed relations, each connection with the span it holds."""
    followed = set(follows)
    links: dict[str, list[tuple[str, str, tuple[date | None, date | None]]]] = {}
    for actor_id, a in affiliations:
        if a.relation not in followed:
            continue
        span = (a.since, a.until)
        # who becomes excluded when a.related_id is: the actor with the affiliation
        links.setdefault(a.related_id, []).append((actor_id, a.relation, span))
        if a.relation in _BOTH_WAYS:
            links.setdefault(actor_id, []).append((a.related_id, a.relation, span))
    grounds: dict[str, list[Ground]] = {a: [g] for a, g in direct.items()}
    # nearest first: a group reached first by a long way, and its own links past the
    # limit, would not be looked at again when the short way reaches it
    frontier = deque((a, (g.since, g.until), 0) for a, g in sorted(direct.items()))
    while frontier:
        excluded, span, depth = frontier.popleft()
        if depth >= MAX_LINKS:
            continue
        for connected, relation, link_span in links.get(excluded, []):
            if connected in direct:
                continue
            both = _overlap(span, link_span)
            if both is None:
                continue
            ground = Ground(
                "connected",
                via=excluded,
                via_name=(names or {}).get(excluded),
                relation=relation,
                since=both[0],
                until=both[1],
            )
            held = grounds.setdefault(connected, [])
            if ground in held:
                continue
            held.append(ground)
            frontier.append((connected, both, depth + 1))
    return Exclusion({a: tuple(g) for a, g in sorted(grounds.items())})
