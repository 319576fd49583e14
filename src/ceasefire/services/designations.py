"""Designation lists: members submit their lists, the consolidated list follows by each
rule, versioned, and the regimes that follow a list classify incidents anew when it
changes (``domain.designations``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from ceasefire.domain.designations import (
    LEFT_OUT,
    MAX_ROWS,
    Consolidated,
    Designation,
    DesignationList,
    ListChange,
    Position,
    Row,
    consolidate,
    diff,
)
from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.domain.regimes import Regime
from ceasefire.domain.words import N_
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import Reclassified, reclassify_excluding, told
from ceasefire.services.rules import Rules
from ceasefire.store import agreements as agreement_store
from ceasefire.store import designations as store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.exclusions import load_lists, un_listed_actors
from ceasefire.store.records import DESIGNATION, DESIGNATION_LIST
from ceasefire.store.upserts import Outcome

MAX_ERRORS_SHOWN = 10


@dataclass(slots=True)
class Submitted:
    list_id: str
    party_id: str
    version: int | None  # None: the submission changed nothing
    changes: list[tuple[str, Position]] = field(default_factory=list)
    reclassified: list[Reclassified] = field(default_factory=list)

    def line(self) -> str:
        if self.version is None:
            return f"{self.party_id}'s list for {self.list_id}: no change"
        listed = sum(p is Position.LISTED for _, p in self.changes)
        return (
            f"{self.party_id}'s list for {self.list_id}: version {self.version}, "
            f"{listed} listed, {len(self.changes) - listed} not listed; "
            f"{len(self.reclassified)} incidents classified anew"
        )


def save_list(
    ledger: Ledger, designation_list: DesignationList, *, author: str | None = None
) -> Outcome:
    """Create or change a designation list and its members (signed by ``author``)."""
    with ledger.write(author) as writer:
        conn = writer.conn
        known = {r.id for r in conn.execute(select(t.parties.c.id))}
        unknown = [p for p in designation_list.members if p not in known]
        if unknown:
            raise InvalidInputError("members", f"{', '.join(unknown)}: no such party")
        outcome = store.save_list(conn, designation_list)
        if outcome is not Outcome.UNCHANGED:
            writer.changed(
                f"designation_list.{outcome.value}",
                DESIGNATION_LIST,
                [(designation_list.id,)],
                new=outcome is Outcome.CREATED,
            )
    return outcome


def get_list(conn: Connection, list_id: str) -> DesignationList:
    found = load_lists(conn, [list_id])
    if not found:
        raise NotFoundError(f"no designation list {list_id!r}")
    return found[0]


def _actor_ids(conn: Connection, rules: Rules, rows: Sequence[Row]) -> list[str]:
    """The actor each row names; every row that names none is an error, all reported."""
    by_reference = {
        r.un_reference: r.id
        for r in conn.execute(select(t.actors.c.id, t.actors.c.un_reference))
        if r.un_reference
    }
    found, errors = [], []
    for row in rows:
        actor = row.actor.strip()
        if actor.casefold().startswith("un:"):
            actor_id = by_reference.get(actor[3:].strip())
            if actor_id is None:
                errors.append(f"row {row.number}: no actor has UN reference {actor[3:]!r}")
        elif rules.actors.get(actor) is not None:
            actor_id = actor
        else:
            resolution = rules.actors.resolution(actor)
            actor_id = resolution.match.actor_id if resolution.match else None
            if actor_id is None:
                nearest = resolution.candidates[0] if resolution.candidates else None
                hint = f" (nearest: {nearest.actor_id}, {nearest.score:.2f})" if nearest else ""
                errors.append(f"row {row.number}: {actor!r} names no actor{hint}")
        found.append(actor_id or "")
    if errors:
        more = len(errors) - MAX_ERRORS_SHOWN
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        raise InvalidInputError("actor", f"{shown}. Nothing was submitted")
    return found


def submit(
    ledger: Ledger,
    list_id: str,
    party_id: str,
    rows: Sequence[Row],
    *,
    complete: bool = True,
) -> Submitted:
    """A member's list, signed by the member: each actor it names as listed (or not
    listed); with ``complete``, each actor it listed before and leaves out now becomes
    not listed. A submission that changes the list makes its next version, and when a
    regime follows the list, the incidents it can change are classified anew (those that
    change go to the live feed: ``reclassify_excluding``)."""
    if len(rows) > MAX_ROWS:
        raise InvalidInputError("rows", f"{len(rows)} designations; at most {MAX_ROWS} at once")
    now = datetime.now(UTC)
    with ledger.write(party_id) as writer:
        conn = writer.conn
        designation_list = get_list(conn, list_id)
        if party_id not in designation_list.members:
            raise InvalidInputError("party", f"{party_id!r} is not a member of list {list_id!r}")
        rules = Rules.load(conn)
        actor_ids = _actor_ids(conn, rules, rows)
        wanted: dict[str, Designation] = {}
        for row, actor_id in zip(rows, actor_ids, strict=True):
            held = wanted.get(actor_id)
            if held is not None and held.position is not row.position:
                raise InvalidInputError(
                    "actor", f"row {row.number}: {actor_id!r} is both listed and not listed"
                )
            wanted[actor_id] = Designation(list_id, party_id, actor_id, row.position, row.note)
        if complete:
            d = t.designations.c
            listed_before = conn.execute(
                select(d.actor_id).where(
                    (d.list_id == list_id)
                    & (d.party_id == party_id)
                    & (d.position == Position.LISTED.value)
                )
            ).scalars()
            for actor_id in listed_before:
                if actor_id not in wanted:
                    wanted[actor_id] = Designation(
                        list_id, party_id, actor_id, Position.NOT_LISTED, LEFT_OUT
                    )
        changes = []
        for actor_id, designation in sorted(wanted.items()):
            outcome = store.save_designation(conn, designation, now)
            if outcome is not Outcome.UNCHANGED:
                changes.append((actor_id, designation.position))
                writer.changed(
                    f"designation.{outcome.value}",
                    DESIGNATION,
                    [(list_id, party_id, actor_id)],
                    new=outcome is Outcome.CREATED,
                )
        result = Submitted(list_id, party_id, None, changes)
        if not changes:
            return result
        result.version = store.add_version(conn, list_id, party_id, now, changes)
        follows = conn.execute(
            select(t.regimes.c.id).where(t.regimes.c.exclusion_list == list_id)
        ).first()
        if follows is not None:
            changed = reclassify_excluding(conn, rules, Rules.load(conn), writer.start)
            result.reclassified = told(conn, party_id, changed)  # those it may read
    return result


def consolidated(db: Database, list_id: str, version: int | None = None) -> Consolidated:
    """The consolidated list at a version (default: the latest), with who listed what, and
    at the latest version each member's note."""
    with db.read() as conn:
        designation_list = get_list(conn, list_id)
        latest = store.latest_version(conn, list_id)
        at = latest if version is None else version
        if not 0 <= at <= latest:
            raise InvalidInputError(
                "version",
                f"{at}: the list has versions 0 to {latest}",
                template=N_("Version %(at)s: the list has versions 0 to %(latest)s."),
                values={"at": at, "latest": latest},
            )
        said = store.designations_at(conn, list_id, at)
        found = consolidate(designation_list, said, un_listed_actors(conn))
        notes = store.notes(conn, list_id) if at == latest else {}
        names = {
            r.id: r.name
            for r in conn.execute(
                select(t.actors.c.id, t.actors.c.name).where(t.actors.c.id.in_(list(found)))
            )
        }
    return Consolidated(designation_list, at, found, names, notes)


def compare(db: Database, list_id: str, old: int, new: int) -> list[ListChange]:
    """How each actor's level changed from one version of a list to another."""
    before = consolidated(db, list_id, old).entries
    after = consolidated(db, list_id, new).entries
    return diff(before, after)


def versions(db: Database, list_id: str) -> list[store.Version]:
    with db.read() as conn:
        get_list(conn, list_id)
        return store.versions(conn, list_id)


def followed_by(db: Database, list_id: str) -> list[Regime]:
    """The regimes that exclude the actors of this list (at their rule)."""
    with db.read() as conn:
        return [r for r in agreement_store.load_regimes(conn) if r.exclusion_list == list_id]


def lists(db: Database) -> list[DesignationList]:
    with db.read() as conn:
        return load_lists(conn)
