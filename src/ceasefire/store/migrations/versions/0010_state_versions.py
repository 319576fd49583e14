"""The record contract (docs/ledger.md, "The record contract"): which version of its kind's
declared state every record of a kind is written at, so that ``ceasefire init`` knows which
kinds still need ``<kind>.migrated`` entries without reading the whole log. A database
written before this migration holds release 0.1.0's states (version 0) of every kind it has
entries of; a kind with no row is looked at once and then recorded.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "state_versions",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name="pk_state_versions"),
    )
    written = sa.text(
        "SELECT DISTINCT substr(record, 1, instr(record, ':') - 1) FROM ledger_entries"
        if op.get_bind().dialect.name == "sqlite"
        else "SELECT DISTINCT split_part(record, ':', 1) FROM ledger_entries"
    )
    kinds = [row[0] for row in op.get_bind().execute(written)]
    if kinds:
        table = sa.table("state_versions", sa.column("kind"), sa.column("version"))
        op.bulk_insert(table, [{"kind": kind, "version": 0} for kind in kinds])


def downgrade() -> None:
    op.drop_table("state_versions")
