"""A scenario: one task force's parties, actors, places, agreements and regimes, together.

A scenario is what a task force sets up before the first report arrives (see
``docs/scenario.md`` for the file format, read by ``ceasefire.ingest.scenario``). It holds
domain objects only; every cross-reference in it (co-chairs, excluded actors, admin areas)
has been checked by whoever built it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ceasefire.domain.actors import Actor
from ceasefire.domain.designations import DesignationList
from ceasefire.domain.regimes import Agreement, Party, Place, Regime


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    parties: tuple[Party, ...]
    actors: tuple[Actor, ...]
    places: tuple[Place, ...]
    agreements: tuple[Agreement, ...]
    regimes: tuple[Regime, ...]  # of all agreements, each naming its agreement_id
    designation_lists: tuple[DesignationList, ...] = ()


class Reload(Enum):
    """What loading a scenario again does to one of its records."""

    APPLY = "apply"  # the file's new state is written
    SAME = "same"  # the database already holds what the file says
    KEEP = "keep"  # changed since the file's last load, which said what it says now: kept
    UNDO = "undo"  # the file would undo a change made since: refused, or --force


def reload_decision(
    before: Mapping[str, Any] | None,
    file: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    *,
    only_loads: bool,
) -> Reload:
    """How a record's state in a scenario file (``file``) meets the database's (``before``;
    None: not there) and what the file said at its last load (``previous``; None: not
    known, as in databases older than this rule, when ``only_loads`` says whether nothing
    but loads has ever written the record)."""
    if before is None:
        return Reload.APPLY
    if file == before:
        return Reload.SAME
    if previous is None:
        return Reload.APPLY if only_loads else Reload.UNDO
    if file == previous:
        return Reload.KEEP
    return Reload.APPLY if before == previous else Reload.UNDO
