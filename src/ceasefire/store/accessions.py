"""Accessions to regimes as stored, and what classification's reasons need of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import Connection, Row, select

from ceasefire.domain.accessions import Accession, Accessions, Change, Settlement
from ceasefire.store import tables as t


@dataclass(frozen=True, slots=True)
class StoredAccession:
    id: int
    accession: Accession
    recorded_by: str
    created: datetime


def save_accession(
    conn: Connection, accession_id: int, accession: Accession, recorded_by: str, created: datetime
) -> None:
    conn.execute(
        t.accessions.insert().values(
            id=accession_id,
            regime_id=accession.regime_id,
            actor_id=accession.actor_id,
            place_id=accession.place_id,
            change=accession.change.value,
            day=accession.day,
            channel=accession.channel,
            evidence=accession.evidence,
            recorded_by=recorded_by,
            created=created,
        )
    )


def _accession(row: Row[Any]) -> Accession:
    return Accession(
        regime_id=row.regime_id,
        change=Change(row.change),
        day=row.day,
        channel=row.channel,
        evidence=row.evidence,
        actor_id=row.actor_id,
        place_id=row.place_id,
    )


def list_accessions(
    conn: Connection,
    *,
    regime_id: str | None = None,
    until: date | None = None,
    regime_ids: Sequence[str] | None = None,
) -> list[StoredAccession]:
    a = t.accessions.c
    query = select(t.accessions).order_by(a.day, a.id)
    if regime_id is not None:
        query = query.where(a.regime_id == regime_id)
    if regime_ids is not None:
        query = query.where(a.regime_id.in_(sorted(set(regime_ids))))
    if until is not None:
        query = query.where(a.day <= until)
    return [
        StoredAccession(row.id, _accession(row), row.recorded_by, row.created)
        for row in conn.execute(query)
    ]


def settlements(conn: Connection, place_ids: Sequence[str]) -> dict[str, Settlement]:
    p = t.places.c
    found = {}
    query = select(p.id, p.name, p.geojson).where(p.id.in_(sorted(set(place_ids))))
    for row in conn.execute(query):
        point = shapely.from_geojson(row.geojson).representative_point()
        found[row.id] = Settlement(row.id, row.name, point.x, point.y)
    return found


def subject_names(conn: Connection, accessions: Sequence[Accession]) -> dict[str, str]:
    """Each accession's subject (``Accession.subject``) by its name: the settlement's or
    the actor's (its id when the register has none)."""
    place_ids = sorted({a.place_id for a in accessions if a.place_id})
    actor_ids = sorted({a.actor_id for a in accessions if a.actor_id})
    p, c = t.places.c, t.actors.c
    places = {r.id: r.name for r in conn.execute(select(p.id, p.name).where(p.id.in_(place_ids)))}
    actors = {r.id: r.name for r in conn.execute(select(c.id, c.name).where(c.id.in_(actor_ids)))}
    return {
        a.subject: (places if a.place_id else actors).get(a.place_id or a.actor_id or "")
        or (a.place_id or a.actor_id or "")
        for a in accessions
    }


def load_accession_terms(conn: Connection, regime_ids: Sequence[str]) -> dict[str, Accessions]:
    """Each regime's accessions with its settlements' points and its actors' names."""
    stored = list_accessions(conn, regime_ids=regime_ids) if regime_ids else []
    if not stored:
        return {}
    by_regime: dict[str, list[Accession]] = defaultdict(list)
    for s in stored:
        by_regime[s.accession.regime_id].append(s.accession)
    places = settlements(conn, [s.accession.place_id for s in stored if s.accession.place_id])
    actor_ids = sorted({s.accession.actor_id for s in stored if s.accession.actor_id})
    names = {
        row.id: row.name
        for row in conn.execute(
            select(t.actors.c.id, t.actors.c.name).where(t.actors.c.id.in_(actor_ids))
        )
    }
    found = {}
    for regime_id, items in by_regime.items():
        place_ids = {a.place_id for a in items if a.place_id}
        actors = {a.actor_id for a in items if a.actor_id}
        found[regime_id] = Accessions(
            tuple(items),
            tuple(places[p] for p in sorted(place_ids) if p in places),
            tuple((a, names.get(a, a)) for a in sorted(actors)),
        )
    return found
