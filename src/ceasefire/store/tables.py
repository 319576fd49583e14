"""The schema as SQLAlchemy Core tables. Alembic migrations are the authority that creates
it; these definitions are what the repositories query, and a test checks the two agree.

Geometries are stored as GeoJSON text (``geojson``) on every database; on PostgreSQL the
migration adds generated PostGIS ``geom`` columns with GiST indexes, and on SQLite an R*Tree
virtual table kept by triggers indexes incidents by longitude, latitude and time.

The tables are defined, all on the one ``metadata``, in a module per subject:
``scenario_tables`` (parties, actors, places, agreements, regimes), ``incident_tables``
(incidents and their reports), ``ledger_tables`` (the ledger, party keys, checkpoints) and
``workflow_tables`` (users, assessments, measures, drafts, restrictions, webhooks),
``register_tables`` (designation lists) and ``humanitarian_tables`` (humanitarian access). This
module gathers them: every table is ``tables.<name>``, whichever module defines it.
"""

from __future__ import annotations

from sqlalchemy import Table

from ceasefire.store.humanitarian_tables import (
    humanitarian_deliveries,
    humanitarian_location_statuses,
    humanitarian_locations,
    humanitarian_requests,
)
from ceasefire.store.incident_tables import (
    candidate_rejections,
    correlation_candidates,
    incident_merges,
    incident_regimes,
    incidents,
    reports,
)
from ceasefire.store.ledger_tables import (
    ledger_checkpoints,
    ledger_cosignatures,
    ledger_entries,
    ledger_openings,
    ledger_subtrees,
    party_keys,
    state_versions,
)
from ceasefire.store.metadata import Id, UTCDateTime, metadata
from ceasefire.store.register_tables import (
    accessions,
    control_areas,
    designation_list_members,
    designation_lists,
    designation_versions,
    designations,
    mapping_runs,
    name_mappings,
    reclassifications,
)
from ceasefire.store.scenario_tables import (
    actor_affiliations,
    actor_aliases,
    actor_references,
    actors,
    agreement_hostilities,
    agreement_parties,
    agreements,
    parties,
    place_aliases,
    places,
    regime_exclusions,
    regime_extensions,
    regime_follows,
    regimes,
    scenario_records,
)
from ceasefire.store.workflow_tables import (
    access_restrictions,
    assessments,
    credentials,
    daily_reports,
    measure_comments,
    report_drafts,
    response_measures,
    sign_in_failures,
    users,
    webhook_deliveries,
    webhooks,
)

# Every table, the metadata and column types they share, and Table for annotations (t.Table).
__all__ = [
    "Id",
    "Table",
    "UTCDateTime",
    "access_restrictions",
    "accessions",
    "actor_affiliations",
    "actor_aliases",
    "actor_references",
    "actors",
    "agreement_hostilities",
    "agreement_parties",
    "agreements",
    "assessments",
    "candidate_rejections",
    "control_areas",
    "correlation_candidates",
    "credentials",
    "daily_reports",
    "designation_list_members",
    "designation_lists",
    "designation_versions",
    "designations",
    "humanitarian_deliveries",
    "humanitarian_location_statuses",
    "humanitarian_locations",
    "humanitarian_requests",
    "incident_merges",
    "incident_regimes",
    "incidents",
    "ledger_checkpoints",
    "ledger_cosignatures",
    "ledger_entries",
    "ledger_openings",
    "ledger_subtrees",
    "mapping_runs",
    "measure_comments",
    "metadata",
    "name_mappings",
    "parties",
    "party_keys",
    "place_aliases",
    "places",
    "reclassifications",
    "regime_exclusions",
    "regime_extensions",
    "regime_follows",
    "regimes",
    "report_drafts",
    "reports",
    "response_measures",
    "scenario_records",
    "sign_in_failures",
    "state_versions",
    "users",
    "webhook_deliveries",
    "webhooks",
]
