"""Accessions: an actor or a settlement joining or leaving a regime, on a date, through a
channel, with evidence (``accessions``; settlements are places of level ``settlement``).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accessions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("regime_id", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("place_id", sa.String(length=64), nullable=True),
        sa.Column("change", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["regime_id"], ["regimes.id"], name=op.f("fk_accessions_regime_id_regimes")
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_accessions_actor_id_actors")
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_accessions_place_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["parties.id"], name=op.f("fk_accessions_recorded_by_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessions")),
    )
    op.create_index(op.f("ix_accessions_regime_id"), "accessions", ["regime_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_accessions_regime_id"), table_name="accessions")
    op.drop_table("accessions")
