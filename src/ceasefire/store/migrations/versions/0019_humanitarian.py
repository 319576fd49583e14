"""Humanitarian access: locations with their status history, requests for access with
their decision, and deliveries.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "humanitarian_locations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("place_id", sa.String(length=64), nullable=True),
        sa.Column("agreement_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_humanitarian_locations_place_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_humanitarian_locations_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_humanitarian_locations")),
    )
    op.create_table(
        "humanitarian_location_statuses",
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["humanitarian_locations.id"],
            name=op.f("fk_humanitarian_location_statuses_location_id_humanitarian_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "location_id", "since", name=op.f("pk_humanitarian_location_statuses")
        ),
    )
    op.create_table(
        "humanitarian_requests",
        sa.Column("id", ID, autoincrement=False, nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("requested", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("trucks", sa.Integer(), nullable=True),
        sa.Column("destination", sa.Text(), nullable=True),
        sa.Column("destination_lon", sa.Float(), nullable=True),
        sa.Column("destination_lat", sa.Float(), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_people", sa.Integer(), nullable=True),
        sa.Column("approved_trucks", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("source_status", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["humanitarian_locations.id"],
            name=op.f("fk_humanitarian_requests_location_id_humanitarian_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["parties.id"],
            name=op.f("fk_humanitarian_requests_recorded_by_parties"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_humanitarian_requests")),
    )
    op.create_index(
        "ix_humanitarian_requests_location_id", "humanitarian_requests", ["location_id"]
    )
    op.create_index(
        "ix_humanitarian_requests_source", "humanitarian_requests", ["source", "source_id"]
    )
    op.create_table(
        "humanitarian_deliveries",
        sa.Column("id", ID, autoincrement=False, nullable=False),
        sa.Column("request_id", ID, nullable=False),
        sa.Column("delivered", sa.Date(), nullable=False),
        sa.Column("people_reached", sa.Integer(), nullable=True),
        sa.Column("trucks", sa.Integer(), nullable=True),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["humanitarian_requests.id"],
            name=op.f("fk_humanitarian_deliveries_request_id_humanitarian_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["parties.id"],
            name=op.f("fk_humanitarian_deliveries_recorded_by_parties"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_humanitarian_deliveries")),
    )
    op.create_index(
        "ix_humanitarian_deliveries_request_id", "humanitarian_deliveries", ["request_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_humanitarian_deliveries_request_id", table_name="humanitarian_deliveries")
    op.drop_table("humanitarian_deliveries")
    op.drop_index("ix_humanitarian_requests_source", table_name="humanitarian_requests")
    op.drop_index("ix_humanitarian_requests_location_id", table_name="humanitarian_requests")
    op.drop_table("humanitarian_requests")
    op.drop_table("humanitarian_location_statuses")
    op.drop_table("humanitarian_locations")
