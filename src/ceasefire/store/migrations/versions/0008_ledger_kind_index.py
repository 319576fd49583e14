"""An index on the ledger's entries by kind: the latest change to the rules (regimes,
actors, places) and the keys a verifier reads first are one index lookup each.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ledger_entries_kind_sequence", "ledger_entries", ["kind", "sequence"])


def downgrade() -> None:
    op.drop_index("ix_ledger_entries_kind_sequence", table_name="ledger_entries")
