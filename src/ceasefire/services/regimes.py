"""Adding regimes and extending them; incidents in the area are classified again."""

from __future__ import annotations

from ceasefire.domain.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from ceasefire.domain.filters import BBox
from ceasefire.domain.regimes import Extension, Regime
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import reclassify_area
from ceasefire.services.rules import Rules
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store.exclusions import load_lists
from ceasefire.store.records import REGIME


def _area(regime: Regime) -> BBox:
    min_lon, min_lat, max_lon, max_lat = regime.geometry.bounds
    return BBox(min_lon, min_lat, max_lon, max_lat)


def add_regime(ledger: Ledger, regime: Regime, *, author: str | None = None) -> Regime:
    with ledger.write(author) as writer:
        conn = writer.conn
        if not agreement_store.load_agreements(conn, regime.agreement_id):
            raise NotFoundError(f"agreement {regime.agreement_id!r} does not exist")
        if agreement_store.load_regimes(conn, regime_id=regime.id):
            raise ConflictError(f"regime {regime.id!r} exists already")
        known = {a.id for a in actor_store.load_actors(conn)}
        unknown = sorted(regime.excluded_actor_ids - known)
        if unknown:
            raise InvalidInputError("excluded_actors", f"{unknown[0]!r}: no such actor")
        if regime.exclusion_list is not None and not load_lists(conn, [regime.exclusion_list]):
            raise InvalidInputError(
                "exclusion_list", f"{regime.exclusion_list!r}: no such designation list"
            )
        agreement_store.save_regime(conn, regime)
        writer.changed("regime.created", REGIME, [(regime.id,)], new=True)
        reclassify_area(conn, Rules.load(conn), _area(regime), writer.start)
        return agreement_store.get_regime(conn, regime.id)


def extend_regime(
    ledger: Ledger, regime_id: str, extension: Extension, *, author: str | None = None
) -> Regime:
    """Move a regime's end (or make it indefinite), keeping the history: decided by the
    co-chairs of its agreement (``author``, one of them), or loaded by the host."""
    with ledger.write(author) as writer:
        conn = writer.conn
        regime = agreement_store.get_regime(conn, regime_id)
        (agreement,) = agreement_store.load_agreements(conn, regime.agreement_id)
        if writer.author != ledger.host_party and writer.author not in agreement.co_chairs:
            raise PermissionDeniedError(
                f"only the co-chairs of {agreement.id} ({', '.join(agreement.co_chairs)}) "
                f"extend its regimes; {writer.author} is not one"
            )
        regime.extended(extension)  # checks the new end against the start
        agreement_store.add_extension(conn, regime_id, extension)
        writer.changed("regime.extended", REGIME, [(regime_id,)])
        reclassify_area(conn, Rules.load(conn), _area(regime), writer.start)
        return agreement_store.get_regime(conn, regime_id)
