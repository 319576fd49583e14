"""The accession register: actors and settlements joining or leaving regimes, recorded by a
party, signed, and shown on the map and over time (``domain.accessions``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import shapely
from sqlalchemy import Connection, select

from ceasefire.domain.accessions import (
    Accession,
    AccessionRow,
    check_history,
    counts_over_time,
    distance_m,
    joined_on,
)
from ceasefire.domain.actors import normalize_name
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Place, Regime
from ceasefire.domain.times import zone
from ceasefire.services.ledger import Ledger
from ceasefire.services.rules import Rules
from ceasefire.services.writers import Writer
from ceasefire.store import accessions as store
from ceasefire.store import agreements as agreement_store
from ceasefire.store import tables as t
from ceasefire.store.actors import save_place
from ceasefire.store.database import Database
from ceasefire.store.records import ACCESSION, PLACE

MAX_ROWS = 10_000
MAX_ERRORS_SHOWN = 10
SAME_SETTLEMENT_M = 5_000.0  # a settlement named alike this close is the same one


@dataclass(frozen=True, slots=True)
class Recorded:
    accession_ids: list[int]
    settlements_added: list[str]

    def line(self) -> str:
        added = len(self.settlements_added)
        return f"recorded {len(self.accession_ids)} accessions; {added} settlements added"


class _Settlements:
    """Settlements of the gazetteer by name, and new ones made from coordinates."""

    def __init__(self, conn: Connection) -> None:
        p = t.places.c
        self.by_key: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
        self.ids: set[str] = set()
        query = select(p.id, p.name, p.level, p.geojson)
        for row in conn.execute(query):
            self.ids.add(row.id)
            if row.level != "settlement":
                continue
            point = shapely.from_geojson(row.geojson).representative_point()
            self.by_key[normalize_name(row.name)].append((row.id, point.x, point.y))
        self.added: list[Place] = []

    def find(self, row: AccessionRow) -> str | None:
        """The settlement a row names, or None when it names none known and gives no
        coordinates to add it."""
        name = (row.settlement or "").strip()
        if name in self.ids:
            return name
        held = self.by_key.get(normalize_name(name), [])
        if row.lon is None or row.lat is None:
            return held[0][0] if len(held) == 1 else None
        for place_id, lon, lat in held:
            if distance_m(row.lon, row.lat, lon, lat) <= SAME_SETTLEMENT_M:
                return place_id
        slug = "-".join(normalize_name(name).split())[:48] or "settlement"
        place_id, n = f"settlement-{slug}", 1
        while place_id in self.ids:
            n += 1
            place_id = f"settlement-{slug}-{n}"
        place = Place(place_id, name, "settlement", shapely.Point(row.lon, row.lat))
        self.ids.add(place_id)
        self.by_key[normalize_name(name)].append((place_id, row.lon, row.lat))
        self.added.append(place)
        return place_id


def _subjects(
    conn: Connection, rules: Rules, rows: Sequence[AccessionRow], settlements: _Settlements
) -> tuple[list[Accession], list[str]]:
    found: list[Accession] = []
    errors: list[str] = []
    for row in rows:
        actor_id = place_id = None
        if row.actor is not None:
            actor = row.actor.strip()
            actor_id = actor if rules.actors.get(actor) else rules.actors.resolve(actor)
            if actor_id is None:
                errors.append(f"row {row.number}, actor: {row.actor!r} names no known actor")
                continue
        else:
            place_id = settlements.find(row)
            if place_id is None:
                errors.append(
                    f"row {row.number}, settlement: {row.settlement!r} is no known settlement "
                    "(give lon and lat to add it)"
                )
                continue
        found.append(
            Accession(
                regime_id=row.regime_id,
                change=row.change,
                day=row.day,
                channel=row.channel.strip(),
                evidence=row.evidence.strip(),
                actor_id=actor_id,
                place_id=place_id,
            )
        )
    return found, errors


def _check(conn: Connection, new: Sequence[Accession], rows: Sequence[AccessionRow]) -> list[str]:
    """Each subject's history stays whole with the new accessions; regimes exist."""
    regimes: dict[str, Regime] = {}
    errors = []
    for regime_id in sorted({a.regime_id for a in new}):
        found = agreement_store.load_regimes(conn, regime_id=regime_id)
        if not found:
            naming = [str(r.number) for r in rows if r.regime_id == regime_id]
            which = "row" if len(naming) == 1 else "rows"
            errors.append(f"{which} {', '.join(naming)}, regime: {regime_id!r} does not exist")
        else:
            regimes[regime_id] = found[0]
    if errors:
        return errors
    held = [s.accession for s in store.list_accessions(conn, regime_ids=sorted(regimes))]
    history: dict[tuple[str, str], list[Accession]] = defaultdict(list)
    for accession in [*held, *new]:
        history[(accession.regime_id, accession.subject)].append(accession)
    # the rows each subject's new accessions came from (one row each, in order)
    numbers: dict[tuple[str, str], list[str]] = defaultdict(list)
    for accession, row in zip(new, rows, strict=True):
        numbers[(accession.regime_id, accession.subject)].append(str(row.number))
    for key, accessions in sorted(history.items()):
        regime = regimes[key[0]]
        start = regime.start.astimezone(zone(regime.time_zone)).date()
        try:
            check_history(accessions, start)
        except InvalidInputError as error:
            which = "row" if len(numbers[key]) == 1 else "rows"
            errors.append(f"{which} {', '.join(numbers[key])}, {error.field}: {error.reason}")
    return errors


