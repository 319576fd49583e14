"""Loading a scenario file's parties, actors, places, agreements and regimes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ceasefire.domain.actors import Actor
from ceasefire.domain.scenarios import Scenario
from ceasefire.services.incidents import reclassify, resolve_actors_again
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store.database import Database
from ceasefire.store.upserts import Outcome


@dataclass(slots=True)
class LoadSummary:
    scenario: str
    outcomes: dict[str, Counter[Outcome]] = field(default_factory=dict)
    reclassified: int = 0

    @property
    def changed(self) -> bool:
        return any(c[Outcome.CREATED] or c[Outcome.UPDATED] for c in self.outcomes.values())

    def line(self) -> str:
        parts = []
        for kind, counts in self.outcomes.items():
            total = sum(counts.values())
            new, updated = counts[Outcome.CREATED], counts[Outcome.UPDATED]
            parts.append(f"{total} {kind} ({new} new, {updated} updated)")
        return f"{self.scenario}: " + ", ".join(parts)


def load_scenario(
    db: Database, scenario: Scenario, progress: Callable[[int, int], None] | None = None
) -> LoadSummary:
    """Write the scenario (running it twice changes nothing) and classify incidents again
    when its regimes or actors changed."""
    summary = LoadSummary(scenario.id)
    with db.transaction() as conn:
        outcomes = summary.outcomes
        outcomes["parties"] = Counter(agreement_store.save_party(conn, p) for p in scenario.parties)
        outcomes["actors"] = Counter(
            actor_store.save_actor(conn, a) for a in _parents_first(scenario)
        )
        outcomes["places"] = Counter(actor_store.save_place(conn, p) for p in scenario.places)
        outcomes["agreements"] = Counter(
            agreement_store.save_agreement(conn, a) for a in scenario.agreements
        )
        outcomes["regimes"] = Counter(
            agreement_store.save_regime(conn, r) for r in scenario.regimes
        )
    if summary.changed:
        actors = summary.outcomes["actors"]
        if actors[Outcome.CREATED] or actors[Outcome.UPDATED]:
            resolve_actors_again(db)
        summary.reclassified = sum(reclassify(db, progress=progress).values())
    return summary


def _parents_first(scenario: Scenario) -> list[Actor]:
    pending = {a.id: a for a in scenario.actors}
    ordered: list[Actor] = []
    while pending:
        ready = [a for a in pending.values() if a.parent_id is None or a.parent_id not in pending]
        if not ready:  # a cycle; let the foreign key report it
            ready = list(pending.values())
        for actor in ready:
            ordered.append(actor)
            del pending[actor.id]
    return ordered
