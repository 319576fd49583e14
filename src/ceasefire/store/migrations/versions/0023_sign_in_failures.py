"""Failed sign-ins kept in the database (``sign_in_failures``): the throttle is shared by
every server process and survives a restart.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(op.f("ix_sign_in_failures_last_failed"), "sign_in_failures", ["last_failed"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_failures_last_failed"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
