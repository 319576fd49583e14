"""PostgreSQL: one GiST index over incidents' place and time window together.

With separate indexes the planner either walked the primary key for ORDER BY id LIMIT n
(filtering most of the table) or ANDed a GiST bitmap with a time B-tree bitmap; a two-column
GiST over (geom, tstzrange(time_start, time_end)) answers a map view's bbox and time window
with one index scan. SQLite's R*Tree already indexes both.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_incidents_geom_time ON incidents "
            "USING gist (geom, tstzrange(time_start, time_end, '[]'))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_incidents_geom_time")
