"""The PeaceRep humanitarian-corridor file as requests for access (``ingest.corridors``):
one signed write, all of it or none; rows already imported are left as they are.

How the file's words become records (docs/humanitarian.md, "What is approximate"):

- each corridor's origin is a **location**, one per point the file geocodes (spellings at
  the same point are one location, named as first met), with no status: the file says
  nothing of sieges;
- each row is a **request** of kind ``corridor`` from the origin to the destination,
  requested on the row's day by whoever proposed it (``Ukraine``, ``Russia``, or ``Ukraine
  and Russia`` for a corridor announced as agreed), with the outcome kept as written;
- ``successful`` rows are **approved** on that day and have one **delivery** (an
  evacuation) whose number of people is not known; every other outcome (``proposed
  route/outcome unknown``, ``disputed``, ``unsuccessful/disrupted``) stays **pending**: the
  file does not say that the other side agreed or refused, so nothing is denied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ceasefire.domain.humanitarian import (
    Decision,
    Delivery,
    Location,
    Request,
    RequestKind,
)
from ceasefire.ingest.corridors import Corridor
from ceasefire.services.ledger import Ledger
from ceasefire.services.writers import Writer
from ceasefire.store import humanitarian as store
from ceasefire.store import tables as t
from ceasefire.store.records import (
    HUMANITARIAN_DELIVERY,
    HUMANITARIAN_LOCATION,
    HUMANITARIAN_REQUEST,
)

SOURCE = "peacerep-hc"
PROPOSERS = {"agreed": "Ukraine and Russia"}
DECIDED_BY = "not named by the source"


@dataclass(frozen=True, slots=True)
class Imported:
    locations: int
    requests: int
    deliveries: int
    skipped: int  # rows imported before

    def line(self) -> str:
        return (
            f"{self.requests} corridor requests ({self.deliveries} delivered), "
            f"{self.locations} new locations; {self.skipped} rows imported before"
        )


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:56] or "location"


def _point(lon: float, lat: float) -> tuple[float, float]:
    return round(lon, 5), round(lat, 5)


def _locations(
    writer: Writer, corridors: Sequence[Corridor]
) -> tuple[dict[tuple[float, float], str], int]:
    """The location of each origin point: one there already, or a new one."""
    existing = store.load_locations(writer.conn)
    at = {_point(x.lon, x.lat): x.id for x in existing}
    taken = {x.id for x in existing}
    made = 0
    for corridor in corridors:
        end = corridor.origin
        if _point(end.lon, end.lat) in at:
            continue
        base = slug(end.name)
        new_id, n = base, 1
        while new_id in taken:
            n += 1
            new_id = f"{base}-{n}"
        store.add_location(writer.conn, Location(new_id, end.name, end.lon, end.lat))
        writer.changed(
            "humanitarian_location.created", HUMANITARIAN_LOCATION, [(new_id,)], new=True
        )
        at[_point(end.lon, end.lat)] = new_id
        taken.add(new_id)
        made += 1
    return at, made


def _outcome(corridor: Corridor) -> str:
    detail = corridor.outcome_detail
    return corridor.outcome if detail in ("", corridor.outcome) else f"{corridor.outcome}: {detail}"


def import_corridors(
    ledger: Ledger, corridors: Sequence[Corridor], *, author: str | None = None
) -> Imported:
    with ledger.write(author) as writer:
        conn = writer.conn
        writer.keys.party_key(writer)
        done = store.imported_ids(conn, SOURCE)
        fresh = [c for c in corridors if c.source_id not in done]
        at, made = _locations(writer, fresh)
        request_ids = writer.new_ids(t.humanitarian_requests, len(fresh))
        delivered = [c for c in fresh if c.outcome.casefold() == "successful"]
        delivery_ids = iter(writer.new_ids(t.humanitarian_deliveries, len(delivered)))
        for corridor, request_id in zip(fresh, request_ids, strict=True):
            success = corridor.outcome.casefold() == "successful"
            request = Request(
                id=request_id,
                location_id=at[_point(corridor.origin.lon, corridor.origin.lat)],
                kind=RequestKind.CORRIDOR,
                requested_by=PROPOSERS.get(corridor.proposal.casefold(), corridor.proposal)
                or "not named by the source",
                requested=corridor.day,
                destination=corridor.destination.name,
                destination_lon=corridor.destination.lon,
                destination_lat=corridor.destination.lat,
                decision=Decision.APPROVED if success else Decision.PENDING,
                decided=corridor.day if success else None,
                decided_by=DECIDED_BY if success else None,
                source=SOURCE,
                source_id=corridor.source_id,
                source_status=_outcome(corridor),
                note=corridor.link,
            )
            store.save_request(conn, request, writer.author, new=True)
            writer.changed(
                "humanitarian_request.requested", HUMANITARIAN_REQUEST, [(request_id,)], new=True
            )
            if success:
                delivery = Delivery(
                    id=next(delivery_ids),
                    request_id=request_id,
                    delivered=corridor.day,
                    items="evacuation",
                    note=f"{SOURCE} {corridor.source_id}: {_outcome(corridor)}",
                )
                store.add_delivery(conn, delivery, writer.author)
                writer.changed(
                    "humanitarian_delivery.recorded",
                    HUMANITARIAN_DELIVERY,
                    [(delivery.id,)],
                    new=True,
                )
    return Imported(made, len(fresh), len(delivered), len(corridors) - len(fresh))
