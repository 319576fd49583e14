"""``daily_reports.renderer``: what drew an issued report's file (its state
``daily_report/2``: the release, a digest of its templates, code, catalogue and fonts, and
the libraries that set the text; ``reports.renderers``), so that ``ceasefire report
verify`` can tell a ledger changed since from a file drawn by other software. A report
issued before holds null, as the declared upgrade of its state says (``domain.new_records``);
``ceasefire init`` writes its ``daily_report.migrated`` entry.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("daily_reports", sa.Column("renderer", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("daily_reports") as batch:
        batch.drop_column("renderer")
