"""Initial schema: parties, actors, places, agreements, regimes, incidents, reports.

On SQLite, an R*Tree over incidents (longitude, latitude, days since 1970) kept by
triggers. On PostgreSQL, PostGIS and generated geometry columns with GiST indexes.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["actors.id"], name=op.f("fk_actors_parent_id_actors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("signed", sa.DateTime(timezone=True), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    op.create_table(
        "incidents",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("time_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_precision", sa.String(length=8), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("location_precision", sa.String(length=16), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("event_type", sa.Text(), nullable=True),
        sa.Column("sub_event_type", sa.Text(), nullable=True),
        sa.Column("actor_ids", sa.JSON(), nullable=False),
        sa.Column("classification", sa.String(length=24), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incidents_classification_id", ["classification", "id"], unique=False
        )
        batch_op.create_index("ix_incidents_time_start", ["time_start"], unique=False)

    op.create_table(
        "parties",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
    )
    op.create_table(
        "places",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("geojson", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_table(
        "actor_aliases",
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_aliases_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("key", name=op.f("uq_actor_aliases_key")),
    )
    op.create_table(
        "agreement_parties",
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_parties_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_agreement_parties_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("agreement_id", "party_id", name=op.f("pk_agreement_parties")),
    )
    op.create_table(
        "place_aliases",
        sa.Column("place_id", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_place_aliases_place_id_places"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("place_id", "key", name=op.f("uq_place_aliases_place_id_key")),
    )
    with op.batch_alter_table("place_aliases", schema=None) as batch_op:
        batch_op.create_index("ix_place_aliases_key", ["key"], unique=False)

    op.create_table(
        "regimes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("geojson", sa.Text(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("area_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_regimes_agreement_id_agreements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regimes")),
    )
    op.create_table(
        "reports",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=128), nullable=False),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("time_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_precision", sa.String(length=8), nullable=False),
        sa.Column("time_precision_code", sa.String(length=32), nullable=True),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("location_precision", sa.String(length=16), nullable=False),
        sa.Column("location_precision_code", sa.String(length=32), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("event_type", sa.Text(), nullable=True),
        sa.Column("sub_event_type", sa.Text(), nullable=True),
        sa.Column("fatalities_low", sa.Integer(), nullable=True),
        sa.Column("fatalities_best", sa.Integer(), nullable=True),
        sa.Column("fatalities_high", sa.Integer(), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_reports_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("source", "source_id", name=op.f("uq_reports_source_source_id")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_incident_id", ["incident_id"], unique=False)

    op.create_table(
        "incident_regimes",
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("regime_id", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("space", sa.SmallInteger(), nullable=False),
        sa.Column("timing", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_regimes_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["regime_id"], ["regimes.id"], name=op.f("fk_incident_regimes_regime_id_regimes")
        ),
        sa.PrimaryKeyConstraint("incident_id", "regime_id", name=op.f("pk_incident_regimes")),
    )
    with op.batch_alter_table("incident_regimes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_regimes_regime_id_incident_id", ["regime_id", "incident_id"], unique=False
        )

    op.create_table(
        "regime_exclusions",
        sa.Column("regime_id", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_regime_exclusions_actor_id_actors")
        ),
        sa.ForeignKeyConstraint(
            ["regime_id"],
            ["regimes.id"],
            name=op.f("fk_regime_exclusions_regime_id_regimes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("regime_id", "actor_id", name=op.f("pk_regime_exclusions")),
    )
    op.create_table(
        "regime_extensions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("regime_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("new_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["regime_id"],
            ["regimes.id"],
            name=op.f("fk_regime_extensions_regime_id_regimes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regime_extensions")),
        sa.UniqueConstraint("regime_id", "seq", name=op.f("uq_regime_extensions_regime_id_seq")),
    )

    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rtree()
    else:
        _postgis()


# Days since 1970-01-01 of a stored UTC timestamp (SQLite keeps them as ISO text).
_DAYS = "(julianday({col}) - 2440587.5)"


def _sqlite_rtree() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE incidents_rtree USING rtree("
        "id, min_x, max_x, min_y, max_y, min_t, max_t)"
    )
    values = (
        "NEW.id, NEW.lon, NEW.lon, NEW.lat, NEW.lat, "
        + _DAYS.format(col="NEW.time_start")
        + ", "
        + _DAYS.format(col="NEW.time_end")
    )
    op.execute(
        "CREATE TRIGGER incidents_rtree_insert AFTER INSERT ON incidents BEGIN "
        f"INSERT INTO incidents_rtree VALUES ({values}); END"
    )
    op.execute(
        "CREATE TRIGGER incidents_rtree_update AFTER UPDATE OF lon, lat, time_start, time_end "
        "ON incidents BEGIN "
        f"INSERT OR REPLACE INTO incidents_rtree VALUES ({values}); END"
    )
    op.execute(
        "CREATE TRIGGER incidents_rtree_delete AFTER DELETE ON incidents BEGIN "
        "DELETE FROM incidents_rtree WHERE id = OLD.id; END"
    )


def _postgis() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(
        "ALTER TABLE incidents ADD COLUMN geom geometry(Point, 4326) "
        "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
    )
    for table in ("regimes", "places"):
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN geom geometry(Geometry, 4326) "
            "GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326)) STORED"
        )
    for table in ("incidents", "regimes", "places"):
        op.execute(f"CREATE INDEX ix_{table}_geom ON {table} USING gist (geom)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS incidents_rtree")
    op.drop_table("regime_extensions")
    op.drop_table("regime_exclusions")
    with op.batch_alter_table("incident_regimes", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_regimes_regime_id_incident_id")

    op.drop_table("incident_regimes")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_incident_id")

    op.drop_table("reports")
    op.drop_table("regimes")
    with op.batch_alter_table("place_aliases", schema=None) as batch_op:
        batch_op.drop_index("ix_place_aliases_key")

    op.drop_table("place_aliases")
    op.drop_table("agreement_parties")
    op.drop_table("actor_aliases")
    op.drop_table("places")
    op.drop_table("parties")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_time_start")
        batch_op.drop_index("ix_incidents_classification_id")

    op.drop_table("incidents")
    op.drop_table("agreements")
    op.drop_table("actors")
