"""``mapping_runs``: the run that resolves again the stored reports giving a name an analyst
mapped, done apart from the request that mapped it (on a million reports it took minutes),
with how far it got; the host's own bookkeeping, not a record.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mapping_runs",
        sa.Column(
            "mapping_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("author", sa.String(length=64), nullable=True),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("done", sa.BigInteger(), nullable=False),
        sa.Column("changed", sa.BigInteger(), nullable=True),
        sa.Column("finished", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mapping_id"],
            ["name_mappings.id"],
            name=op.f("fk_mapping_runs_mapping_id_name_mappings"),
        ),
        sa.ForeignKeyConstraint(
            ["author"], ["parties.id"], name=op.f("fk_mapping_runs_author_parties")
        ),
        sa.PrimaryKeyConstraint("mapping_id", name=op.f("pk_mapping_runs")),
    )


def downgrade() -> None:
    op.drop_table("mapping_runs")
