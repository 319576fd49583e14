"""Access restrictions: a monitoring team denied access, recorded by its party."""

from __future__ import annotations

from datetime import UTC, datetime

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import EventLocation
from ceasefire.domain.filters import BBox
from ceasefire.domain.precision import LocationPrecision
from ceasefire.domain.visibility import Audience, Default, ScopeChoice
from ceasefire.domain.workflow import Role
from ceasefire.services.findings import require_role
from ceasefire.services.ledger import Ledger
from ceasefire.services.scopes import EVERYTHING, choose_scope
from ceasefire.store import restrictions as store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.records import RESTRICTION
from ceasefire.store.restrictions import Restriction
from ceasefire.store.users import User


def record_restriction(
    ledger: Ledger,
    user: User,
    *,
    patrol: str,
    time: datetime,
    lon: float,
    lat: float,
    denied_by: str,
    reason: str,
    place: str | None = None,
    duration_minutes: int | None = None,
    scope: ScopeChoice = Default.AGREEMENT,
) -> Restriction:
    """Record that a patrol was denied access; who denied it is resolved to an actor when
    the name is known (in any script or spelling). ``scope``: as a report's."""
    require_role(user, Role.REPORTER, "recording an access restriction")
    if duration_minutes is not None and duration_minutes < 0:
        raise InvalidInputError("duration_minutes", f"{duration_minutes} is negative")
    EventLocation(lon, lat, LocationPrecision.EXACT)  # checks the coordinates
    with ledger.write(user.party_id) as writer:
        conn = writer.conn
        chosen = choose_scope(conn, user.party_id, scope)
        actor_id = writer.rules().resolve(denied_by)
        new_id = store.add_restriction(
            conn,
            writer.new_ids(t.access_restrictions)[0],
            {
                "reported_by": user.party_id,
                "patrol": patrol,
                "time": time,
                "lon": lon,
                "lat": lat,
                "place": place,
                "denied_by": denied_by,
                "actor_id": actor_id,
                "reason": reason,
                "duration_minutes": duration_minutes,
                "created": datetime.now(UTC),
                "agreement_id": chosen,
            },
        )
        writer.changed("restriction.recorded", RESTRICTION, [(new_id,)], new=True)
        (found,) = store.query_restrictions(
            conn, EVERYTHING, bbox=None, start=None, end=None, limit=1, restriction_id=new_id
        )
        return found


def restrictions(
    db: Database,
    audience: Audience,
    *,
    bbox: BBox | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 1000,
) -> list[Restriction]:
    with db.read() as conn:
        return store.query_restrictions(
            conn, audience, bbox=bbox, start=start, end=end, limit=limit
        )
