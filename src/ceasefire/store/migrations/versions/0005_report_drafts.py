"""A party's drafts of reports, kept apart from shared state until the party shares them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "report_drafts",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name="fk_report_drafts_party_id_parties"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_drafts"),
    )
    op.create_index("ix_report_drafts_party_id", "report_drafts", ["party_id"])


def downgrade() -> None:
    op.drop_index("ix_report_drafts_party_id", table_name="report_drafts")
    op.drop_table("report_drafts")
