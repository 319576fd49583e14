"""Access restrictions: monitors denied access, as OSCE SMM reports list them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "access_restrictions",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("patrol", sa.Text(), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("denied_by", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reported_by"], ["parties.id"], name="fk_access_restrictions_reported_by_parties"
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name="fk_access_restrictions_actor_id_actors"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_access_restrictions"),
    )
    op.create_index("ix_access_restrictions_time", "access_restrictions", ["time"])


def downgrade() -> None:
    op.drop_index("ix_access_restrictions_time", table_name="access_restrictions")
    op.drop_table("access_restrictions")
