"""Actors (armed groups, forces, listed entities and individuals): their names in every
script, their UN reference, the names event datasets give them, and their affiliations
over time.

``normalize_name`` is the exact key of a name (case, diacritics, punctuation and spacing
ignored: "Jabhat al-Nusra" = "JABHAT AL NUSRA" = "Jabhat al-Nuṣra"), used for places and
for telling two aliases of one actor apart. Which actor a name in a report refers to, across
scripts, transliterations and typing errors, is ``ceasefire.domain.resolution``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.resolution import Candidate, NameIndex, Resolution

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_name(name: str) -> str:
    """The key two spellings of one name share: casefolded, unaccented, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


# how one actor stands to another: "groups connected with them" follow these
RELATIONS = ("part_of", "offshoot_of", "allied_with", "renamed_to")
# the event datasets and lists whose names for an actor are kept as references
REFERENCE_SYSTEMS = ("acled", "ucdp", "un", "other")


@dataclass(frozen=True, slots=True)
class Affiliation:
    relation: str  # one of RELATIONS
    related_id: str
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise InvalidInputError(
                "relation", f"{self.relation!r} is not one of {', '.join(RELATIONS)}"
            )
        if self.since and self.until and self.until < self.since:
            raise InvalidInputError(
                "until", f"{self.until} is before the affiliation's start, {self.since}"
            )

    def holds_on(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None  # "state", "rebel", "militia", "designated", "individual", ...
    un_reference: str | None = None  # "QDe.137"
    un_listed_on: date | None = None
    references: tuple[tuple[str, str], ...] = ()  # (system, name): ("acled", "NAF: ...")
    affiliations: tuple[Affiliation, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name the actor goes by: its own, its aliases, and its datasets' names."""
        return (self.name, *self.aliases, *(name for _, name in self.references))

    @property
    def parent_id(self) -> str | None:
        """The actor this one is part of, where it is (undated or first dated)."""
        for affiliation in self.affiliations:
            if affiliation.relation == "part_of":
                return affiliation.related_id
        return None


@dataclass(slots=True)
class ActorIndex:
    """Actors by id, and by any of their names (``resolve``)."""

    _names: NameIndex = field(default_factory=NameIndex)
    _actors: dict[str, Actor] = field(default_factory=dict)
    _mapped: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, actors: Iterable[Actor]) -> ActorIndex:
        index = cls()
        for actor in actors:
            index.add(actor)
        return index

    def add(self, actor: Actor) -> None:
        self._names.add(actor.id, actor.name, actor.names()[1:])
        self._actors[actor.id] = actor

    def map_names(self, mappings: Iterable[tuple[str, str | None]]) -> None:
        """Names an analyst mapped: to an actor, or (None) to no actor of the register. A
        mapped name resolves so, before any comparison; the last mapping of a name wins."""
        for name, actor_id in mappings:
            self._mapped[normalize_name(name)] = actor_id

    def resolution(self, name: str) -> Resolution:
        """The actors this name may refer to, ranked, and the one it does if one does."""
        key = normalize_name(name)
        if key in self._mapped:
            actor = self._actors.get(self._mapped[key] or "")
            if actor is None:
                return Resolution(name, None, (), mapped=True)
            found = Candidate(actor.id, actor.name, name, 1.0)
            return Resolution(name, found, (found,), mapped=True)
        return self._names.resolve(name)

    def resolve(self, name: str) -> str | None:
        """The id of the actor this name refers to, or None."""
        match = self.resolution(name).match
        return None if match is None else match.actor_id

    def get(self, actor_id: str) -> Actor | None:
        return self._actors.get(actor_id)

    def named(self, typed: str) -> list[Actor]:
        """The actor whose id ``typed`` is, else those that go by it as a name or an alias
        (two spellings alike as ``normalize_name`` finds them): what an analyst typed to
        say which actor a name is, exactly, never the nearest by score."""
        if typed in self._actors:
            return [self._actors[typed]]
        key = normalize_name(typed)
        return [a for a in self._actors.values() if key in map(normalize_name, a.names())]

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    def __len__(self) -> int:
        return len(self._actors)
