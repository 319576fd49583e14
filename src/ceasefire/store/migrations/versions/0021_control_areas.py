"""Areas of control: a polygon held by one actor from a date to a date (``control_areas``).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_areas",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("geojson", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_control_areas_actor_id_actors")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["parties.id"], name=op.f("fk_control_areas_recorded_by_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_areas")),
    )


def downgrade() -> None:
    op.drop_table("control_areas")
