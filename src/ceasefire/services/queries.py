"""Read-only use cases behind the API and CLI listings."""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.regimes import Agreement, Regime
from ceasefire.domain.visibility import Audience
from ceasefire.domain.words import N_
from ceasefire.store import agreements as agreement_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import ledger as log_store
from ceasefire.store import maps as map_store
from ceasefire.store import reports as report_store
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.reports import StoredReport


def list_agreements(db: Database) -> list[Agreement]:
    with db.read() as conn:
        return agreement_store.load_agreements(conn)


def get_agreement(db: Database, agreement_id: str) -> Agreement:
    with db.read() as conn:
        found = agreement_store.load_agreements(conn, agreement_id)
    if not found:
        raise NotFoundError(
            f"agreement {agreement_id!r} does not exist",
            template=N_("There is no agreement %(agreement)s."),
            values={"agreement": repr(agreement_id)},
        )
    return found[0]


Named = tuple[str | None, str]
"""A filter's value (None: not given) and the field or option that gave it."""
_NOT_GIVEN: Named = (None, "")


def check_named(
    db: Database,
    *,
    party: Named = _NOT_GIVEN,
    agreement: Named = _NOT_GIVEN,
    regime: Named = _NOT_GIVEN,
) -> None:
    """Refuse a filter naming a party, agreement or regime that does not exist (it would
    find nothing), naming its field; a value not given is not checked."""
    checks = [
        (noun, value, field, exists)
        for noun, (value, field), exists in (
            ("party", party, agreement_store.party_exists),
            ("agreement", agreement, agreement_store.agreement_exists),
            ("regime", regime, agreement_store.regime_exists),
        )
        if value is not None
    ]
    if not checks:
        return
    with db.read() as conn:
        for noun, value, field, exists in checks:
            if not exists(conn, value):
                raise InvalidInputError(field, f"{noun} {value!r} does not exist")


def list_regimes(db: Database, agreement_id: str | None = None) -> list[Regime]:
    with db.read() as conn:
        return agreement_store.load_regimes(conn, agreement_id=agreement_id)


def get_regime(db: Database, regime_id: str) -> Regime:
    with db.read() as conn:
        return agreement_store.get_regime(conn, regime_id)


def list_incidents(
    db: Database, f: IncidentFilter, audience: Audience, *, reasons: bool = False
) -> list[StoredIncident]:
    with db.read() as conn:
        return incident_store.query_incidents(conn, f, audience, explain=reasons)


def count_incidents(db: Database, f: IncidentFilter, audience: Audience) -> int:
    """How many incidents match, every page together."""
    with db.read() as conn:
        return map_store.count(conn, f, audience, cap=2**62)


def get_incident(
    db: Database, incident_id: int, audience: Audience
) -> tuple[StoredIncident, list[StoredReport]]:
    """An incident and its reports (which share its scope)."""
    with db.read() as conn:
        (incident,) = incident_store.get_incidents(conn, [incident_id], audience)
        reports = report_store.reports_of(conn, [incident_id]).get(incident_id, [])
    return incident, reports


def list_reports(
    db: Database,
    audience: Audience,
    *,
    source: str | None = None,
    after_id: int | None = None,
    limit: int = 100,
) -> list[StoredReport]:
    with db.read() as conn:
        return report_store.list_reports(
            conn, audience, source=source, after_id=after_id, limit=limit
        )


def get_report(db: Database, report_id: int, audience: Audience) -> StoredReport:
    with db.read() as conn:
        return report_store.get_reports(conn, [report_id], audience)[0]


def ledger_indexes(db: Database, records: Sequence[str]) -> dict[str, int]:
    """Each record's ledger index: the sequence of the latest entry that wrote it."""
    with db.read() as conn:
        return log_store.latest_sequences(conn, records)


def merged_here(db: Database, incident_id: int, ids: Sequence[int], party: str) -> list[int]:
    """Those of ``ids`` that ``party`` merged into the incident, in order (a page says so
    only of merges that happened, whatever its address claims)."""
    with db.read() as conn:
        found = incident_store.merged_by(conn, ids[:50], incident_id)
    return sorted(i for i, by in found.items() if by == party)
