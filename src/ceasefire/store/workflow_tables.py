"""The tables of the joint workflow: users and their credentials, assessments of incidents,
response measures and their comments, report drafts, access restrictions, and webhooks
with their deliveries.

All are defined on the schema's one ``metadata``; ``tables`` gathers them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ceasefire.store.metadata import Id, UTCDateTime, metadata

# The joint workflow (migration 0004): users of a party, their API tokens and sessions,
# each co-chair's assessments of incidents, and response measures.
users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text),  # Argon2id (PHC string); NULL: no password sign-in
    Column("created", UTCDateTime, nullable=False),
    Column("disabled", UTCDateTime),
    Column("language", String(8)),  # the workspace's language (migration 0014); NULL: browser's
)

# Bearer tokens and cookie sessions: only the SHA-256 of the secret is kept.
credentials = Table(
    "credentials",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("kind", String(8), nullable=False),  # "token" or "session"
    Column("secret_hash", LargeBinary(32), nullable=False, unique=True),
    Column("name", Text, nullable=False, default=""),
    Column("csrf", String(64)),  # sessions: the token unsafe requests must echo
    Column("created", UTCDateTime, nullable=False),
    Column("expires", UTCDateTime, nullable=False),
    Column("revoked", UTCDateTime),
    Column("last_used", UTCDateTime),
)

# Every revision is a row: a party's finding is its latest row for the incident.
assessments = Table(
    "assessments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("incident_id", Id, ForeignKey("incidents.id"), nullable=False),
    Column("agreement_id", String(64), ForeignKey("agreements.id"), nullable=False),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("finding", String(32), nullable=False),
    Column("attributed_actor_id", String(64), ForeignKey("actors.id")),
    Column("confidence", String(8), nullable=False),
    Column("reasoning", Text, nullable=False),
    Column("assessed_by", String(64), nullable=False),  # the user's username
    Column("created", UTCDateTime, nullable=False),
    Index("ix_assessments_incident_id_agreement_id", "incident_id", "agreement_id"),
)

response_measures = Table(
    "response_measures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("incident_id", Id, ForeignKey("incidents.id"), nullable=False),
    Column("agreement_id", String(64), ForeignKey("agreements.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("owner_party", String(64), ForeignKey("parties.id"), nullable=False),
    Column("due", Date),
    Column("status", String(16), nullable=False),
    Column("proposed_by", String(64), ForeignKey("parties.id"), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Index("ix_response_measures_incident_id", "incident_id"),
)

measure_comments = Table(
    "measure_comments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "measure_id",
        Id,
        ForeignKey("response_measures.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("author", String(64), nullable=False),  # the user's username
    Column("text", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
)

# A party's drafts of reports (migration 0005): party-internal until shared, so neither
# incidents nor the ledger hold them; sharing files the report through the usual path.
report_drafts = Table(
    "report_drafts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("author", String(64), nullable=False),  # the user's username
    Column("body", JSON, nullable=False),  # the report as POST /api/v1/reports takes it
    Column("created", UTCDateTime, nullable=False),
    Index("ix_report_drafts_party_id", "party_id"),
)

# Monitors denied access (migration 0006): where, when, by whom, why, for how long.
access_restrictions = Table(
    "access_restrictions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reported_by", String(64), ForeignKey("parties.id"), nullable=False),
    Column("patrol", Text, nullable=False),  # the team or patrol denied
    Column("time", UTCDateTime, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("place", Text),
    Column("denied_by", Text, nullable=False),  # as the monitors describe them
    Column("actor_id", String(64), ForeignKey("actors.id")),  # resolved, when known
    Column("reason", Text, nullable=False),  # the reason given, or "none given"
    Column("duration_minutes", Integer),  # how long access was denied; NULL: not lifted
    Column("created", UTCDateTime, nullable=False),
    Column("agreement_id", String(64), ForeignKey("agreements.id")),  # NULL: open to every party
    Index("ix_access_restrictions_time", "time"),
)

# Daily reports as issued (migration 0017): each a signed ledger entry (``daily_report/2``);
# a day's report in one language and format is issued once, and a file once. ``renderer``
# (migration 0027): what drew the file (``reports.renderers``; null: issued before).
daily_reports = Table(
    "daily_reports",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("agreement_id", String(64), ForeignKey("agreements.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("cutoff", String(5), nullable=False),  # HH:MM in the agreement's time zone
    Column("language", String(8), nullable=False),
    Column("format", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("checkpoint_size", BigInteger, nullable=False),
    Column("checkpoint_root", String(64), nullable=False),
    Column("issued_by", String(64), ForeignKey("parties.id"), nullable=False),
    Column("issued_by_user", String(128)),
    Column("created", UTCDateTime, nullable=False),
    Column("renderer", JSON),
    UniqueConstraint("sha256", name="uq_daily_reports_sha256"),
    UniqueConstraint(
        "agreement_id", "day", "language", "format", name="uq_daily_reports_agreement_day"
    ),
)

# Webhooks (migration 0007): a party's subscriptions to the live feed, and every delivery.
webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=False),  # signs the bodies (HMAC-SHA256)
    Column("filter", JSON, nullable=False),  # the incident filter, as the list takes it
    Column("cursor", BigInteger, nullable=False),  # the last ledger sequence dispatched
    Column("failures", Integer, nullable=False),  # deliveries failed in a row
    Column("active", Integer, nullable=False),  # 0 once disabled
    Column("created", UTCDateTime, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("webhook_id", Id, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("sequence", BigInteger, nullable=False),
    Column("incident_id", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("created", UTCDateTime, nullable=False),
    Column("delivered", UTCDateTime),
    Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
)

# failed sign-ins, per client address and per username from that address: how many, and
# when the last was (``services.throttles``); a bounded table, pruned as it is written
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed", UTCDateTime, nullable=False, index=True),
)
