"""The schema as SQLAlchemy Core tables. Alembic migrations are the authority that creates
it; these definitions are what the repositories query, and a test checks the two agree.

Geometries are stored as GeoJSON text (``geojson``) on every database; on PostgreSQL the
migration adds generated PostGIS ``geom`` columns with GiST indexes, and on SQLite an R*Tree
virtual table kept by triggers indexes incidents by longitude, latitude and time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite has no 64-bit autoincrement type of its own; INTEGER PRIMARY KEY is its rowid.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on both databases."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given where UTC is required")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


parties = Table(
    "parties",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32)),
    Column("parent_id", String(64), ForeignKey("actors.id")),
)

actor_aliases = Table(
    "actor_aliases",
    metadata,
    Column("actor_id", String(64), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("key", Text, nullable=False, unique=True),
)

places = Table(
    "places",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("country", Text),
    Column("code", String(32)),
    Column("geojson", Text, nullable=False),
)

place_aliases = Table(
    "place_aliases",
    metadata,
    Column("place_id", String(64), ForeignKey("places.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("key", Text, nullable=False),
    UniqueConstraint("place_id", "key"),
    Index("ix_place_aliases_key", "key"),
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("signed", UTCDateTime),
    Column("description", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
)

agreement_parties = Table(
    "agreement_parties",
    metadata,
    Column(
        "agreement_id",
        String(64),
        ForeignKey("agreements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("party_id", String(64), ForeignKey("parties.id"), primary_key=True),
    Column("role", String(16), nullable=False),  # "co_chair" or "member"
)

regimes = Table(
    "regimes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("agreement_id", String(64), ForeignKey("agreements.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("geojson", Text, nullable=False),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime),
    Column("area_name", Text),
    Column("description", Text, nullable=False, default=""),
)

regime_exclusions = Table(
    "regime_exclusions",
    metadata,
    Column("regime_id", String(64), ForeignKey("regimes.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(64), ForeignKey("actors.id"), primary_key=True),
)

regime_extensions = Table(
    "regime_extensions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("regime_id", String(64), ForeignKey("regimes.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("new_end", UTCDateTime),
    Column("decided", UTCDateTime),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("regime_id", "seq"),
)

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
    Column("event_type", Text),
    Column("sub_event_type", Text),
    Column("actor_ids", JSON, nullable=False),  # resolved actors of all its reports
    Column("classification", String(24), nullable=False),
    Column("report_count", Integer, nullable=False),
    Column("agreement_id", String(64), ForeignKey("agreements.id")),  # NULL: open to every party
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

# The ledger (docs/ledger.md §4). A leaf's sequence is its index in the Merkle log, from 0,
# always given explicitly; on SQLite it is the rowid (INTEGER PRIMARY KEY), which takes 0.
ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("sequence", Id, primary_key=True, autoincrement=False),
    Column("leaf", LargeBinary, nullable=False),  # SignedEntry.leaf(), byte for byte
    Column("leaf_hash", LargeBinary(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("author_party", String(64), nullable=False),
    Column("author_key_id", String(8), nullable=False),
    Column("time", UTCDateTime, nullable=False),
    Index("ix_ledger_entries_record", "record"),
    Index("ix_ledger_entries_author_party_sequence", "author_party", "sequence"),
    Index("ix_ledger_entries_kind_sequence", "kind", "sequence"),
)

# The hash of every complete subtree of level >= 1, written once, when it is completed.
ledger_subtrees = Table(
    "ledger_subtrees",
    metadata,
    Column("level", SmallInteger, nullable=False),
    Column("index", BigInteger, nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    PrimaryKeyConstraint("level", "index"),
)

party_keys = Table(
    "party_keys",
    metadata,
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("key_id", String(8), nullable=False),
    Column("name", Text, nullable=False),
    Column("public_key", LargeBinary(32), nullable=False),
    Column("sealed_private", LargeBinary),  # NULL: the party holds its own private key
    Column("created", UTCDateTime, nullable=False),
    Column("revoked", UTCDateTime),
    PrimaryKeyConstraint("party_id", "key_id"),
)

# The openings of sealed entries (migration 0009, docs/ledger.md §5): an entry about a
# record scoped to an agreement commits to its state; the salt and the state it commits to
# are kept here and served only to that agreement's parties.
ledger_openings = Table(
    "ledger_openings",
    metadata,
    Column("sequence", Id, primary_key=True, autoincrement=False),
    Column("agreement_id", String(64), nullable=False),
    Column("salt", LargeBinary(32), nullable=False),
    Column("state", LargeBinary, nullable=False),  # the state's canonical JSON
    Index("ix_ledger_openings_agreement_id_sequence", "agreement_id", "sequence"),
)

# The record contract (migration 0010): the version of its kind's declared state that every
# record of a kind is written at (domain.records); a cache of what the ledger's entries say.
state_versions = Table(
    "state_versions",
    metadata,
    Column("kind", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)

# What each scenario file said about each record when last loaded (migration 0013): a
# load applies only the file's own changes since (services.scenarios).
scenario_records = Table(
    "scenario_records",
    metadata,
    Column("scenario_id", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("state", LargeBinary, nullable=False),  # the state document's canonical JSON
    Column("loaded", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("scenario_id", "record"),
)

ledger_checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("size", Id, primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),  # the host-signed checkpoint note
    Column("created", UTCDateTime, nullable=False),
)

ledger_cosignatures = Table(
    "ledger_cosignatures",
    metadata,
    Column("size", Id, ForeignKey("ledger_checkpoints.size"), nullable=False),
    Column("cosigner", Text, nullable=False),
    Column("key_id", String(8), nullable=False),
    Column("signature", Text, nullable=False),  # the note's signature line
    Column("time", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("size", "cosigner", "key_id"),
)

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
