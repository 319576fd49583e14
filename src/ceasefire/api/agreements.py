"""/api/v1/agreements and /api/v1/regimes."""

from __future__ import annotations

import json
from typing import Any

import shapely
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller
from ceasefire.api.convert import (
    agreement_out,
    localize,
    reclassified_out,
    regime_out,
    with_ledger_index,
)
from ceasefire.api.deps import Db, Log
from ceasefire.domain.errors import InvalidInputError, field_named
from ceasefire.domain.regimes import Extension, Regime
from ceasefire.services import queries
from ceasefire.services.regimes import RegimeChange, add_regime, end_regime, extend_regime

router = APIRouter(tags=["agreements and regimes"])


@router.get("/agreements", response_model=list[s.AgreementOut])
def list_agreements(db: Db) -> list[s.AgreementOut]:
    regimes = queries.list_regimes(db)
    found = [agreement_out(a, regimes) for a in queries.list_agreements(db)]
    return with_ledger_index(db, "agreement", found)


@router.get("/agreements/{agreement_id}", response_model=s.AgreementOut)
def get_agreement(agreement_id: str, db: Db) -> s.AgreementOut:
    agreement = queries.get_agreement(db, agreement_id)
    found = agreement_out(agreement, queries.list_regimes(db, agreement_id))
    return with_ledger_index(db, "agreement", [found])[0]


@router.get(
    "/regimes",
    response_model=list[s.RegimeOut],
    responses={200: {"content": {"application/geo+json": {}}}},
)
def list_regimes(
    db: Db,
    agreement: str | None = Query(default=None, description="Only this agreement's regimes."),
    f: str | None = Query(default=None, pattern="^(json|geojson)$"),
) -> Any:
    regimes = with_ledger_index(
        db, "regime", [regime_out(r) for r in queries.list_regimes(db, agreement)]
    )
    if f == "geojson":
        features = [
            {
                "type": "Feature",
                "id": r.id,
                "geometry": r.geometry,
                "properties": r.model_dump(mode="json", exclude={"geometry"}),
            }
            for r in regimes
        ]
        body = {"type": "FeatureCollection", "features": features}
        return JSONResponse(body, media_type="application/geo+json")
    return regimes


@router.get("/regimes/{regime_id}", response_model=s.RegimeOut)
def get_regime(regime_id: str, db: Db) -> s.RegimeOut:
    return with_ledger_index(db, "regime", [regime_out(queries.get_regime(db, regime_id))])[0]


def _changed_out(db: Db, change: RegimeChange) -> s.RegimeChangedOut:
    (regime,) = with_ledger_index(db, "regime", [regime_out(change.regime)])
    return s.RegimeChangedOut(
        **regime.model_dump(), reclassified=reclassified_out(change.reclassified)
    )


@router.post("/regimes", response_model=s.RegimeChangedOut, status_code=201)
def create_regime(body: s.RegimeIn, db: Db, ledger: Log, user: Caller) -> s.RegimeChangedOut:
    """Add a regime (signed by the caller's party); the incidents in its area are
    classified again, and those that changed are in the answer."""
    agreement = queries.get_agreement(db, body.agreement_id)
    try:
        geometry = shapely.from_geojson(json.dumps(body.geometry))
    except shapely.errors.GEOSException as error:
        raise InvalidInputError("geometry", f"is not GeoJSON ({error})") from None
    tz = agreement.time_zone
    start = localize(body.start, tz, "start")
    assert start is not None
    regime = Regime(
        id=body.id,
        agreement_id=agreement.id,
        name=body.name,
        geometry=geometry,
        start=start,
        end=localize(body.end, tz, "end"),
        time_zone=tz,
        excluded_actor_ids=frozenset(body.excluded_actors),
        exclusion_list=body.exclusion_list,
        exclusion_rule=body.exclusion_rule,
        exclusion_follows=tuple(sorted(set(body.exclusion_follows))),
        description=body.description,
    )
    return _changed_out(db, add_regime(ledger, regime, author=user.party_id))


@router.post("/regimes/{regime_id}/extensions", response_model=s.RegimeChangedOut, status_code=201)
def create_extension(
    regime_id: str, body: s.ExtensionIn, db: Db, ledger: Log, user: Caller
) -> s.RegimeChangedOut:
    """Move a regime's end (an officer of one of its agreement's co-chairs); the incidents
    in its area are classified again, and those that changed are in the answer."""
    regime = queries.get_regime(db, regime_id)
    extension = Extension(
        new_end=localize(body.new_end, regime.time_zone, "new_end"),
        decided=localize(body.decided, regime.time_zone, "decided"),
        note=body.note,
    )
    return _changed_out(db, extend_regime(ledger, regime_id, extension, author=user.party_id))


@router.post("/regimes/{regime_id}/endings", response_model=s.RegimeChangedOut, status_code=201)
def create_ending(
    regime_id: str, body: s.EndingIn, db: Db, ledger: Log, user: Caller
) -> s.RegimeChangedOut:
    """End a regime early, as when a truce is declared over (an officer of one of its
    agreement's co-chairs); the incidents in its area are classified again, and those that
    changed are in the answer."""
    regime = queries.get_regime(db, regime_id)
    ending = Extension(
        new_end=localize(body.end, regime.time_zone, "end"),
        decided=localize(body.decided, regime.time_zone, "decided"),
        note=body.note,
    )
    with field_named("new_end", "end"):
        done = end_regime(ledger, regime_id, ending, author=user.party_id)
    return _changed_out(db, done)
