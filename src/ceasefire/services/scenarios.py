"""Loading a scenario file's parties, actors, places, agreements and regimes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ceasefire.domain.actors import Actor
from ceasefire.domain.errors import ConflictError
from ceasefire.domain.scenarios import Reload, Scenario, reload_decision
from ceasefire.domain.states import differing
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import (
    reclassify,
    reclassify_after_actors,
    resolve_actors_again,
)
from ceasefire.services.writers import Writer
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store import designations as designation_store
from ceasefire.store import loads as load_store
from ceasefire.store.records import (
    ACTOR,
    AGREEMENT,
    DESIGNATION_LIST,
    PARTY,
    PLACE,
    REGIME,
    RecordType,
    read_states,
)
from ceasefire.store.upserts import Outcome


@dataclass(slots=True)
class LoadSummary:
    scenario: str
    outcomes: dict[str, Counter[Outcome]] = field(default_factory=dict)
    reclassified: int = 0
    resolved_again: int = 0  # incidents whose reports' actors resolved otherwise
    kept: list[str] = field(default_factory=list)  # records changed since, left as they are
    reverted: list[str] = field(default_factory=list)  # --force: later changes undone

    @property
    def changed(self) -> bool:
        return any(c[Outcome.CREATED] or c[Outcome.UPDATED] for c in self.outcomes.values())

    def line(self) -> str:
        parts = []
        for kind, counts in self.outcomes.items():
            total = sum(counts.values())
            if not total and kind == "designation lists":  # most scenarios have none
                continue
            new, updated = counts[Outcome.CREATED], counts[Outcome.UPDATED]
            parts.append(f"{total} {kind} ({new} new, {updated} updated)")
        text = f"{self.scenario}: " + ", ".join(parts)
        if self.kept:
            text += "; kept as changed since the file's last load: " + ", ".join(self.kept)
        if self.reverted:
            text += "; reverted to the file (--force), undoing later changes: "
            text += ", ".join(self.reverted)
        return text


def load_scenario(
    ledger: Ledger,
    scenario: Scenario,
    progress: Callable[[int, int], None] | None = None,
    *,
    author: str | None = None,
    force: bool = False,
) -> LoadSummary:
    """Write what the file changed since its last load (loading it twice changes nothing)
    and classify incidents again when it changed anything: every incident, or when only
    actors changed, after resolving the reports' names again, those whose exclusions the
    actors moved (``reclassify_after_actors``). Each record created or changed gets its
    entry.

    A record changed since the file was last loaded (an extension agreed over the API, a
    regime edited) keeps that change where the file says what it said before. Where the
    file would undo it, the load is refused, naming the record and the fields, unless
    ``force``, which applies the file and records the reversal as a signed update
    (``domain.scenarios.reload_decision``)."""
    summary = LoadSummary(scenario.id)
    with ledger.write(author) as writer:
        conn = writer.conn
        before = writer.rules()  # whom the regimes excluded, under the log's lock
        loader = _Loader(writer, scenario.id, force, summary)
        outcomes = summary.outcomes
        outcomes["parties"] = loader.apply(
            PARTY,
            [((p.id,), partial(agreement_store.save_party, conn, p)) for p in scenario.parties],
        )
        outcomes["actors"] = loader.apply(
            ACTOR,
            [((a.id,), partial(actor_store.save_actor, conn, a)) for a in _parents_first(scenario)],
        )
        outcomes["places"] = loader.apply(
            PLACE, [((p.id,), partial(actor_store.save_place, conn, p)) for p in scenario.places]
        )
        outcomes["designation lists"] = loader.apply(
            DESIGNATION_LIST,
            [
                ((d.id,), partial(designation_store.save_list, conn, d))
                for d in scenario.designation_lists
            ],
        )
        outcomes["agreements"] = loader.apply(
            AGREEMENT,
            [
                ((a.id,), partial(agreement_store.save_agreement, conn, a))
                for a in scenario.agreements
            ],
        )
        outcomes["regimes"] = loader.apply(
            REGIME,
            [((r.id,), partial(agreement_store.save_regime, conn, r)) for r in scenario.regimes],
        )
        loader.finish()
    if summary.changed:
        written = {k for k, n in outcomes.items() if n[Outcome.CREATED] + n[Outcome.UPDATED]}
        if "actors" in written:
            touched = resolve_actors_again(ledger, author=author, progress=progress)
            summary.resolved_again = len(touched)
        if written == {"actors"}:  # only actors: the incidents whose exclusions they moved
            counts = reclassify_after_actors(ledger.db, before, progress=progress)
        else:
            counts = reclassify(ledger.db, progress=progress)
        summary.reclassified = sum(counts.values())
        ledger.checkpoint_now()
    return summary


class _Loader:
    """Applies a file's records one at a time, each in a savepoint, deciding by what the
    file said at its last load (``store.loads``) and what the database holds now."""

    def __init__(self, writer: Writer, scenario_id: str, force: bool, summary: LoadSummary):
        self.writer, self.scenario_id, self.force = writer, scenario_id, force
        self.summary = summary
        self.previous = load_store.previous_states(writer.conn, scenario_id)
        self.now: dict[str, dict[str, Any]] = {}
        self.undone: list[str] = []

    def apply(
        self, record_type: RecordType, items: list[tuple[tuple[str], Callable[[], Outcome]]]
    ) -> Counter[Outcome]:
        conn, counts = self.writer.conn, Counter[Outcome]()
        for key, save in items:
            record = record_type.record(key)
            before = read_states(conn, record_type, [key]).get(record)
            savepoint = conn.begin_nested()
            outcome = save()
            file = read_states(conn, record_type, [key])[record]
            self.now[record] = file
            previous = self.previous.get(record)
            only_loads = previous is not None or load_store.only_written_by(
                conn, record, self.writer.author
            )
            decision = reload_decision(before, file, previous, only_loads=only_loads)
            if decision is Reload.UNDO:
                fields = ", ".join(repr(f) for f in differing(before or {}, file))
                self.undone.append(f"{record} ({fields})")
                if self.force:
                    self.summary.reverted.append(record)
            if decision in (Reload.SAME, Reload.KEEP) or (
                decision is Reload.UNDO and not self.force
            ):
                savepoint.rollback()
                if decision is Reload.KEEP:
                    self.summary.kept.append(record)
                counts[Outcome.UNCHANGED] += 1
                continue
            savepoint.commit()
            kind = f"{record_type.name}.{outcome.value}"
            self.writer.changed(kind, record_type, [key], new=outcome is Outcome.CREATED)
            counts[outcome] += 1
        return counts

    def finish(self) -> None:
        """Refuse the whole load if it would undo a later change (without ``force``);
        else remember what the file says now."""
        if self.undone and not self.force:
            raise ConflictError(
                f"loading {self.scenario_id} would undo what was changed since the file was "
                f"last loaded: {'; '.join(self.undone)}. Nothing was loaded: make the file "
                "agree, or load it with --force to undo those changes (signed as updates)"
            )
        load_store.remember(self.writer.conn, self.scenario_id, self.now, datetime.now(UTC))


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
