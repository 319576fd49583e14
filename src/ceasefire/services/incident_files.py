"""An incident's file, as the workspace shows it: the incident and its reasons (in the
reader's language), each source's report, each co-chair's assessments and the joint
finding, the response measures, and the ledger entry that wrote each piece."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection

from ceasefire.domain.errors import InvalidInputError, PermissionDeniedError
from ceasefire.domain.explanations import Gettext
from ceasefire.domain.visibility import Audience
from ceasefire.services import findings as finding_service
from ceasefire.services import queries
from ceasefire.services.findings import Findings
from ceasefire.store import agreements as agreement_store
from ceasefire.store import checkpoints as checkpoint_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import reports as report_store
from ceasefire.store.assessments import Measure
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.store.reports import StoredReport


@dataclass(frozen=True)
class IncidentFile:
    incident: StoredIncident
    reports: list[StoredReport]
    findings: Findings | None
    no_findings: str | None  # why there are none to show (not the reader's agreement...)
    measures: list[Measure]
    entries: dict[str, int] = field(default_factory=dict)  # record -> latest ledger index
    checkpoint_size: int | None = None  # of the latest checkpoint, for inclusion proofs
    cosigned_size: int | None = None  # of the latest one a party cosigned (proved against first)
    time_zone: str = "UTC"  # exact times are shown in it: the agreement's, or a regime's
    # the findings are made under an agreement the reader's party is not in: its joint
    # finding is not shown either (saying "not assessed" would be untrue)
    findings_withheld: bool = False


def incident_file(
    db: Database,
    incident_id: int,
    audience: Audience,
    gettext: Gettext,
    city: Callable[[str], str] | None = None,
) -> IncidentFile:
    with db.read() as conn:
        (incident,) = incident_store.get_incidents(conn, [incident_id], audience, explain=False)
        (incident,) = incident_store.explained(conn, [incident], gettext, city)
        reports = report_store.reports_of(conn, [incident_id]).get(incident_id, [])
        latest = checkpoint_store.load_checkpoint(conn)
        cosigned = checkpoint_store.last_cosigned_size(conn)
        zone = _time_zone(conn, incident)
    found: Findings | None = None
    reason: str | None = None
    withheld = False
    try:
        found = finding_service.findings(db, incident_id, audience)
    except (InvalidInputError, PermissionDeniedError) as error:
        said = error.message if error.template is None else gettext(error.template)
        reason = said % dict(error.values) if error.template is not None else said
        withheld = isinstance(error, PermissionDeniedError)
    measures = finding_service.measures_of(db, incident_id, audience)
    records = [f"report:{r.id}" for r in reports]
    records += [f"assessment:{a.id}" for a in (found.history if found else ())]
    records += [f"measure:{m.id}" for m in measures]
    return IncidentFile(
        incident,
        reports,
        found,
        reason,
        measures,
        queries.ledger_indexes(db, records),
        None if latest is None else latest.checkpoint.size,
        cosigned,
        zone,
        withheld,
    )


def _time_zone(conn: Connection, incident: StoredIncident) -> str:
    """Where the incident's times are read: its agreement's zone, else the zone of the
    first regime that bears on it, else UTC."""
    if incident.agreement_id is not None:
        found = agreement_store.load_agreements(conn, incident.agreement_id)
        if found:
            return found[0].time_zone
    terms = agreement_store.load_regime_terms(conn, set(incident.regime_ids))
    zones = [terms[r].time_zone for r in sorted(terms)]
    return zones[0] if zones else "UTC"