def record_accessions(
    ledger: Ledger, rows: Sequence[AccessionRow], *, author: str | None = None
) -> Recorded:
    """Record accessions, signed by ``author`` (the party recording them): all of them, or
    none when any row names an unknown actor, settlement or regime or breaks a subject's
    history (a leave before its join, two joins in a row, a date before the regime)."""
    if len(rows) > MAX_ROWS:
        raise InvalidInputError("rows", f"{len(rows)} accessions; at most {MAX_ROWS} at once")
    if not rows:
        raise InvalidInputError("rows", "no accession given")
    now = datetime.now(UTC)
    with ledger.write(author) as writer:
        conn = writer.conn
        settlements = _Settlements(conn)
        accessions, errors = _subjects(conn, Rules.load(conn), rows, settlements)
        if not errors:
            errors = _check(conn, accessions, rows)
        if errors:
            more = len(errors) - MAX_ERRORS_SHOWN
            shown = "; ".join(errors[:MAX_ERRORS_SHOWN]) + (
                f"; and {more} more" if more > 0 else ""
            )
            # each error names its row and field: the error as a whole is the rows'
            raise InvalidInputError("rows", f"{shown}. Nothing was recorded")
        ids = _save(writer, settlements.added, accessions, now)
    return Recorded(ids, [p.id for p in settlements.added])


def _save(
    writer: Writer, places: Sequence[Place], accessions: Sequence[Accession], now: datetime
) -> list[int]:
    conn = writer.conn
    for place in places:
        save_place(conn, place)
        writer.changed("place.created", PLACE, [(place.id,)], new=True)
    ids = writer.new_ids(t.accessions, len(accessions))
    for accession_id, accession in zip(ids, accessions, strict=True):
        store.save_accession(conn, accession_id, accession, writer.author, now)
        writer.changed("accession.recorded", ACCESSION, [(accession_id,)], new=True)
    return ids


def list_accessions(
    db: Database, regime_id: str | None = None, until: date | None = None
) -> list[store.StoredAccession]:
    with db.read() as conn:
        return store.list_accessions(conn, regime_id=regime_id, until=until)


def named_accessions(
    db: Database, regime_id: str | None = None
) -> tuple[list[store.StoredAccession], dict[str, str]]:
    """The accessions (of one regime, or all), oldest first, and each subject's name."""
    with db.read() as conn:
        stored = store.list_accessions(conn, regime_id=regime_id)
        return stored, store.subject_names(conn, [s.accession for s in stored])


def counts(
    db: Database, regime_id: str, start: date, end: date, step_days: int = 7
) -> list[tuple[date, int, int]]:
    """Settlements and actors in the regime every ``step_days`` from start to end."""
    if end < start:
        raise InvalidInputError("end", f"{end} is before the start, {start}")
    if (end - start).days // max(step_days, 1) > 5_000:
        raise InvalidInputError("step", "more than 5,000 points: take a longer step")
    with db.read() as conn:
        agreement_store.get_regime(conn, regime_id)
        items = [s.accession for s in store.list_accessions(conn, regime_id=regime_id)]
    return counts_over_time(items, start, end, step_days)


def geojson(db: Database, regime_id: str | None, day: date | None) -> dict[str, Any]:
    """The settlements that joined regimes (as of ``day``, default: today), as points:
    their state on that day, when they joined, and through which channel."""
    with db.read() as conn:
        stored = store.list_accessions(conn, regime_id=regime_id)
        places = store.settlements(
            conn, [s.accession.place_id for s in stored if s.accession.place_id]
        )
    on = day or datetime.now(UTC).date()
    by_regime: dict[str, list[Accession]] = defaultdict(list)
    for s in stored:
        by_regime[s.accession.regime_id].append(s.accession)
    features = []
    for regime, items in sorted(by_regime.items()):
        inside = joined_on(items, on)
        first: dict[str, Accession] = {}
        last: dict[str, Accession] = {}
        for a in sorted(items, key=lambda a: a.day):
            if a.place_id is None or a.day > on:
                continue
            first.setdefault(a.place_id, a)
            last[a.place_id] = a
        for place_id, accession in sorted(last.items()):
            place = places.get(place_id)
            if place is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "id": f"{regime}/{place_id}",
                    "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                    "properties": {
                        "regime_id": regime,
                        "place_id": place_id,
                        "name": place.name,
                        "in": f"settlement {place_id}" in inside,
                        "joined": first[place_id].day.isoformat(),
                        "last_change": accession.change.value,
                        "last_change_on": accession.day.isoformat(),
                        "channel": accession.channel,
                        "evidence": accession.evidence,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
