"""Designation lists: members submit their lists, the consolidated list follows by each
rule, versioned, and the regimes that follow a list classify incidents anew when it
changes (``domain.designations``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from ceasefire.domain.actors import ActorIndex
from ceasefire.domain.designations import (
    MAX_ROWS,
    Consolidated,
    Designation,
    DesignationList,
    Position,
    Row,
    consolidate,
    held_version,
    positions_moved,
    submission,
)
from ceasefire.domain.errors import (
    InvalidInputError,
    NotFoundError,
    PreconditionFailedError,
    RowsError,
)
from ceasefire.domain.list_changes import (
    ListChange,
    between,
    changes,
    said_by,
    version_changes,
)
from ceasefire.domain.regimes import Regime
from ceasefire.domain.words import N_
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import Reclassified, reclassify_excluding, told
from ceasefire.services.rules import Rules, actor_index
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store import designations as store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.exclusions import load_lists, un_listed_actors
from ceasefire.store.records import DESIGNATION, DESIGNATION_LIST
from ceasefire.store.upserts import Outcome


@dataclass(slots=True)
class Plan:
    """What a member's submission does: the designations it signs (each whose position
    or note changes) and what it changes in the consolidated list (``list_changes``)."""

    signed: list[Designation]
    moved: list[Designation]  # of those, the ones whose position moved: the version's
    changes: list[ListChange]


@dataclass(slots=True)
class Submitted:
    list_id: str
    party_id: str
    version: int | None  # None: no position moved (a note alone makes no version)
    signed: list[Designation] = field(default_factory=list)
    changes: list[ListChange] = field(default_factory=list)
    reclassified: list[Reclassified] = field(default_factory=list)
    held_as: str = ""  # the member's list as it now stands (``held_version``)

    def line(self) -> str:
        head = f"{self.party_id}'s list for {self.list_id}"
        notes = len(self.signed) - len(self.changes)
        noted = f"; {notes} note{'' if notes == 1 else 's'} changed" if notes else ""
        if self.version is None:
            return f"{head}: no position moved{noted}" if notes else f"{head}: no change"
        listed = sum(w.after is Position.LISTED for c in self.changes for w in c.words)
        groups = "group" if len(self.changes) == 1 else "groups"
        return (
            f"{head}: version {self.version}, {len(self.changes)} {groups} changed "
            f"({listed} listed, {len(self.changes) - listed} not listed){noted}; "
            f"{len(self.reclassified)} incidents classified anew"
        )


@dataclass(frozen=True, slots=True)
class Version:
    """A version of a list: who submitted it, when, and what it changed."""

    number: int
    party_id: str
    submitted: datetime
    changes: list[ListChange]


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


def _actor_ids(conn: Connection, actors: ActorIndex, rows: Sequence[Row]) -> list[str]:
    """The actor each row names; every row that names none is an error, all reported."""
    by_reference = {
        r.un_reference: r.id
        for r in conn.execute(select(t.actors.c.id, t.actors.c.un_reference))
        if r.un_reference
    }
    found: list[str] = []
    errors: dict[int, InvalidInputError] = {}
    for row in rows:
        actor = row.actor.strip()
        actor_id: str | None = actor
        if actor.casefold().startswith("un:"):
            actor_id = by_reference.get(actor[3:].strip())
            if actor_id is None:
                errors[row.number] = InvalidInputError(
                    "actor",
                    f"no actor has UN reference {actor[3:]!r}",
                    template=N_("No actor has the UN reference %(reference)s."),
                    values={"reference": actor[3:].strip()},
                )
        elif actors.get(actor) is None:
            actor_id = _named(actors, row.number, actor, errors)
        found.append(actor_id or "")
    if errors:
        raise RowsError("actor", errors)
    return found


def _named(
    actors: ActorIndex, number: int, name: str, errors: dict[int, InvalidInputError]
) -> str | None:
    """The actor a name resolves to, else None with the row's error."""
    resolution = actors.resolution(name)
    if resolution.match is not None:
        return resolution.match.actor_id
    nearest = resolution.candidates[0] if resolution.candidates else None
    if nearest is None:
        errors[number] = InvalidInputError(
            "actor",
            f"{name!r} names no actor",
            template=N_("“%(name)s” names no actor of the register."),
            values={"name": name},
        )
    else:
        errors[number] = InvalidInputError(
            "actor",
            f"{name!r} names no actor (nearest: {nearest.actor_id}, {nearest.score:.2f})",
            template=N_("“%(name)s” names no actor of the register (the nearest: %(nearest)s)."),
            values={"name": name, "nearest": nearest.name},
        )
    return None


