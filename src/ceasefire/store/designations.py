"""Designation lists, members' designations, and the versions of consolidated lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from ceasefire.domain.designations import Designation, DesignationList, Position
from ceasefire.store import tables as t
from ceasefire.store.upserts import Outcome, replace_children, upsert


def save_list(conn: Connection, designation_list: DesignationList) -> Outcome:
    outcome = upsert(
        conn,
        t.designation_lists,
        {
            "id": designation_list.id,
            "name": designation_list.name,
            "description": designation_list.description,
        },
    )
    members = [{"list_id": designation_list.id, "party_id": p} for p in designation_list.members]
    changed = replace_children(
        conn, t.designation_list_members, "list_id", designation_list.id, members
    )
    return Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome


def save_designation(conn: Connection, designation: Designation, submitted: datetime) -> Outcome:
    """A member's word on an actor; the time it was given changes only with the word."""
    d = t.designations.c
    key = (
        (d.list_id == designation.list_id)
        & (d.party_id == designation.party_id)
        & (d.actor_id == designation.actor_id)
    )
    held = conn.execute(select(d.position, d.note).where(key)).first()
    if held is not None and (held.position, held.note) == (
        designation.position.value,
        designation.note,
    ):
        return Outcome.UNCHANGED
    row = {
        "list_id": designation.list_id,
        "party_id": designation.party_id,
        "actor_id": designation.actor_id,
        "position": designation.position.value,
        "note": designation.note,
        "submitted": submitted,
    }
    if held is None:
        conn.execute(t.designations.insert().values(**row))
        return Outcome.CREATED
    conn.execute(t.designations.update().where(key).values(**row))
    return Outcome.UPDATED


def latest_version(conn: Connection, list_id: str) -> int:
    v = t.designation_versions.c
    found = conn.execute(select(func.max(v.version)).where(v.list_id == list_id)).scalar()
    return 0 if found is None else int(found)


def add_version(
    conn: Connection,
    list_id: str,
    party_id: str,
    submitted: datetime,
    moved: Sequence[Designation],
) -> int:
    """Record a submission that moved positions as the list's next version (its rows:
    each position that moved); the version."""
    version = latest_version(conn, list_id) + 1
    conn.execute(
        t.designation_versions.insert(),
        [
            {
                "list_id": list_id,
                "version": version,
                "party_id": party_id,
                "submitted": submitted,
                "actor_id": d.actor_id,
                "position": d.position.value,
            }
            for d in moved
        ],
    )
    return version


@dataclass(frozen=True, slots=True)
class Submission:
    """Who made a version, and when."""

    number: int
    party_id: str
    submitted: datetime


def versions(conn: Connection, list_id: str) -> list[Submission]:
    v = t.designation_versions.c
    query = (
        select(v.version, v.party_id, func.min(v.submitted))
        .where(v.list_id == list_id)
        .group_by(v.version, v.party_id)
        .order_by(v.version)
    )
    return [Submission(int(r[0]), r[1], r[2]) for r in conn.execute(query)]


def version_rows(conn: Connection, list_id: str) -> list[tuple[int, str, str, Position]]:
    """Every version's rows, (version, member, actor, position), in the versions' order.
    (A version written before notes stopped making versions may hold a position that did
    not move: ``domain.list_changes`` counts only those that did.)"""
    v = t.designation_versions.c
    query = (
        select(v.version, v.party_id, v.actor_id, v.position)
        .where(v.list_id == list_id)
        .order_by(v.version, v.party_id, v.actor_id)
    )
    return [(int(r[0]), r[1], r[2], Position(r[3])) for r in conn.execute(query)]


def held(conn: Connection, list_id: str, party_id: str) -> dict[str, Designation]:
    """A member's designations now, with their notes, by actor."""
    d = t.designations.c
    query = select(d.actor_id, d.position, d.note).where(
        (d.list_id == list_id) & (d.party_id == party_id)
    )
    return {
        r.actor_id: Designation(list_id, party_id, r.actor_id, Position(r.position), r.note)
        for r in conn.execute(query)
    }


def designations_at(conn: Connection, list_id: str, version: int) -> list[Designation]:
    """Each member's word on each actor as it stood at a version of the list."""
    v = t.designation_versions.c
    query = (
        select(v.party_id, v.actor_id, v.position)
        .where((v.list_id == list_id) & (v.version <= version))
        .order_by(v.version)
    )
    latest: dict[tuple[str, str], str] = {}
    for row in conn.execute(query):
        latest[(row.party_id, row.actor_id)] = row.position
    return [
        Designation(list_id, party, actor, Position(position))
        for (party, actor), position in sorted(latest.items())
    ]


def notes(conn: Connection, list_id: str) -> dict[tuple[str, str], str]:
    """Each member's note on each actor as its latest submission gave it, by (actor,
    member); the versions keep positions, not notes."""
    d = t.designations.c
    query = select(d.actor_id, d.party_id, d.note).where((d.list_id == list_id) & (d.note != ""))
    return {(row.actor_id, row.party_id): row.note for row in conn.execute(query)}
