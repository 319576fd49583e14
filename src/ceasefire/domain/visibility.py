"""Who may read what: a record's scope and a reader's audience.

A shared record is either **open** (scope ``None``: every party of the deployment reads
it, as it reads public event data, agreements, regimes, actors and places) or **scoped**
to one agreement, whose parties (co-chairs and members) alone read it: a report a party
files under the agreement, an assessment, a response measure, an access restriction.

An ``Audience`` is what one reader may see: the agreements its party belongs to. The
store filters every read by it; the host's operator at the command line reads everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Audience:
    """The scopes a reader sees: open records, and those of ``agreements``; every scope
    when ``everything`` (the operator of the host, at the command line)."""

    party: str | None
    agreements: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of_party(cls, party: str, agreements: Iterable[str]) -> Audience:
        return cls(party, frozenset(agreements))

    @classmethod
    def operator(cls) -> Audience:
        """The host's operator: the command line reads the whole database."""
        return cls(None, everything=True)

    def sees(self, scope: str | None) -> bool:
        """Whether a record of this scope (an agreement's id, or None: open) is readable."""
        return self.everything or scope is None or scope in self.agreements


class Default(Enum):
    """A scope left unsaid: the author's party's one agreement (open if it is in none)."""

    AGREEMENT = "the author's agreement"


ScopeChoice = str | None | Default
"""What a writer asks for: an agreement's id, None (open to every party), or the default."""
