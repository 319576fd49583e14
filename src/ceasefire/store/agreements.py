"""Parties, agreements, regimes and their extensions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import shapely
from sqlalchemy import Connection, bindparam, func, select

from ceasefire.domain.accessions import Accessions
from ceasefire.domain.control import ControlMap
from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.regimes import Agreement, Extension, Party, Regime, RegimeTerms
from ceasefire.domain.taxonomy import HOSTILITIES
from ceasefire.store import tables as t
from ceasefire.store.accessions import load_accession_terms
from ceasefire.store.control import load_control_map
from ceasefire.store.exclusions import exclusion_terms, load_exclusions
from ceasefire.store.upserts import Outcome, replace_children, upsert


def save_party(conn: Connection, party: Party) -> Outcome:
    return upsert(conn, t.parties, {"id": party.id, "name": party.name, "kind": party.kind})


def save_agreement(conn: Connection, agreement: Agreement) -> Outcome:
    outcome = upsert(
        conn,
        t.agreements,
        {
            "id": agreement.id,
            "name": agreement.name,
            "time_zone": agreement.time_zone,
            "signed": agreement.signed,
            "description": agreement.description,
            "source": agreement.source,
        },
    )
    roles = [
        {"agreement_id": agreement.id, "party_id": p, "role": "co_chair"}
        for p in agreement.co_chairs
    ]
    roles += [
        {"agreement_id": agreement.id, "party_id": p, "role": "member"} for p in agreement.members
    ]
    changed = replace_children(conn, t.agreement_parties, "agreement_id", agreement.id, roles)
    prohibited = [{"agreement_id": agreement.id, "event_type": e} for e in agreement.hostilities]
    changed |= replace_children(
        conn, t.agreement_hostilities, "agreement_id", agreement.id, prohibited
    )
    return Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome


def load_hostilities(conn: Connection) -> dict[str, tuple[str, ...]]:
    """The event types each agreement prohibits, by agreement id."""
    found: dict[str, list[str]] = defaultdict(list)
    h = t.agreement_hostilities
    for row in conn.execute(select(h).order_by(h.c.agreement_id, h.c.event_type)):
        found[row.agreement_id].append(row.event_type)
    return {k: tuple(v) for k, v in found.items()}


def save_regime(conn: Connection, regime: Regime) -> Outcome:
    """Write a regime with its exclusions and extension history."""
    outcome = upsert(
        conn,
        t.regimes,
        {
            "id": regime.id,
            "agreement_id": regime.agreement_id,
            "name": regime.name,
            "geojson": shapely.to_geojson(regime.geometry),
            "start": regime.start,
            "end": regime.end,
            "area_name": regime.area_name,
            "description": regime.description,
            "exclusion_list": regime.exclusion_list,
            "exclusion_rule": regime.exclusion_rule,
        },
    )
    follows = [{"regime_id": regime.id, "relation": r} for r in sorted(regime.exclusion_follows)]
    exclusions = [
        {"regime_id": regime.id, "actor_id": a} for a in sorted(regime.excluded_actor_ids)
    ]
    extensions = [
        {
            "regime_id": regime.id,
            "seq": i,
            "new_end": e.new_end,
            "decided": e.decided,
            "note": e.note,
        }
        for i, e in enumerate(regime.extensions, start=1)
    ]
    changed = replace_children(conn, t.regime_exclusions, "regime_id", regime.id, exclusions)
    changed |= replace_children(conn, t.regime_extensions, "regime_id", regime.id, extensions)
    changed |= replace_children(conn, t.regime_follows, "regime_id", regime.id, follows)
    return Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome


def add_extension(conn: Connection, regime_id: str, extension: Extension) -> int:
    """Append an extension to a regime's history; returns its sequence number."""
    last = conn.execute(
        select(func.max(t.regime_extensions.c.seq)).where(
            t.regime_extensions.c.regime_id == regime_id
        )
    ).scalar()
    seq = int(last or 0) + 1
    conn.execute(
        t.regime_extensions.insert().values(
            regime_id=regime_id,
            seq=seq,
            new_end=extension.new_end,
            decided=extension.decided,
            note=extension.note,
        )
    )
    return seq


def load_agreements(conn: Connection, agreement_id: str | None = None) -> list[Agreement]:
    query = select(t.agreements).order_by(t.agreements.c.id)
    if agreement_id is not None:
        query = query.where(t.agreements.c.id == agreement_id)
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"co_chair": [], "member": []})
    for row in conn.execute(select(t.agreement_parties).order_by(t.agreement_parties.c.party_id)):
        roles[row.agreement_id][row.role].append(row.party_id)
    hostilities = load_hostilities(conn)
    return [
        Agreement(
            id=row.id,
            name=row.name,
            time_zone=row.time_zone,
            signed=row.signed,
            co_chairs=tuple(roles[row.id]["co_chair"]),
            members=tuple(roles[row.id]["member"]),
            description=row.description,
            source=row.source,
            hostilities=hostilities.get(row.id, HOSTILITIES),
        )
        for row in conn.execute(query)
    ]


def load_parties(conn: Connection) -> list[Party]:
    rows = conn.execute(select(t.parties).order_by(t.parties.c.id))
    return [Party(id=r.id, name=r.name, kind=r.kind) for r in rows]


