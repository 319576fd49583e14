"""What each scenario file said about each record the last time it was loaded, so that
loading it again applies only the file's own changes and never silently undoes a signed
change made since (an extension agreed over the API, a regime edited).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenario_records",
        sa.Column("scenario_id", sa.String(length=64), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("loaded", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scenario_id", "record", name="pk_scenario_records"),
    )


def downgrade() -> None:
    op.drop_table("scenario_records")
