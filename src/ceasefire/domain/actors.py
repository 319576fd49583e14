"""Actors (armed groups and forces) with aliases, and matching names as reports write them.

Matching here is exact after normalisation: case, diacritics, punctuation and spacing are
ignored ("Jabhat al-Nusra" = "JABHAT AL NUSRA" = "Jabhat al-Nuṣra"). Fuzzier matching across
scripts and transliterations comes with the actor register.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ceasefire.domain.errors import ConflictError

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_name(name: str) -> str:
    """The key two spellings of one name share: casefolded, unaccented, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None  # "state", "rebel", "militia", "designated", ...
    parent_id: str | None = None  # part of / offshoot of

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(slots=True)
class ActorIndex:
    """Looks actors up by any of their names."""

    _by_key: dict[str, str] = field(default_factory=dict)
    _actors: dict[str, Actor] = field(default_factory=dict)

    @classmethod
    def of(cls, actors: Iterable[Actor]) -> ActorIndex:
        index = cls()
        for actor in actors:
            index.add(actor)
        return index

    def add(self, actor: Actor) -> None:
        for name in actor.names():
            key = normalize_name(name)
            if not key:
                continue
            holder = self._by_key.get(key)
            if holder is not None and holder != actor.id:
                raise ConflictError(
                    f"actor {actor.id!r}: alias {name!r} already names actor {holder!r}"
                )
            self._by_key[key] = actor.id
        self._actors[actor.id] = actor

    def resolve(self, name: str) -> str | None:
        """The id of the actor this name refers to, or None."""
        return self._by_key.get(normalize_name(name))

    def get(self, actor_id: str) -> Actor | None:
        return self._actors.get(actor_id)

    def __len__(self) -> int:
        return len(self._actors)
