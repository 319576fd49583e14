"""Domain and store records into API bodies, and incoming bodies into domain records."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, TypeVar

import shapely

from ceasefire.api import schemas as s
from ceasefire.domain.classification import Classification
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Agreement, Regime
from ceasefire.domain.times import to_utc
from ceasefire.services import queries
from ceasefire.services.merges import Merged
from ceasefire.services.reclassification import Reclassified
from ceasefire.services.reports_in import report_in as report_in
from ceasefire.services.reports_in import scope_in as scope_in
from ceasefire.services.signing import External, Prepared
from ceasefire.services.views import incident_view
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.reports import StoredReport

Indexed = TypeVar(
    "Indexed",
    s.ReportOut,
    s.RegimeOut,
    s.AgreementOut,
    s.AssessmentOut,
    s.MeasureOut,
    s.RestrictionOut,
)


def with_ledger_index(db: Database, kind: str, items: list[Indexed]) -> list[Indexed]:
    """The records with their ledger index: the latest entry that wrote ``<kind>:<id>``."""
    indexes = queries.ledger_indexes(db, [f"{kind}:{item.id}" for item in items])
    return [
        item.model_copy(update={"ledger_index": indexes.get(f"{kind}:{item.id}")}) for item in items
    ]


def reclassified_out(changed: list[Reclassified]) -> list[s.ReclassifiedOut]:
    return [
        s.ReclassifiedOut(
            incident_id=c.incident_id,
            before=Classification(c.before),
            after=Classification(c.after),
        )
        for c in changed
    ]


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind == "id":
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInputError("cursor", f"{cursor!r} is not a cursor this API gave out")


def agreement_out(agreement: Agreement, regimes: list[Regime]) -> s.AgreementOut:
    return s.AgreementOut(
        id=agreement.id,
        name=agreement.name,
        time_zone=agreement.time_zone,
        signed=agreement.signed,
        co_chairs=list(agreement.co_chairs),
        members=list(agreement.members),
        description=agreement.description,
        source=agreement.source,
        regime_ids=[r.id for r in regimes if r.agreement_id == agreement.id],
    )


def regime_out(regime: Regime) -> s.RegimeOut:
    return s.RegimeOut(
        id=regime.id,
        agreement_id=regime.agreement_id,
        name=regime.name,
        start=regime.start,
        end=regime.end,
        effective_end=regime.effective_end,
        time_zone=regime.time_zone,
        excluded_actors=sorted(regime.excluded_actor_ids),
        exclusion_list=regime.exclusion_list,
        exclusion_rule=regime.exclusion_rule,
        exclusion_follows=list(regime.exclusion_follows),
        extensions=[
            s.ExtensionOut(kind=kind, new_end=e.new_end, decided=e.decided, note=e.note)
            for kind, e in regime.changes
        ],
        area_name=regime.area_name,
        description=regime.description,
        geometry=json.loads(shapely.to_geojson(regime.geometry)),
    )


def report_out(stored: StoredReport) -> s.ReportOut:
    r = stored.report
    return s.ReportOut(
        id=stored.id,
        incident_id=stored.incident_id,
        source=r.source,
        source_id=r.source_id,
        time_start=r.time.start,
        time_end=r.time.end,
        time_precision=r.time.precision,
        time_precision_code=r.time.source_code,
        lon=r.location.lon,
        lat=r.location.lat,
        location_precision=r.location.precision,
        location_precision_code=r.location.source_code,
        place=r.location.place,
        admin1=r.location.admin1,
        admin2=r.location.admin2,
        country=r.location.country,
        event_type=r.event_type,
        sub_event_type=r.sub_event_type,
        actors=[
            s.ActorMentionOut(name=a.name, role=a.role, actor_id=a.actor_id, score=a.score)
            for a in r.actors
        ],
        fatalities={"low": r.fatalities.low, "best": r.fatalities.best, "high": r.fatalities.high},
        narrative=r.narrative,
        citations=list(r.citations),
        attributes=dict(r.attributes),
        agreement=r.agreement_id,
        ledger_index=stored.ledger_index,
    )


def incident_out(i: StoredIncident) -> s.IncidentOut:
    return incident_view(i)


def merge_out(merged: Merged) -> s.MergeOut:
    """A merge's answer: the incident that lives on, the ids merged into it, what moved."""
    return s.MergeOut(
        **incident_out(merged.incident).model_dump(),
        merged_ids=list(merged.merged_ids),
        moved={
            "reports": list(merged.reports),
            "assessments": list(merged.assessments),
            "measures": list(merged.measures),
        },
    )


def incident_feature(i: StoredIncident) -> dict[str, Any]:
    properties = incident_out(i).model_dump(mode="json", exclude={"lon", "lat"})
    return {
        "type": "Feature",
        "id": i.id,
        "geometry": {"type": "Point", "coordinates": [i.lon, i.lat]},
        "properties": properties,
    }


def localize(value: datetime | None, time_zone: str, field: str) -> datetime | None:
    """A naive datetime is in the agreement's zone; an aware one keeps its offset."""
    return None if value is None else to_utc(value, time_zone, field)


def external_of(signed: s.SignedWrite | None) -> External | None:
    """A self-signed write's signature, decoded; ``None`` for a write the server signs."""
    if signed is None:
        return None
    try:
        signature = base64.b64decode(signed.signature, validate=True)
    except ValueError:  # binascii.Error, or text that is not ASCII
        raise InvalidInputError("signed.signature", "is not base64") from None
    return External(signed.author, signed.time, signed.start, signature)


def prepared_out(prepared: Prepared) -> s.Prepared:
    return s.Prepared(
        author=prepared.author,
        key_id=prepared.key_id,
        time=prepared.time,
        start=prepared.start,
        entries=[e.decode("utf-8") for e in prepared.entries],
        message=base64.b64encode(prepared.message).decode("ascii"),
        openings=[o.decode("utf-8") for o in prepared.openings],
    )
