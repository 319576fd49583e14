"""Humanitarian access: locations and their status, requests for access, decisions and
deliveries, each a signed record (``domain.humanitarian``); and what is read from them —
a location's file, the summary per location, and the map layer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Connection, select

from ceasefire.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ceasefire.domain.humanitarian import (
    Decision,
    Delivery,
    Location,
    LocationSummary,
    Request,
    StatusChange,
    check_delivery,
    decide,
    summarise,
)
from ceasefire.services.ledger import Ledger
from ceasefire.services.writers import Writer
from ceasefire.store import humanitarian as store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.records import (
    HUMANITARIAN_DELIVERY,
    HUMANITARIAN_LOCATION,
    HUMANITARIAN_REQUEST,
)

MAX_ID = 2**53  # no record id is larger (api.deps.MAX_ID)


@dataclass(frozen=True, slots=True)
class LocationFile:
    """A location with its requests and their deliveries."""

    location: Location
    requests: list[Request]
    deliveries: list[Delivery]


def _signer(writer: Writer) -> str:
    """The writing party, known (the host is made on its first write)."""
    writer.keys.party_key(writer)
    return writer.author


def _exists(conn: Connection, table: t.Table, value: str | None, field: str) -> None:
    if value is None:
        return
    if conn.execute(select(table.c.id).where(table.c.id == value)).first() is None:
        raise InvalidInputError(field, f"{value!r}: no such {table.name[:-1]}")


def location_in(conn: Connection, location_id: str, field: str = "location_id") -> Location:
    found = store.load_locations(conn, [location_id])
    if not found:
        raise InvalidInputError(field, f"{location_id!r}: no such humanitarian location")
    return found[0]


def request_in(conn: Connection, request_id: int) -> Request:
    if not 1 <= request_id <= MAX_ID:
        raise InvalidInputError("request_id", f"{request_id}: no such humanitarian request")
    found = store.load_requests(conn, request_ids=[request_id])
    if not found:
        raise InvalidInputError("request_id", f"{request_id}: no such humanitarian request")
    return found[0]


def add_location(ledger: Ledger, location: Location, *, author: str | None = None) -> Location:
    """A new location (with any statuses it starts with), signed by ``author``."""
    with ledger.write(author) as writer:
        conn = writer.conn
        _signer(writer)
        if store.load_locations(conn, [location.id]):
            raise ConflictError(f"humanitarian location {location.id!r} exists")
        _exists(conn, t.places, location.place_id, "place_id")
        _exists(conn, t.agreements, location.agreement_id, "agreement_id")
        store.add_location(conn, location)
        writer.changed(
            "humanitarian_location.created", HUMANITARIAN_LOCATION, [(location.id,)], new=True
        )
    return location


def record_status(
    ledger: Ledger, location_id: str, change: StatusChange, *, author: str | None = None
) -> Location:
    """A location's status from a day on."""
    with ledger.write(author) as writer:
        _signer(writer)
        changed = location_in(writer.conn, location_id).with_status(change)
        store.set_statuses(writer.conn, changed)
        writer.changed("humanitarian_location.status", HUMANITARIAN_LOCATION, [(location_id,)])
    return changed


def record_request(ledger: Ledger, request: Request, *, author: str | None = None) -> Request:
    """A request for access to a known location; its id is given by the ledger (the one
    in ``request`` is ignored). A request may come decided (an import's)."""
    with ledger.write(author) as writer:
        conn = writer.conn
        recorded_by = _signer(writer)
        location_in(conn, request.location_id)
        made = replace(request, id=writer.new_ids(t.humanitarian_requests)[0])
        store.save_request(conn, made, recorded_by, new=True)
        writer.changed(
            "humanitarian_request.requested", HUMANITARIAN_REQUEST, [(made.id,)], new=True
        )
    return made


def record_decision(
    ledger: Ledger,
    request_id: int,
    decision: Decision,
    *,
    decided: date,
    decided_by: str,
    reason: str = "",
    approved_people: int | None = None,
    approved_trucks: int | None = None,
    author: str | None = None,
) -> Request:
    """The decision on a request (a later decision replaces it; the ledger keeps both)."""
    with ledger.write(author) as writer:
        conn = writer.conn
        recorded_by = _signer(writer)
        decided_request = decide(
            request_in(conn, request_id),
            decision,
            decided=decided,
            decided_by=decided_by,
            reason=reason,
            approved_people=approved_people,
            approved_trucks=approved_trucks,
        )
        store.save_request(conn, decided_request, recorded_by, new=False)
        writer.changed("humanitarian_request.decided", HUMANITARIAN_REQUEST, [(request_id,)])
    return decided_request


def record_delivery(ledger: Ledger, delivery: Delivery, *, author: str | None = None) -> Delivery:
    """A convoy or evacuation under an approved request; its id is given by the ledger."""
    with ledger.write(author) as writer:
        conn = writer.conn
        recorded_by = _signer(writer)
        check_delivery(request_in(conn, delivery.request_id), delivery)
        made = replace(delivery, id=writer.new_ids(t.humanitarian_deliveries)[0])
        store.add_delivery(conn, made, recorded_by)
        writer.changed(
            "humanitarian_delivery.recorded", HUMANITARIAN_DELIVERY, [(made.id,)], new=True
        )
    return made


def locations(db: Database) -> list[Location]:
    with db.read() as conn:
        return store.load_locations(conn)


def location_file(db: Database, location_id: str) -> LocationFile:
    with db.read() as conn:
        found = store.load_locations(conn, [location_id])
        if not found:
            raise NotFoundError(f"no humanitarian location {location_id!r}")
        requests = store.load_requests(conn, location_ids=[location_id])
        deliveries = store.load_deliveries(conn, [r.id for r in requests])
    return LocationFile(found[0], requests, deliveries)


def pending_requests(db: Database) -> list[Request]:
    """The requests still awaiting a decision, the oldest first."""
    with db.read() as conn:
        return [r for r in store.load_requests(conn) if r.decision is Decision.PENDING]


def summary(
    db: Database, *, start: date | None = None, end: date | None = None
) -> list[LocationSummary]:
    """Each location over ``start``..``end``: see ``domain.humanitarian.summarise``."""
    with db.read() as conn:
        found = store.load_locations(conn)
        requests = store.load_requests(conn)
        deliveries = store.load_deliveries(conn)
    return summarise(found, requests, deliveries, start=start, end=end)
