"""Who sees what: reports, incidents and access restrictions scoped to one agreement (NULL:
open to every party), and the openings of the sealed ledger entries that commit to them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCOPED = ("reports", "incidents", "access_restrictions")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in SCOPED:
        if sqlite:  # SQLite adds a column with a reference, but no constraint after it
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN agreement_id VARCHAR(64) "
                f"CONSTRAINT fk_{table}_agreement_id_agreements REFERENCES agreements (id)"
            )
        else:
            op.add_column(table, sa.Column("agreement_id", sa.String(length=64), nullable=True))
            op.create_foreign_key(
                f"fk_{table}_agreement_id_agreements", table, "agreements", ["agreement_id"], ["id"]
            )
    op.create_index("ix_incidents_agreement_id_id", "incidents", ["agreement_id", "id"])
    op.create_table(
        "ledger_openings",
        sa.Column("sequence", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("salt", sa.LargeBinary(length=32), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name="pk_ledger_openings"),
    )
    op.create_index(
        "ix_ledger_openings_agreement_id_sequence", "ledger_openings", ["agreement_id", "sequence"]
    )


def downgrade() -> None:
    op.drop_index("ix_ledger_openings_agreement_id_sequence", table_name="ledger_openings")
    op.drop_table("ledger_openings")
    op.drop_index("ix_incidents_agreement_id_id", table_name="incidents")
    for table in SCOPED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("agreement_id")
