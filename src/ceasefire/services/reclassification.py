"""Classifying stored incidents again: after regimes change (everywhere, or in an area),
and resolving the actors stored reports name again after actors change."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from ceasefire.domain.exclusions import TERRITORY, Exclusion
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.services.derivations import derive_again
from ceasefire.services.imports import Chunks
from ceasefire.services.ledger import Ledger
from ceasefire.services.rules import CurrentRules, Rules
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.turns import in_turns
from ceasefire.store import incidents as incident_store
from ceasefire.store import ledger as log_store
from ceasefire.store import mentions as mention_store
from ceasefire.store import nearby as nearby_store
from ceasefire.store import reclassifications as reclassification_store
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t
from ceasefire.store.audiences import audience_of
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.records import REPORT


def _reassess(conn: Connection, rules: Rules, incidents: Sequence[StoredIncident]) -> list[str]:
    """Classify stored incidents again; their new classifications."""
    assessment = rules.assess_stored(incidents)
    found = assessment.outcomes()
    changed = {}
    for incident, outcome in zip(incidents, found, strict=True):
        now = (outcome.classification, outcome.attribution_disputed, outcome.clipped_to)
        if now != (incident.classification, incident.attribution_disputed, incident.clipped_to):
            changed[incident.id] = {
                "classification": outcome.classification.value,
                "attribution_disputed": outcome.attribution_disputed,
                "clipped_to": outcome.clipped_to,
            }
    incident_store.update_incidents(conn, changed)
    incident_store.set_regimes(conn, [i.id for i in incidents], assessment)
    return [o.classification.value for o in found]


def resolve_actors_again(
    ledger: Ledger,
    *,
    batch: int = 10_000,
    author: str | None = None,
    chunks: Chunks | None = None,
    progress: Callable[[int, int], None] | None = None,
    names: Collection[str] | None = None,
) -> set[int]:
    """Resolve the actors every stored report names (or, ``names``, every report giving
    one of these names as written) against the actors known now (a scenario loaded after an
    import brings them, an analyst mapped a name), and derive each incident they changed
    again (its actors, each source's claim, its classification). Returns the incidents
    that changed, whoever reads them (count only those a party reads before telling it).

    Every report's actors are read outside any write, ``batch`` at a time; those whose
    resolution changed are read again and rewritten in short writes (``turns``). A report
    stored meanwhile was resolved under the new actors already."""
    stale: list[int] = []
    with ledger.db.read() as conn:
        rules = ledger.rules(conn)
    after: int | None = None
    while True:  # a read a page: a long one keeps SQLite's WAL from starting again
        with ledger.db.read() as conn:
            page = mention_store.mentions_page(conn, after_id=after, limit=batch, names=names)
        if not page:
            break
        stale += [m.report_id for m in page if rules.resolve_mentions(m.actors) != m.actors]
        after = page[-1].report_id
    touched: set[int] = set()

    def turn(report_ids: Sequence[int]) -> None:
        with ledger.write(author) as writer:
            conn, rules, changed = writer.conn, writer.rules(), set()
            actors = {}
            for stored in mention_store.mentions_of(conn, report_ids):
                resolved = rules.resolve_mentions(stored.actors)
                if resolved != stored.actors:
                    actors[stored.report_id] = resolved
                    changed.add(stored.incident_id)
            report_store.set_actors(conn, actors)
            writer.changed("report.actors_resolved", REPORT, [(i,) for i in actors])
            derive_again(conn, rules, sorted(changed))
        touched.update(changed)

    in_turns(ledger.db, stale, turn, chunks=chunks, progress=progress)
    if stale:  # the last turn may have found nothing left to write: durable and covered
        ledger.checkpoint_now()
    return touched


@dataclass(frozen=True, slots=True)
class Reclassified:
    incident_id: int
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Shift:
    """How many incidents a write moved from one classification to another."""

    before: str
    after: str
    count: int


def tally(changed: Sequence[Reclassified]) -> list[Shift]:
    """The reclassifications counted by (before, after), the most common first."""
    counts = Counter((c.before, c.after) for c in changed)
    order = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Shift(before, after, count) for (before, after), count in order]


def reclassify_areas(
    conn: Connection, rules: Rules, areas: Sequence[BBox], sequence: int
) -> list[Reclassified]:
    """Classify again the incidents inside these areas (after a regime or an area of
    control there changed, in a write whose first entry is ``sequence``), and note those
    whose classification changed for the live feed. Returns them."""
    return _noted(conn, rules, _inside(conn, areas), sequence)


def reclassify_excluding(
    conn: Connection, before: Rules, after: Rules, sequence: int
) -> list[Reclassified]:
    """Classify again the incidents a change of whom the regimes exclude (a designation
    list's new version) can change: those naming an actor now excluded on other grounds,
    or attributed to one, and where a regime follows territory, those inside the areas
    such an actor holds; note those that changed, as ``reclassify_areas``. (Every
    incident, under the log's lock, took minutes on a million.)"""
    actors, boxes = _moved(before, after)
    found = {i.id: i for i in nearby_store.incidents_naming(conn, actors)}
    return _noted(conn, after, found | _inside(conn, boxes), sequence)


def _moved(before: Rules, after: Rules) -> tuple[set[str], list[BBox]]:
    """The actors whose exclusion grounds moved between two sets of rules in any regime,
    and where a regime follows territory, the boxes of the ground such an actor holds."""
    was = {r.id: r.excludes for r in before.regimes.regimes}
    actors: set[str] = set()
    boxes: list[BBox] = []
    for regime in after.regimes.regimes:
        moved = regime.excludes.changed_since(was.get(regime.id, Exclusion()))
        actors |= moved
        if moved and TERRITORY in regime.exclusion_follows:
            held = [a for a in regime.control.areas if a.actor_id in moved]
            boxes += [BBox.around(a.geometry) for a in held]
    return actors, boxes


def reclassify_after_actors(
    db: Database, before: Rules, *, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Classify again, after actors were added or changed (a scenario loaded) and the
    reports' names resolved again (which derived the incidents whose actors that changed),
    only the incidents that can change: those naming or attributed to an actor whose
    exclusion grounds moved from ``before`` (an affiliation, a name or a UN listing
    changed), and where a regime follows territory, those inside ground such an actor
    holds. (What else an actor says, its reasons read when they are shown.) In turns, as
    ``reclassify``; counts per class."""
    with db.read() as conn:
        actors, boxes = _moved(before, CurrentRules()(conn))
        ids = set(nearby_store.incident_ids_naming(conn, actors))
        for box in boxes:
            ids.update(nearby_store.incident_ids_near(conn, IncidentFilter(bbox=box)))
    return reclassify(db, ids=sorted(ids), progress=progress)


def _inside(conn: Connection, areas: Sequence[BBox]) -> dict[int, StoredIncident]:
    found: dict[int, StoredIncident] = {}
    for area in areas:
        inside = nearby_store.incidents_near(conn, IncidentFilter(bbox=area))
        found.update((i.id, i) for i in inside)
    return found


def _noted(
    conn: Connection, rules: Rules, found: dict[int, StoredIncident], sequence: int
) -> list[Reclassified]:
    changed = _changed(conn, rules, [found[i] for i in sorted(found)])
    _note(conn, sequence, changed)
    return changed


def reclassify(
    db: Database,
    *,
    ids: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Classify every stored incident (or these) again (after regimes change); counts per
    class. In short transactions (``turns``): SQLite lets one transaction write at a time,
    and one over a million incidents kept every other write waiting for minutes. Each turn
    holds the log's lock, as a write does, and classifies by the rules in force then: a
    write between two turns may have changed them (and classified its own incidents)."""
    counts: dict[str, int] = defaultdict(int)
    if ids is None:
        with db.read() as conn:
            ids = incident_store.all_incident_ids(conn)
    current = CurrentRules()

    def turn(part: Sequence[int]) -> None:
        with db.transaction() as conn:  # an incident merged away meanwhile is not found
            log_store.lock_log(conn)
            found = incident_store.find_incidents(conn, part, EVERYTHING, explain=False)
            for value in _reassess(conn, current(conn), found):
                counts[value] += 1

    in_turns(db, ids, turn, progress=progress)
    return dict(counts)


def _changed(
    conn: Connection, rules: Rules, incidents: Sequence[StoredIncident]
) -> list[Reclassified]:
    before = [i.classification.value for i in incidents]
    after = _reassess(conn, rules, incidents)
    return [
        Reclassified(i.id, old, new)
        for i, old, new in zip(incidents, before, after, strict=True)
        if old != new
    ]


def _note(conn: Connection, sequence: int, changed: Sequence[Reclassified]) -> None:
    if changed:
        conn.execute(
            t.reclassifications.insert(),
            [
                {
                    "sequence": sequence,
                    "incident_id": c.incident_id,
                    "before": c.before,
                    "after": c.after,
                }
                for c in changed
            ],
        )


def told(conn: Connection, author: str | None, changed: list[Reclassified]) -> list[Reclassified]:
    """Those of the reclassified incidents the author reads (``None``: the host's
    operator, who reads everything), by id: what a write's answer may say."""
    audience = EVERYTHING if author is None else audience_of(conn, author)
    seen = reclassification_store.readable(conn, {c.incident_id for c in changed}, audience)
    return sorted((c for c in changed if c.incident_id in seen), key=lambda c: c.incident_id)
