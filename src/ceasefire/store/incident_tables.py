"""The tables of incidents and the reports filed about them, with the regimes each incident
was classified against and the incidents merged into others.

All are defined on the schema's one ``metadata``; ``tables`` gathers them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from ceasefire.store.metadata import Id, UTCDateTime, metadata

incidents = Table(
    "incidents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("time_start", UTCDateTime, nullable=False),
    Column("time_end", UTCDateTime, nullable=False),
    Column("time_precision", String(8), nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("location_precision", String(16), nullable=False),
    Column("place", Text),
    Column("admin1", Text),
    Column("admin2", Text),  # migration 0024
    Column("country", Text),
    Column("event_type", Text),
    Column("sub_event_type", Text),
    Column("actor_ids", JSON, nullable=False),  # resolved actors of all its reports
    # migration 0024: each source's claim, [[source, [actor ids]], ...]; whether they
    # disagree on an exclusion; and the unit its possible area was clipped to
    Column("claims", JSON),
    Column("attribution_disputed", Boolean, nullable=False, server_default=false()),
    Column("clipped_to", Text),
    # the actor the co-chairs' joint finding attributes it to (settles the claims)
    Column("attributed_actor", String(64)),
    # migration 0026: the sources of its reports, a sorted JSON array (incident_rows.
    # sources_text), so correlation can leave out incidents of a batch's own source
    # without a look at their reports
    Column("sources", Text),
    Column("classification", String(24), nullable=False),
    Column("report_count", Integer, nullable=False),
    Column("agreement_id", String(64), ForeignKey("agreements.id")),  # NULL: open to every party
    # the joint finding (migration 0015), derived from assessments under joint_agreement;
    # NULL: not assessed (domain.workflow.joint_code)
    Column("joint", String(32)),
    Column("joint_agreement", String(64)),
    Index("ix_incidents_time_start", "time_start"),
    Index("ix_incidents_agreement_id_id", "agreement_id", "id"),
    Index("ix_incidents_classification_id", "classification", "id"),
)

# Incident ids are never reused (migration 0012): each merged incident, and the incident it
# went into (kept up to date through later merges), so its id answers 410 and points there.
incident_merges = Table(
    "incident_merges",
    metadata,
    Column("incident_id", Id, primary_key=True, autoincrement=False),
    Column("merged_into", BigInteger, nullable=False),
    Column("merged_by", String(64), nullable=False),
    Column("merged_at", UTCDateTime, nullable=False),
    Index("ix_incident_merges_merged_into", "merged_into"),
)

incident_regimes = Table(
    "incident_regimes",
    metadata,
    Column("incident_id", Id, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("regime_id", String(64), ForeignKey("regimes.id"), primary_key=True),
    # the codes the reasons are written from (ceasefire.domain.classification.explain)
    Column("verdict", String(16), nullable=False),
    Column("space", SmallInteger, nullable=False),
    Column("timing", SmallInteger, nullable=False),
    Index("ix_incident_regimes_regime_id_incident_id", "regime_id", "incident_id"),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("source_id", String(128), nullable=False),
    Column("incident_id", Id, ForeignKey("incidents.id"), nullable=False),
    Column("time_start", UTCDateTime, nullable=False),
    Column("time_end", UTCDateTime, nullable=False),
    Column("time_precision", String(8), nullable=False),
    Column("time_precision_code", String(32)),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("location_precision", String(16), nullable=False),
    Column("location_precision_code", String(32)),
    Column("place", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("country", Text),
    Column("event_type", Text),
    Column("sub_event_type", Text),
    Column("fatalities_low", Integer),
    Column("fatalities_best", Integer),
    Column("fatalities_high", Integer),
    Column("narrative", Text, nullable=False),
    Column("citations", JSON, nullable=False),
    Column("attributes", JSON, nullable=False),
    Column(
        "actors", JSON, nullable=False
    ),  # [{"name", "role", "actor_id"}] as the report names them
    Column("agreement_id", String(64), ForeignKey("agreements.id")),  # NULL: open to every party
    UniqueConstraint("source", "source_id"),
    Index("ix_reports_incident_id", "incident_id"),
)

# Pairs of incidents correlation proposes as one event (migration 0025; docs/correlation.md):
# derived, like incidents, and keyed by the pair (incident_id < other_id). A pair is pending
# while both incidents exist and no rejection names it.
correlation_candidates = Table(
    "correlation_candidates",
    metadata,
    Column("incident_id", BigInteger, primary_key=True, autoincrement=False),
    Column("other_id", BigInteger, primary_key=True, autoincrement=False),
    Column("score", Float, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("agreement_id", String(64)),  # the scope both incidents share (NULL: open)
    Column("proposed", UTCDateTime, nullable=False),
    Index("ix_correlation_candidates_other_id", "other_id"),
)

# An analyst's word that a proposed pair is two events (a record: candidate_rejection/1).
candidate_rejections = Table(
    "candidate_rejections",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("incident_id", BigInteger, nullable=False),
    Column("other_id", BigInteger, nullable=False),
    Column("score", Float, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("agreement_id", String(64), ForeignKey("agreements.id")),  # NULL: open
    Column("rejected_by", String(64), nullable=False),  # the analyst's party
    Column("created", UTCDateTime, nullable=False),
    UniqueConstraint("incident_id", "other_id"),
)
