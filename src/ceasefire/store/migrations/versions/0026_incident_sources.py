"""``incidents.sources``: the sources of an incident's reports (a sorted JSON array), so
that correlation leaves out the incidents of a batch's own source by a look at the
incident alone, not at each of its reports (on PostgreSQL, with statistics older than a
source's first thousands of reports, that look cost ~1 µs an incident under the log's
lock). Incidents are derived: a database that holds some is marked as derived under the
rules of version 2 (unless it is marked with an earlier one already), and ``ceasefire
init`` derives them again, which fills the column (``services.derivations``).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.derived_marks import mark_derived

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("sources", sa.Text(), nullable=True))
    mark_derived(op.get_bind(), 2)


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("sources")