def _plan(
    conn: Connection,
    actors: ActorIndex,
    list_id: str,
    party_id: str,
    rows: Sequence[Row],
    complete: bool,
) -> Plan:
    """What a member's submission would sign and change, checked: the list exists, the
    party is a member, each row names an actor, no actor is both listed and not."""
    if len(rows) > MAX_ROWS:
        raise InvalidInputError.because(
            "rows",
            N_("%(count)s designations: at most %(most)s at once."),
            count=len(rows),
            most=MAX_ROWS,
        )
    designation_list = get_list(conn, list_id)
    if party_id not in designation_list.members:
        raise InvalidInputError(
            "party",
            f"{party_id!r} is not a member of list {list_id!r}",
            template=N_("%(party)s is not a member of this list: its members submit to it."),
            values={"party": party_id},
        )
    named = list(zip(rows, _actor_ids(conn, actors, rows), strict=True))
    held = store.held(conn, list_id, party_id)
    signed = submission(list_id, party_id, named, held, complete=complete)
    moved = positions_moved(held, signed)
    said = said_by(store.designations_at(conn, list_id, store.latest_version(conn, list_id)))
    found = changes(designation_list, said, {(party_id, d.actor_id): d.position for d in moved})
    return Plan(signed, moved, found)


def preview(
    db: Database, list_id: str, party_id: str, rows: Sequence[Row], *, complete: bool = True
) -> Plan:
    """What ``submit`` would sign and change, with the same checks, writing nothing."""
    with db.read() as conn:
        return _plan(conn, actor_index(conn), list_id, party_id, rows, complete)


def submit(
    ledger: Ledger,
    list_id: str,
    party_id: str,
    rows: Sequence[Row],
    *,
    complete: bool = True,
    expected: str | None = None,
) -> Submitted:
    """A member's list, signed by the member: each actor it names as listed (or not
    listed); with ``complete``, each actor it listed before and leaves out now becomes
    not listed (``domain.designations.submission``, with its rule for notes). A
    submission that moves a position makes the list's next version, and when a regime
    follows the list, the incidents it can change are classified anew (those that change
    go to the live feed: ``reclassify_excluding``). ``expected``: the member's list as the
    submitter read it (``held_version``); refused if it changed since, which the
    submission would undo."""
    now = datetime.now(UTC)
    with ledger.write(party_id) as writer:
        conn = writer.conn
        rules = Rules.load(conn)
        plan = _plan(conn, rules.actors, list_id, party_id, rows, complete)
        if expected is not None:
            _unchanged(conn, list_id, party_id, expected)
        for designation in plan.signed:
            outcome = store.save_designation(conn, designation, now)
            if outcome is not Outcome.UNCHANGED:
                writer.changed(
                    f"designation.{outcome.value}",
                    DESIGNATION,
                    [(list_id, party_id, designation.actor_id)],
                    new=outcome is Outcome.CREATED,
                )
        result = Submitted(list_id, party_id, None, plan.signed, plan.changes)
        result.held_as = held_version(store.held(conn, list_id, party_id))
        if not plan.moved:
            return result
        result.version = store.add_version(conn, list_id, party_id, now, plan.moved)
        follows = conn.execute(
            select(t.regimes.c.id).where(t.regimes.c.exclusion_list == list_id)
        ).first()
        if follows is not None:
            changed = reclassify_excluding(conn, rules, Rules.load(conn), writer.start)
            result.reclassified = told(conn, party_id, changed)  # those it may read
    return result


