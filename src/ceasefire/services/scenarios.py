"""Loading a scenario file's parties, actors, places, agreements and regimes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ceasefire.domain.actors import Actor
from ceasefire.domain.scenarios import Scenario
from ceasefire.services.incidents import reclassify, resolve_actors_again
from ceasefire.services.ledger import Ledger, Writer
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store.records import ACTOR, AGREEMENT, PARTY, PLACE, REGIME, RecordType
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
    ledger: Ledger,
    scenario: Scenario,
    progress: Callable[[int, int], None] | None = None,
    *,
    author: str | None = None,
) -> LoadSummary:
    """Write the scenario (running it twice changes nothing) and classify incidents again
    when its regimes or actors changed. Each record created or changed gets its entry."""
    summary = LoadSummary(scenario.id)
    with ledger.write(author) as writer:
        conn = writer.conn
        outcomes = summary.outcomes
        outcomes["parties"] = _saved(
            writer,
            PARTY,
            [((p.id,), agreement_store.save_party(conn, p)) for p in scenario.parties],
        )
        outcomes["actors"] = _saved(
            writer,
            ACTOR,
            [((a.id,), actor_store.save_actor(conn, a)) for a in _parents_first(scenario)],
        )
        outcomes["places"] = _saved(
            writer, PLACE, [((p.id,), actor_store.save_place(conn, p)) for p in scenario.places]
        )
        outcomes["agreements"] = _saved(
            writer,
            AGREEMENT,
            [((a.id,), agreement_store.save_agreement(conn, a)) for a in scenario.agreements],
        )
        outcomes["regimes"] = _saved(
            writer,
            REGIME,
            [((r.id,), agreement_store.save_regime(conn, r)) for r in scenario.regimes],
        )
    if summary.changed:
        actors = summary.outcomes["actors"]
        if actors[Outcome.CREATED] or actors[Outcome.UPDATED]:
            resolve_actors_again(ledger, author=author)
        summary.reclassified = sum(reclassify(ledger.db, progress=progress).values())
        ledger.checkpoint_now()
    return summary


def _saved(
    writer: Writer, record_type: RecordType, saved: list[tuple[tuple[str], Outcome]]
) -> Counter[Outcome]:
    """Record the entries of what a load created or changed; count the outcomes."""
    for key, outcome in saved:
        if outcome is not Outcome.UNCHANGED:
            new = outcome is Outcome.CREATED
            writer.changed(f"{record_type.name}.{outcome.value}", record_type, [key], new=new)
    return Counter(outcome for _, outcome in saved)


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
