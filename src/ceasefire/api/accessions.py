"""/api/v1/accessions: actors and settlements joining or leaving regimes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from ceasefire.api import accession_schemas as s
from ceasefire.api.auth import Caller
from ceasefire.api.deps import Db, Log
from ceasefire.domain.accessions import AccessionRow, Change
from ceasefire.domain.errors import InvalidInputError
from ceasefire.services import accessions as service

router = APIRouter(tags=["accessions"])


@router.get("/accessions", response_model=list[s.AccessionOut])
def list_accessions(
    db: Db,
    regime: Annotated[str | None, Query(max_length=64)] = None,
    until: Annotated[date | None, Query(description="Only up to this date.")] = None,
) -> list[s.AccessionOut]:
    return [
        s.AccessionOut(
            id=a.id,
            regime_id=a.accession.regime_id,
            date=a.accession.day,
            change=a.accession.change.value,
            actor_id=a.accession.actor_id,
            place_id=a.accession.place_id,
            channel=a.accession.channel,
            evidence=a.accession.evidence,
            recorded_by=a.recorded_by,
            created=a.created,
        )
        for a in service.list_accessions(db, regime, until)
    ]


@router.post("/accessions", response_model=s.RecordedOut, status_code=201)
def record_accessions(body: s.AccessionsIn, ledger: Log, user: Caller) -> s.RecordedOut:
    """Record accessions, signed by the caller's party: all of them, or none when one
    names an unknown actor, settlement or regime, or breaks a subject's history."""
    rows = []
    for number, a in enumerate(body.accessions, start=1):
        try:
            rows.append(
                AccessionRow(
                    number, a.regime, Change(a.change), a.date, a.channel, a.evidence,
                    a.actor, a.settlement, a.lon, a.lat,
                )
            )  # fmt: skip
        except InvalidInputError as error:
            raise InvalidInputError(
                f"accessions[{number - 1}].{error.field}", error.reason
            ) from None
    recorded = service.record_accessions(ledger, rows, author=user.party_id)
    return s.RecordedOut(ids=recorded.accession_ids, settlements_added=recorded.settlements_added)


@router.get("/accessions/counts", response_model=list[s.CountOut])
def count_accessions(
    db: Db,
    regime: Annotated[str, Query(min_length=1, max_length=64)],
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    step: Annotated[int, Query(ge=1, le=366, description="Days between counts.")] = 7,
) -> list[s.CountOut]:
    """How many settlements and actors were in the regime, every ``step`` days."""
    return [
        s.CountOut(date=day, settlements=settlements, actors=actors)
        for day, settlements, actors in service.counts(db, regime, start, end, step)
    ]


@router.get(
    "/accessions/map",
    responses={200: {"content": {"application/geo+json": {}}}},
    response_class=JSONResponse,
)
def accession_map(
    db: Db,
    regime: Annotated[str | None, Query(max_length=64)] = None,
    at: Annotated[date | None, Query(description="As of this day [default: today].")] = None,
) -> Any:
    """The settlements that joined regimes by that day, as GeoJSON points, with whether
    they are in on that day, when they joined and through which channel."""
    return JSONResponse(service.geojson(db, regime, at), media_type="application/geo+json")