def load_regimes(
    conn: Connection, *, agreement_id: str | None = None, regime_id: str | None = None
) -> list[Regime]:
    """Regimes with their agreement's time zone, exclusions and extensions."""
    query = (
        select(t.regimes, t.agreements.c.time_zone)
        .join(t.agreements, t.agreements.c.id == t.regimes.c.agreement_id)
        .order_by(t.regimes.c.agreement_id, t.regimes.c.start, t.regimes.c.id)
    )
    if agreement_id is not None:
        query = query.where(t.regimes.c.agreement_id == agreement_id)
    if regime_id is not None:
        query = query.where(t.regimes.c.id == regime_id)
    rows = conn.execute(query).all()
    ids = [r.id for r in rows]
    excluded: dict[str, set[str]] = defaultdict(set)
    for row in conn.execute(
        select(t.regime_exclusions).where(t.regime_exclusions.c.regime_id.in_(ids))
    ):
        excluded[row.regime_id].add(row.actor_id)
    extensions: dict[str, list[Extension]] = defaultdict(list)
    ext = t.regime_extensions
    for row in conn.execute(
        select(ext).where(ext.c.regime_id.in_(ids)).order_by(ext.c.regime_id, ext.c.seq)
    ):
        extensions[row.regime_id].append(
            Extension(new_end=row.new_end, decided=row.decided, note=row.note)
        )
    terms = {x.regime_id: x for x in exclusion_terms(conn, ids)}
    exclusions = load_exclusions(conn, ids)
    joined = load_accession_terms(conn, ids)
    control = load_control_map(conn) if ids else ControlMap()
    hostilities = load_hostilities(conn)
    return [
        Regime(
            id=r.id,
            agreement_id=r.agreement_id,
            name=r.name,
            geometry=shapely.from_geojson(r.geojson),
            start=r.start,
            end=r.end,
            time_zone=r.time_zone,
            excluded_actor_ids=frozenset(excluded[r.id]),
            extensions=tuple(extensions[r.id]),
            area_name=r.area_name,
            description=r.description,
            exclusion_list=r.exclusion_list,
            exclusion_rule=r.exclusion_rule,
            exclusion_follows=terms[r.id].follows,
            exclusion=exclusions[r.id],
            accessions=joined.get(r.id, Accessions()),
            control=control,
            hostilities=frozenset(hostilities.get(r.agreement_id, HOSTILITIES)),
        )
        for r in rows
    ]


def get_regime(conn: Connection, regime_id: str) -> Regime:
    found = load_regimes(conn, regime_id=regime_id)
    if not found:
        raise NotFoundError(f"regime {regime_id!r} does not exist")
    return found[0]


def load_regime_terms(conn: Connection, regime_ids: Iterable[str]) -> dict[str, RegimeTerms]:
    """Name, window in force and exclusions of these regimes, without their geometry."""
    ids = sorted(set(regime_ids))
    if not ids:
        return {}
    r, a = t.regimes.c, t.agreements.c
    query = (
        select(r.id, r.name, r.start, r.end, r.agreement_id, a.time_zone)
        .join(t.agreements, a.id == r.agreement_id)
        .where(r.id.in_(ids))
    )
    rows = conn.execute(query).all()
    ends: dict[str, datetime | None] = {}
    ext = t.regime_extensions
    for row in conn.execute(select(ext).where(ext.c.regime_id.in_(ids)).order_by(ext.c.seq)):
        ends[row.regime_id] = row.new_end  # the last extension wins
    excluded: dict[str, set[str]] = defaultdict(set)
    ex = t.regime_exclusions
    for row in conn.execute(select(ex).where(ex.c.regime_id.in_(ids))):
        excluded[row.regime_id].add(row.actor_id)
    exclusions = load_exclusions(conn, ids)
    joined = load_accession_terms(conn, ids)
    follows = {x.regime_id: x.follows for x in exclusion_terms(conn, ids)}
    control = load_control_map(conn)
    hostilities = load_hostilities(conn)
    return {
        row.id: RegimeTerms(
            id=row.id,
            name=row.name,
            start=row.start,
            effective_end=ends.get(row.id, row.end),
            time_zone=row.time_zone,
            excluded_actor_ids=frozenset(excluded[row.id]),
            exclusion=exclusions[row.id],
            exclusion_follows=follows.get(row.id, ()),
            accessions=joined.get(row.id, Accessions()),
            control=control,
            hostilities=frozenset(hostilities.get(row.agreement_id, HOSTILITIES)),
        )
        for row in rows
    }


def party_exists(conn: Connection, party_id: str) -> bool:
    return conn.execute(_PARTY, {"party_id": party_id}).first() is not None


_PARTY = select(t.parties.c.id).where(t.parties.c.id == bindparam("party_id"))  # every write


def agreement_exists(conn: Connection, agreement_id: str) -> bool:
    query = select(t.agreements.c.id).where(t.agreements.c.id == agreement_id)
    return conn.execute(query).first() is not None


def regime_exists(conn: Connection, regime_id: str) -> bool:
    return (
        conn.execute(select(t.regimes.c.id).where(t.regimes.c.id == regime_id)).first() is not None
    )
