"""What classification says of an incident: its result, each regime's verdict, and the
codes a verdict is explained from. Pure types; the rule is in ``classification.py`` and the
sentences in ``explanations.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Protocol

from shapely.geometry.base import BaseGeometry

from ceasefire.domain.accessions import Accessions
from ceasefire.domain.control import ControlMap
from ceasefire.domain.events import EventLocation, EventTime
from ceasefire.domain.exclusions import Exclusion


class Classification(StrEnum):
    POTENTIAL_VIOLATION = "potential_violation"
    OUTSIDE_REGIME = "outside_regime"
    EXCLUDED_ACTOR = "excluded_actor"
    UNDETERMINED = "undetermined"
    NOT_COVERED = "not_covered"  # where and when a regime holds, but not a hostility


class Verdict(StrEnum):
    """How one regime bears on one incident."""

    COVERED = "covered"
    EXCLUDED = "excluded"
    UNCERTAIN = "uncertain"
    NOT_COVERED = "not_covered"  # not an event type its agreement prohibits
    OUTSIDE = "outside"


JOINT_CLAIM = "joint finding"  # the source a joint attribution is claimed by


@dataclass(frozen=True, slots=True)
class Subject:
    """What classification needs to know of an incident."""

    time: EventTime
    location: EventLocation
    actor_ids: frozenset[str] = frozenset()
    area: BaseGeometry | None = None  # the admin area a coarse location names, if known
    actor_names: tuple[tuple[str, str], ...] = ()  # (actor id, name) for reasons
    event_type: str | None = None  # None: not given (counted as a hostility)
    # each source's claim of who was involved: (source, the actors its reports name);
    # empty: ``actor_ids`` is one claim
    claims: tuple[tuple[str, frozenset[str]], ...] = ()
    # the unit the source also names (admin2, admin1 or country), that the area its
    # precision allows is clipped to, and its name for reasons
    bounds: BaseGeometry | None = None
    within: str | None = None
    # the actor the co-chairs' joint finding attributes it to: it settles the claims
    attributed: str | None = None

    def claimed(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """The claims that name someone (the joint finding's alone, where it attributes)."""
        if self.attributed is not None:
            return ((JOINT_CLAIM, frozenset({self.attributed})),)
        if not self.claims:
            return (("", self.actor_ids),) if self.actor_ids else ()
        return tuple(c for c in self.claims if c[1])


@dataclass(frozen=True, slots=True)
class Outcome:
    """What classification derives for an incident, beyond the verdicts: its result,
    whether its sources disagree on an exclusion, and what clipped its possible area."""

    classification: Classification
    attribution_disputed: bool = False
    clipped_to: str | None = None
    attributed_to: str | None = None  # the joint finding's actor, when it settled the claims


class Space(IntEnum):
    """Where the area an incident may lie in stands against a regime's area (they meet)."""

    EDGE = 1  # it straddles the boundary
    INSIDE = 2


class Timing(IntEnum):
    """When an incident happened against a regime's window."""

    BEFORE = 0
    START_DAY = 1  # its dates include the day the regime starts
    INSIDE = 2
    END_DAY = 3  # its dates include the day the regime ends
    AFTER = 4


class Terms(Protocol):
    """What explaining a verdict needs of a regime (a Regime has it, without geometry)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    @property
    def effective_end(self) -> datetime | None: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def excluded_actor_ids(self) -> frozenset[str]: ...
    @property
    def excludes(self) -> Exclusion: ...
    @property
    def accessions(self) -> Accessions: ...
    @property
    def exclusion_follows(self) -> tuple[str, ...]: ...
    @property
    def control(self) -> ControlMap: ...
    @property
    def hostilities(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class RegimeVerdict:
    regime_id: str
    verdict: Verdict
    reason: str


@dataclass(frozen=True, slots=True)
class ClassificationResult:
    classification: Classification
    verdicts: tuple[RegimeVerdict, ...]

    @property
    def regime_ids(self) -> tuple[str, ...]:
        """The regimes that cover or may cover the incident (everything but 'outside')."""
        return tuple(v.regime_id for v in self.verdicts if v.verdict is not Verdict.OUTSIDE)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(v.reason for v in self.verdicts) or (NO_REGIME_REASON,)


NO_REGIME_REASON = "not inside the area of any regime"
