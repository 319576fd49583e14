"""Agreements and their regimes: where and when a ceasefire holds, and whom it excludes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import shapely
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.accessions import Accessions
from ceasefire.domain.control import ControlMap
from ceasefire.domain.designations import list_rule
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.exclusions import Exclusion, follows_of
from ceasefire.domain.taxonomy import HOSTILITIES, check_hostilities
from ceasefire.domain.times import zone
from ceasefire.domain.words import N_


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    kind: str = "state"  # "state", "un_office", "monitoring_mission", "member_state"


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    name: str
    time_zone: str  # IANA name; regime times are given in it
    signed: datetime | None = None
    co_chairs: tuple[str, ...] = ()  # party ids whose findings make the joint finding
    members: tuple[str, ...] = ()  # other party ids
    description: str = ""
    source: str = ""  # citation of the text
    # the ACLED event types it prohibits: others (protests, arrests, ...) are not covered
    hostilities: tuple[str, ...] = HOSTILITIES

    def __post_init__(self) -> None:
        zone(self.time_zone, f"agreement {self.id!r}: time_zone")
        given = check_hostilities(self.hostilities, f"agreement {self.id!r}: hostilities")
        object.__setattr__(self, "hostilities", given)


EXTENSION = "extension"  # a change that moves the end later, or makes it open-ended
ENDING = "ending"  # a change that ends the regime before the end in force


@dataclass(frozen=True, slots=True)
class Extension:
    """A decision that moves a regime's end (None = made indefinite); kept as history.
    Whether it extended the regime or ended it early follows from the end in force before
    it (``Regime.changes``), so the history needs no more than this."""

    new_end: datetime | None
    decided: datetime | None = None
    note: str = ""

    def __post_init__(self) -> None:
        for name in ("new_end", "decided"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise InvalidInputError(name, f"{value.isoformat()} has no time zone")


MAX_VERTICES = 100_000  # an oblast's outline has a few thousand; a country's, tens of thousands


@dataclass(frozen=True, slots=True)
class Regime:
    """Where (``geometry``, WGS84) and when (``[start, end)``, UTC) a ceasefire holds.

    ``end`` is the end as first agreed (None = open-ended); extensions move it later
    (``extended``), an ending earlier (``ended``: the truce was declared over), and the
    last change wins. It does not cover the actors it names
    (``excluded_actor_ids``), the actors on the designation list it follows
    (``exclusion_list``) at its rule (``exclusion_rule``), nor groups connected with either
    through the relations it follows (``exclusion_follows``): ``exclusion`` holds them all,
    with their grounds, once the register has been consulted (``services.rules``); until
    then, the named ones.
    """

    id: str
    agreement_id: str
    name: str
    geometry: BaseGeometry
    start: datetime
    end: datetime | None
    time_zone: str
    excluded_actor_ids: frozenset[str] = frozenset()
    extensions: tuple[Extension, ...] = ()
    area_name: str | None = None  # the admin area the geometry came from, if any
    description: str = ""
    exclusion_list: str | None = None
    exclusion_rule: str | None = None  # a ListRule's value
    exclusion_follows: tuple[str, ...] = ()
    exclusion: Exclusion | None = None
    accessions: Accessions = field(default_factory=Accessions)
    control: ControlMap = field(default_factory=ControlMap)
    # the event types its agreement prohibits (``Agreement.hostilities``)
    hostilities: frozenset[str] = frozenset(HOSTILITIES)

    @property
    def excludes(self) -> Exclusion:
        """Who it excludes, on what ground."""
        return self.exclusion or Exclusion.named(self.excluded_actor_ids)

    def __post_init__(self) -> None:
        if (self.exclusion_list is None) != (self.exclusion_rule is None):
            raise InvalidInputError(
                f"regime {self.id!r}: exclusion_rule",
                "a regime that follows a designation list names both the list and its rule",
            )
        if self.exclusion_rule is not None:
            list_rule(self.exclusion_rule, f"regime {self.id!r}: exclusion_rule")
        follows_of(self.exclusion_follows, f"regime {self.id!r}: exclusion_follows")
        if self.start.tzinfo is None:
            raise InvalidInputError(f"regime {self.id!r}: start", "must be timezone-aware")
        if self.end is not None and self.end.tzinfo is None:
            raise InvalidInputError(f"regime {self.id!r}: end", "must be timezone-aware")
        if self.end is not None and self.end <= self.start:
            raise InvalidInputError(
                f"regime {self.id!r}: end",
                f"{self.end.isoformat()} is not after start {self.start.isoformat()}",
            )
        if self.geometry.is_empty or self.geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise InvalidInputError(
                f"regime {self.id!r}: geometry", "must be a non-empty Polygon or MultiPolygon"
            )
        if shapely.get_num_coordinates(self.geometry) > MAX_VERTICES:
            raise InvalidInputError(
                f"regime {self.id!r}: geometry", f"has more than {MAX_VERTICES:,} vertices"
            )
        if not shapely.is_valid(self.geometry):
            reason = shapely.is_valid_reason(self.geometry)
            raise InvalidInputError(f"regime {self.id!r}: geometry", f"is not valid ({reason})")
        zone(self.time_zone, f"regime {self.id!r}: time_zone")

    @property
    def effective_end(self) -> datetime | None:
        """The end in force: the last extension's, else the one first agreed."""
        return self.extensions[-1].new_end if self.extensions else self.end

    @property
    def changes(self) -> tuple[tuple[str, Extension], ...]:
        """Each change of its end in order, as ``EXTENSION`` (later, or open-ended) or
        ``ENDING`` (earlier than the end in force before it)."""
        found: list[tuple[str, Extension]] = []
        end = self.end
        for change in self.extensions:
            early = change.new_end is not None and (end is None or change.new_end < end)
            found.append((ENDING if early else EXTENSION, change))
            end = change.new_end
        return tuple(found)

    def state_at(self, when: datetime) -> str:
        """``not_started``, ``in_force``, ``extended`` (in force past an extension decided
        by then), ``expired``, or ``ended`` (past an end that an ending decided by then
        brought forward), at ``when`` (the map draws the same, in the page)."""
        if when < self.start:
            return "not_started"
        decided = [c for c in self.changes if c[1].decided is None or c[1].decided <= when]
        end = decided[-1][1].new_end if decided else self.end
        if end is not None and when >= end:
            return "ended" if decided and decided[-1][0] == ENDING else "expired"
        return "extended" if any(kind == EXTENSION for kind, _ in decided) else "in_force"

    @property
    def extensible(self) -> bool:
        """Whether an extension can still move its end later: not once it is open-ended."""
        return self.effective_end is not None

    def extended(self, extension: Extension) -> Regime:
        """This regime with one more extension, which moves its end later: the new end
        lies after the end in force (so after the start), or the regime becomes open-ended.
        An end at or before the one in force is no extension, and neither is any change of
        a regime already open-ended. A refusal gives the times in the regime's time zone,
        as its officers set them."""
        local = zone(self.time_zone)  # the times as the regime's own clock reads them
        new_end, current = extension.new_end, self.effective_end
        if new_end is not None and new_end <= self.start:
            raise self._not_after_start(new_end)
        if current is None:
            raise InvalidInputError.because(
                "new_end",
                N_("regime %(regime)s is open-ended already: an extension cannot move its end"),
                regime=repr(self.id),
            )
        if new_end is not None and new_end <= current:
            raise InvalidInputError.because(
                "new_end",
                N_(
                    "%(end)s is not after the end of regime %(regime)s in force (%(current)s): "
                    "an extension moves the end later"
                ),
                end=new_end.astimezone(local).isoformat(),
                regime=repr(self.id),
                current=current.astimezone(local).isoformat(),
            )
        return replace(self, extensions=(*self.extensions, extension))

    def _not_after_start(self, new_end: datetime) -> InvalidInputError:
        local = zone(self.time_zone)
        return InvalidInputError.because(
            "new_end",
            N_("%(end)s is not after the start of regime %(regime)s (%(start)s)"),
            end=new_end.astimezone(local).isoformat(),
            regime=repr(self.id),
            start=self.start.astimezone(local).isoformat(),
        )

    def ended(self, ending: Extension) -> Regime:
        """This regime declared over before the end in force: its new end lies after its
        start and before the end in force (any, when it is open-ended), and is kept in the
        same history as its extensions. A refusal gives the times in the regime's time
        zone."""
        local = zone(self.time_zone)
        new_end, current = ending.new_end, self.effective_end
        if new_end is None:
            raise InvalidInputError.because("new_end", N_("Give the time the regime ended."))
        if new_end <= self.start:
            raise self._not_after_start(new_end)
        if current is not None and new_end >= current:
            raise InvalidInputError.because(
                "new_end",
                N_(
                    "%(end)s is not before the end of regime %(regime)s in force (%(current)s): "
                    "an ending brings the end forward"
                ),
                end=new_end.astimezone(local).isoformat(),
                regime=repr(self.id),
                current=current.astimezone(local).isoformat(),
            )
        return replace(self, extensions=(*self.extensions, ending))


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: an admin area or settlement, with its geometry."""

    id: str
    name: str
    level: str  # "adm1", "adm2", "settlement"
    geometry: BaseGeometry
    country: str | None = None
    aliases: tuple[str, ...] = field(default=())
    code: str | None = None  # e.g. OCHA pcode SY01


@dataclass(frozen=True, slots=True)
class RegimeTerms:
    """A regime's name, window and exclusions without its geometry: what explaining a
    classification needs."""

    id: str
    name: str
    start: datetime
    effective_end: datetime | None
    time_zone: str
    excluded_actor_ids: frozenset[str] = frozenset()
    exclusion_follows: tuple[str, ...] = ()
    exclusion: Exclusion | None = None

    @property
    def excludes(self) -> Exclusion:
        """Who it excludes, on what ground (as the regime it was read from had them)."""
        return self.exclusion or Exclusion.named(self.excluded_actor_ids)

    accessions: Accessions = field(default_factory=Accessions)
    control: ControlMap = field(default_factory=ControlMap)
    hostilities: frozenset[str] = frozenset(HOSTILITIES)
