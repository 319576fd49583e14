"""The registers' sections of the daily report: who joined or left the agreement's regimes
that day and how many were in by then, and humanitarian access (requests made or decided,
deliveries) at the agreement's locations. Records written after the report's checkpoint are
left out, as the rest of the report leaves them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import shapely
from shapely.geometry import Point
from sqlalchemy import Connection

from ceasefire.domain.accessions import Accession, counts_over_time
from ceasefire.domain.humanitarian import Delivery, Location, Request
from ceasefire.domain.regimes import Regime
from ceasefire.store import humanitarian as humanitarian_store
from ceasefire.store.accessions import list_accessions, subject_names


@dataclass(frozen=True)
class Joining:
    subject: str  # the actor's or the settlement's name
    regime: str  # the regime's name
    accession: Accession


@dataclass(frozen=True)
class InRegime:
    regime: str
    settlements: int
    actors: int


@dataclass(frozen=True)
class Access:
    location: Location
    requests: list[Request]  # made or decided that day
    deliveries: list[Delivery]  # delivered that day


def accessions_of(
    conn: Connection, regimes: Sequence[Regime], day: date, upto: int
) -> tuple[list[Joining], list[InRegime]]:
    """The accessions dated that day, and how many were in each regime by its end."""
    if not regimes:
        return [], []
    stored = [s for s in list_accessions(conn, regime_ids=[r.id for r in regimes]) if s.id <= upto]
    names = subject_names(conn, [s.accession for s in stored if s.accession.day == day])
    by_id = {r.id: r for r in regimes}
    joinings = [
        Joining(names[s.accession.subject], by_id[s.accession.regime_id].name, s.accession)
        for s in stored
        if s.accession.day == day
    ]
    counts = []
    for regime in regimes:
        items = [s.accession for s in stored if s.accession.regime_id == regime.id]
        ((_, settlements, actors),) = counts_over_time(items, day, day)
        if settlements or actors:
            counts.append(InRegime(regime.name, settlements, actors))
    return joinings, counts


def access_of(
    conn: Connection, agreement_id: str, regimes: Sequence[Regime], day: date, upto: int
) -> list[Access]:
    """The agreement's humanitarian locations (linked to it, or in its regimes' area) with
    what was asked, decided or delivered that day."""
    area = shapely.union_all([r.geometry for r in regimes]) if regimes else None
    locations = [
        loc
        for loc in humanitarian_store.load_locations(conn)
        if loc.agreement_id == agreement_id
        or (loc.agreement_id is None and area is not None and area.covers(Point(loc.lon, loc.lat)))
    ]
    if not locations:
        return []
    requests = [
        r
        for r in humanitarian_store.load_requests(conn, location_ids=[loc.id for loc in locations])
        if r.id <= upto
    ]
    deliveries = [
        d
        for d in humanitarian_store.load_deliveries(conn, [r.id for r in requests])
        if d.id <= upto and d.delivered == day
    ]
    location_of = {r.id: r.location_id for r in requests}
    found = []
    for loc in locations:
        asked = [r for r in requests if r.location_id == loc.id and day in (r.requested, r.decided)]
        given = [d for d in deliveries if location_of[d.request_id] == loc.id]
        if asked or given:
            found.append(Access(loc, asked, given))
    return found
