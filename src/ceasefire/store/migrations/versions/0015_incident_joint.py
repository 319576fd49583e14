"""Each incident's joint finding, derived from the co-chairs' assessments like its
classification from its reports (``services.joints``): the map colours, filters and counts
incidents by it at any scale. NULL: not assessed yet; filled for incidents assessed before
this migration by ``ceasefire init``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("joint", sa.String(length=32), nullable=True))
    op.add_column("incidents", sa.Column("joint_agreement", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("joint_agreement")
        batch.drop_column("joint")
