"""Incident ids are never reused: which incident each merged one went into, so that its id
answers 410 and points to the survivor (followed through later merges).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_merges",
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("merged_into", sa.BigInteger(), nullable=False),
        sa.Column("merged_by", sa.String(length=64), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", name="pk_incident_merges"),
    )
    op.create_index("ix_incident_merges_merged_into", "incident_merges", ["merged_into"])


def downgrade() -> None:
    op.drop_index("ix_incident_merges_merged_into", table_name="incident_merges")
    op.drop_table("incident_merges")
