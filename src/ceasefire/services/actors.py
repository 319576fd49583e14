"""The actor register: importing the UN Security Council Consolidated List, and which
actor a name refers to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ceasefire.domain.actors import Actor, normalize_name
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.resolution import Candidate, Resolution
from ceasefire.domain.visibility import Audience
from ceasefire.domain.words import N_
from ceasefire.ingest.unlist import ListedName
from ceasefire.services import mapping_runs
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import reclassify_after_actors, resolve_actors_again
from ceasefire.store import actors as actor_store
from ceasefire.store import mapping_runs as run_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.records import ACTOR, NAME_MAPPING
from ceasefire.store.upserts import Outcome

KINDS = {"entity": "listed_entity", "individual": "listed_individual"}


@dataclass(slots=True)
class UnImport:
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    joined: list[str] = field(default_factory=list)  # actors already there, by reference
    resolved_again: int = 0  # incidents whose actors changed, and were classified again
    reclassified: int = 0  # incidents classified again as an exclusion moved

    def line(self) -> str:
        counts = ", ".join(f"{self.outcomes[o]} {o.value}" for o in Outcome)
        joined = f"; joined to actors already in the register: {', '.join(self.joined)}"
        return f"UN list: {counts}{joined if self.joined else ''}"


def un_actor_id(reference: str) -> str:
    """The id an actor the UN list brings gets: ``un-qde-137`` for QDe.137."""
    return "un-" + "-".join(normalize_name(reference).split())


def _merged(held: Actor, entry: ListedName) -> Actor:
    """An actor already in the register (by its UN reference) keeps its id, name and kind
    and gains every name the list gives it."""
    known = {normalize_name(n) for n in (held.name, *held.aliases)}
    added = []
    for name in (entry.name, *entry.aliases):
        key = normalize_name(name)
        if key and key not in known:
            known.add(key)
            added.append(name)
    return replace(
        held,
        aliases=(*held.aliases, *added),
        un_listed_on=entry.listed_on,
    )


def _listed(entry: ListedName) -> Actor:
    return Actor(
        id=un_actor_id(entry.reference),
        name=entry.name,
        aliases=entry.aliases,
        kind=KINDS[entry.kind],
        un_reference=entry.reference,
        un_listed_on=entry.listed_on,
    )


def import_un_list(
    ledger: Ledger,
    listed: Sequence[ListedName],
    *,
    author: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> UnImport:
    """Every entity and individual of the list as an actor, each created or changed one
    signed as ``actor.created`` or ``actor.updated`` (importing the same list again
    changes nothing); then the names stored reports give are resolved again, the
    incidents whose actors changed classified again, and those naming an actor whose
    exclusion a listing moved (a regime excluding listed groups and those connected to
    them: ``reclassify_after_actors``)."""
    summary = UnImport()
    with ledger.write(author) as writer:
        conn = writer.conn
        before = writer.rules()  # whom the regimes excluded, under the log's lock
        held = {a.un_reference: a for a in actor_store.load_actors(conn) if a.un_reference}
        for number, entry in enumerate(listed, start=1):
            existing = held.get(entry.reference)
            actor = _listed(entry) if existing is None else _merged(existing, entry)
            if existing is not None and existing.id != un_actor_id(entry.reference):
                summary.joined.append(f"{entry.reference} = {existing.id}")
            outcome = actor_store.save_actor(conn, actor)
            summary.outcomes[outcome] += 1
            if outcome is not Outcome.UNCHANGED:
                kind = f"actor.{outcome.value}"
                writer.changed(kind, ACTOR, [(actor.id,)], new=outcome is Outcome.CREATED)
            if progress is not None and number % 100 == 0:
                progress(number, len(listed))
    if summary.outcomes[Outcome.CREATED] or summary.outcomes[Outcome.UPDATED]:
        summary.resolved_again = len(resolve_actors_again(ledger, author=author))
        counts = reclassify_after_actors(ledger.db, before)
        summary.reclassified = sum(counts.values())
        ledger.checkpoint_now()
    return summary


def resolve_names(ledger: Ledger, names: Sequence[str]) -> list[Resolution]:
    """Which actor each name refers to, in the order given."""
    with ledger.db.read() as conn:
        rules = ledger.rules(conn)
    return [rules.actors.resolution(name) for name in names]


def actor_of(ledger: Ledger, actor_id: str) -> Actor | None:
    with ledger.db.read() as conn:
        return ledger.rules(conn).actors.get(actor_id)


def candidate_document(ledger: Ledger, found: Candidate) -> dict[str, Any]:
    """An actor a name may refer to, as JSON, with its UN reference and its score."""
    actor = actor_of(ledger, found.actor_id)
    return {
        "id": found.actor_id,
        "name": found.name,
        "un_reference": actor.un_reference if actor else None,
        "score": found.score,
        "alias": found.alias,
    }


def resolution_document(ledger: Ledger, resolution: Resolution) -> dict[str, Any]:
    """A name's resolution as JSON: its match (if any) and the nearest candidates (the
    API's answer and ``actors resolve --json``'s)."""
    match = None
    if resolution.match is not None:
        found = candidate_document(ledger, resolution.match)
        match = {k: v for k, v in found.items() if k != "alias"}
    return {
        "name": resolution.name,
        "match": match,
        "candidates": [candidate_document(ledger, c) for c in resolution.candidates],
    }


@dataclass(frozen=True, slots=True)
class Unresolved:
    name: str
    mentions: int  # how many report mentions give it
    nearest: Candidate | None


def unresolved_names(
    ledger: Ledger, audience: Audience, *, limit: int = 100
) -> tuple[list[Unresolved], int]:
    """The names the reports ``audience`` reads give that resolve to no actor (and no
    analyst mapped), most mentioned first, each with its nearest candidate; and how many
    such names there are. A report a party may not read lends it none of its names."""
    with ledger.db.read() as conn:
        rules = ledger.rules(conn)
        counts = ledger.names.given(conn, audience)
    found = []
    for name, mentions in sorted(counts.items(), key=lambda c: (-c[1], c[0])):
        resolution = rules.actors.resolution(name)
        if resolution.mapped or resolution.match is not None:
            continue  # mapped, or resolves now (the reports are resolved anew on the next change)
        nearest = resolution.candidates[0] if resolution.candidates else None
        found.append(Unresolved(name, mentions, nearest))
    return found[:limit], len(found)


@dataclass(frozen=True, slots=True)
class Mapped:
    mapping_id: int
    changed: int | None  # incidents the mapping changed that the author's party reads
    # (None: not counted, its run was stopped and taken up again)


def actor_typed(ledger: Ledger, typed: str) -> str:
    """The id of the actor of the register an analyst typed (its id, or a name it goes by);
    refused, naming the field ``actor``, when no actor or several go by it."""
    with ledger.db.read() as conn:
        found = ledger.rules(conn).actors.named(typed)
    if len(found) == 1:
        return found[0].id
    if not found:
        raise InvalidInputError(
            "actor",
            f"{typed!r}: no actor of the register has this id or name",
            template=N_("No actor of the register is called “%(typed)s”: pick one from the list."),
            values={"typed": typed},
        )
    ids = ", ".join(sorted(a.id for a in found))
    raise InvalidInputError(
        "actor",
        f"{typed!r} is a name of several actors of the register ({ids}): give its id",
        template=N_(
            "“%(typed)s” is a name of several actors of the register (%(ids)s): give its id."
        ),
        values={"typed": typed, "ids": ids},
    )


def record_mapping(
    ledger: Ledger, name: str, actor_id: str | None, *, author: str | None = None
) -> int:
    """An analyst's word that ``name`` is this actor (None: no actor of the register),
    signed by their party as a ``name_mapping.recorded`` entry, with the run that will
    resolve again every stored report giving the name (``services.mapping_runs``: a server
    takes it up at once); the mapping's id."""
    name = name.strip()
    if not name or len(name) > 300:
        raise InvalidInputError("name", "give the name as reports write it (1 to 300 characters)")
    with ledger.write(author) as writer:
        conn = writer.conn
        if actor_id is not None and actor_store.actor_names(conn, [actor_id]) == {}:
            raise InvalidInputError("actor", f"{actor_id!r}: no such actor")
        (mapping_id,) = writer.new_ids(t.name_mappings)
        actor_store.save_mapping(conn, mapping_id, name, actor_id, writer.author, datetime.now(UTC))
        writer.changed("name_mapping.recorded", NAME_MAPPING, [(mapping_id,)], new=True)
        run_store.add_run(conn, mapping_id, author)
    return mapping_id


def map_name(
    ledger: Ledger,
    name: str,
    actor_id: str | None,
    *,
    author: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Mapped:
    """``record_mapping``, and wait for its run (run here, with ``progress``, unless a
    server runs it): says how many incidents changed among those the author's party reads
    (the others' are not its business)."""
    mapping_id = record_mapping(ledger, name, actor_id, author=author)
    run = mapping_runs.wait_for(ledger, mapping_id, progress=progress)
    return Mapped(mapping_id, run.changed)


def register(db: Database) -> list[Actor]:
    """Every actor, by name."""
    with db.read() as conn:
        return sorted(actor_store.load_actors(conn), key=lambda a: a.name.casefold())
