"""A scenario: one task force's parties, actors, places, agreements and regimes, together.

A scenario is what a task force sets up before the first report arrives (see
``docs/scenario.md`` for the file format, read by ``ceasefire.ingest.scenario``). It holds
domain objects only; every cross-reference in it (co-chairs, excluded actors, admin areas)
has been checked by whoever built it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.domain.actors import Actor
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
