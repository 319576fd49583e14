"""Correlation candidates (``correlation_candidates``: pairs of incidents proposed as one
event, with their score and reasons) and analysts' rejections of them
(``candidate_rejections``, the record ``candidate_rejection``); incidents keep their
sub-event type for correlation already.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "correlation_candidates",
        sa.Column("incident_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("other_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=True),
        sa.Column("proposed", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "other_id", name=op.f("pk_correlation_candidates")),
    )
    op.create_index(
        op.f("ix_correlation_candidates_other_id"), "correlation_candidates", ["other_id"]
    )
    op.create_table(
        "candidate_rejections",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.BigInteger(), nullable=False),
        sa.Column("other_id", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=True),
        sa.Column("rejected_by", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_candidate_rejections_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_rejections")),
        sa.UniqueConstraint(
            "incident_id", "other_id", name=op.f("uq_candidate_rejections_incident_id_other_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("candidate_rejections")
    op.drop_index(op.f("ix_correlation_candidates_other_id"), table_name="correlation_candidates")
    op.drop_table("correlation_candidates")