_CHANGED = N_(
    "%(party)s's list for %(list)s changed since the version you read (%(expected)s; it is "
    "%(held)s now): submitted, yours would undo what was signed since. Nothing was signed."
)


def _unchanged(conn: Connection, list_id: str, party_id: str, expected: str) -> None:
    """Refuse, with 412, a submission made from a version of the member's list that is no
    longer its own (read under the log's lock, so no write comes between)."""
    held = held_version(store.held(conn, list_id, party_id))
    if held != expected:
        values = {"party": party_id, "list": list_id, "expected": expected, "held": held}
        raise PreconditionFailedError(_CHANGED % values, template=_CHANGED, values=values)


def _checked(conn: Connection, list_id: str, version: int, field: str = "version") -> int:
    """A version of the list, or an error naming ``field``."""
    latest = store.latest_version(conn, list_id)
    if not 0 <= version <= latest:
        raise InvalidInputError(
            field,
            f"{version}: the list has versions 0 to {latest}",
            template=N_("Version %(at)s: the list has versions 0 to %(latest)s."),
            values={"at": version, "latest": latest},
        )
    return version


def consolidated(db: Database, list_id: str, version: int | None = None) -> Consolidated:
    """The consolidated list at a version (default: the latest), with who listed what, and
    at the latest version each member's note."""
    with db.read() as conn:
        designation_list = get_list(conn, list_id)
        latest = store.latest_version(conn, list_id)
        at = _checked(conn, list_id, latest if version is None else version)
        said = store.designations_at(conn, list_id, at)
        found = consolidate(designation_list, said, un_listed_actors(conn))
        notes = store.notes(conn, list_id) if at == latest else {}
        names = actor_store.actor_names(conn, found)
    return Consolidated(designation_list, at, found, names, notes)


def held(
    db: Database, list_id: str, party_id: str, *, member: bool = False
) -> dict[str, Designation]:
    """A member's designations now, with its notes, by actor (``member``: refused unless
    the list exists and the party is one of its members)."""
    with db.read() as conn:
        if member and party_id not in get_list(conn, list_id).members:
            raise NotFoundError(f"{party_id!r} is not a member of designation list {list_id!r}")
        return store.held(conn, list_id, party_id)


def actor_names(db: Database, actor_ids: Iterable[str]) -> dict[str, str]:
    """The names of these actors, by id."""
    with db.read() as conn:
        return actor_store.actor_names(conn, actor_ids)


def compare(db: Database, list_id: str, old: int, new: int) -> list[ListChange]:
    """How the list moved from one version to another (in either order): each actor a
    member's position on moved, with its level before and after and who moved it
    (``domain.list_changes``, as each version's own changes are)."""
    with db.read() as conn:
        designation_list = get_list(conn, list_id)
        before = store.designations_at(conn, list_id, _checked(conn, list_id, old, "from"))
        after = store.designations_at(conn, list_id, _checked(conn, list_id, new, "to"))
    return between(designation_list, said_by(before), said_by(after))


def versions(db: Database, list_id: str) -> list[Version]:
    """Each version, with what it changed against the version before it."""
    with db.read() as conn:
        designation_list = get_list(conn, list_id)
        made = store.versions(conn, list_id)
        found = version_changes(designation_list, store.version_rows(conn, list_id))
    return [Version(v.number, v.party_id, v.submitted, found.get(v.number, [])) for v in made]


def followed_by(db: Database, list_id: str) -> list[Regime]:
    """The regimes that exclude the actors of this list (at their rule)."""
    with db.read() as conn:
        return [r for r in agreement_store.load_regimes(conn) if r.exclusion_list == list_id]


def lists(db: Database) -> list[DesignationList]:
    with db.read() as conn:
        return load_lists(conn)
