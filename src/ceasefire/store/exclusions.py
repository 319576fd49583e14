"""Designation lists and their consolidation as stored, and who each regime excludes on
what ground (``domain.exclusions``): the actors it names, those on the list it follows at
its rule, and groups connected with them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from ceasefire.domain.actors import Affiliation
from ceasefire.domain.designations import (
    Designation,
    DesignationList,
    ListEntry,
    Position,
    consolidate,
    list_rule,
)
from ceasefire.domain.exclusions import Exclusion, Ground, widen
from ceasefire.store import tables as t


@dataclass(frozen=True, slots=True)
class ExclusionTerms:
    """What a regime says of whom it excludes."""

    regime_id: str
    named: frozenset[str]
    list_id: str | None
    rule: str | None
    follows: tuple[str, ...]


def load_lists(conn: Connection, list_ids: Iterable[str] | None = None) -> list[DesignationList]:
    query = select(t.designation_lists).order_by(t.designation_lists.c.id)
    if list_ids is not None:
        query = query.where(t.designation_lists.c.id.in_(sorted(set(list_ids))))
    rows = conn.execute(query).all()
    members: dict[str, list[str]] = defaultdict(list)
    m = t.designation_list_members.c
    for row in conn.execute(select(m.list_id, m.party_id).order_by(m.list_id, m.party_id)):
        members[row.list_id].append(row.party_id)
    return [
        DesignationList(r.id, r.name, tuple(members[r.id]), r.description)
        for r in rows
        if members[r.id]
    ]


def load_designations(conn: Connection, list_id: str) -> list[Designation]:
    d = t.designations.c
    query = select(t.designations).where(d.list_id == list_id).order_by(d.actor_id, d.party_id)
    return [
        Designation(r.list_id, r.party_id, r.actor_id, Position(r.position), r.note)
        for r in conn.execute(query)
    ]


def un_listed_actors(conn: Connection) -> set[str]:
    query = select(t.actors.c.id).where(t.actors.c.un_reference.is_not(None))
    return {row.id for row in conn.execute(query)}


def consolidated(conn: Connection, designation_list: DesignationList) -> dict[str, ListEntry]:
    """The list as its members' designations stand now."""
    return consolidate(
        designation_list, load_designations(conn, designation_list.id), un_listed_actors(conn)
    )


def load_affiliations(conn: Connection) -> list[tuple[str, Affiliation]]:
    """Every affiliation, in one order on both databases (the order decides which of an
    actor's grounds its reasons name first)."""
    a = t.actor_affiliations.c
    order = [a.actor_id, a.related_id, a.relation, a.since.nulls_first(), a.until.nulls_first()]
    return [
        (row.actor_id, Affiliation(row.relation, row.related_id, row.since, row.until))
        for row in conn.execute(select(t.actor_affiliations).order_by(*order))
    ]


def exclusion_terms(conn: Connection, regime_ids: Sequence[str]) -> list[ExclusionTerms]:
    ids = sorted(set(regime_ids))
    if not ids:
        return []
    r = t.regimes.c
    rows = conn.execute(
        select(r.id, r.exclusion_list, r.exclusion_rule).where(r.id.in_(ids)).order_by(r.id)
    ).all()
    named: dict[str, set[str]] = defaultdict(set)
    ex = t.regime_exclusions.c
    for row in conn.execute(select(ex.regime_id, ex.actor_id).where(ex.regime_id.in_(ids))):
        named[row.regime_id].add(row.actor_id)
    follows: dict[str, list[str]] = defaultdict(list)
    f = t.regime_follows.c
    query = select(f.regime_id, f.relation).where(f.regime_id.in_(ids)).order_by(f.relation)
    for row in conn.execute(query):
        follows[row.regime_id].append(row.relation)
    return [
        ExclusionTerms(
            row.id,
            frozenset(named[row.id]),
            row.exclusion_list,
            row.exclusion_rule,
            tuple(follows[row.id]),
        )
        for row in rows
    ]


def load_exclusions(conn: Connection, regime_ids: Sequence[str]) -> dict[str, Exclusion]:
    """Who each regime excludes and why; a regime that only names actors, as it names
    them (no list to read, no connection to follow)."""
    found: dict[str, Exclusion] = {}
    terms = exclusion_terms(conn, regime_ids)
    wide = [x for x in terms if x.list_id is not None or x.follows]
    lists = {d.id: d for d in load_lists(conn, [x.list_id for x in wide if x.list_id])}
    entries = {list_id: consolidated(conn, d) for list_id, d in lists.items()}
    affiliations = load_affiliations(conn) if any(x.follows for x in wide) else []
    names = _actor_names(conn) if affiliations else {}
    for x in terms:
        direct = {a: Ground("named") for a in x.named}
        if x.list_id is not None and x.rule is not None and x.list_id in lists:
            rule = list_rule(x.rule)
            for actor_id, entry in entries[x.list_id].items():
                if actor_id not in direct and entry.holds_under(rule):
                    direct[actor_id] = Ground(
                        "listed",
                        list_name=lists[x.list_id].name,
                        rule=rule.value,
                        listed_by=entry.listed_by,
                    )
        found[x.regime_id] = widen(direct, affiliations, x.follows, names)
    return found


def _actor_names(conn: Connection) -> dict[str, str]:
    return {row.id: row.name for row in conn.execute(select(t.actors.c.id, t.actors.c.name))}
