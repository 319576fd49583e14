"""Name mappings: an analyst's word that a name reports give is an actor, or no actor of
the register (``name_mappings``); the latest for a name wins.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "name_mappings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("mapped_by", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_name_mappings_actor_id_actors")
        ),
        sa.ForeignKeyConstraint(
            ["mapped_by"], ["parties.id"], name=op.f("fk_name_mappings_mapped_by_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_mappings")),
    )
    op.create_index(op.f("ix_name_mappings_key"), "name_mappings", ["key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_name_mappings_key"), table_name="name_mappings")
    op.drop_table("name_mappings")
