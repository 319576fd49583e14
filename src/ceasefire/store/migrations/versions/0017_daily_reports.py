"""Daily reports as issued: each a signed ledger entry (``daily_report/1``) holding the
SHA-256 of the file's bytes and the checkpoint it was built from.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "daily_reports",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cutoff", sa.String(length=5), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("checkpoint_size", sa.BigInteger(), nullable=False),
        sa.Column("checkpoint_root", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("issued_by_user", sa.String(length=128), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name="fk_daily_reports_agreement_id_agreements"
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["parties.id"], name="fk_daily_reports_issued_by_parties"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_daily_reports"),
        sa.UniqueConstraint("sha256", name="uq_daily_reports_sha256"),
        sa.UniqueConstraint(
            "agreement_id", "day", "language", "format", name="uq_daily_reports_agreement_day"
        ),
    )


def downgrade() -> None:
    op.drop_table("daily_reports")
