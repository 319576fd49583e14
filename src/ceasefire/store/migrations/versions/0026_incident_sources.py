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

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("sources", sa.Text(), nullable=True))
    bind = op.get_bind()
    holds_incidents = bind.execute(sa.text("SELECT id FROM incidents LIMIT 1")).first()
    marked = bind.execute(
        sa.text("SELECT version FROM state_versions WHERE kind = :kind"),
        {"kind": "derived:incidents"},
    ).first()
    if holds_incidents is not None and marked is None:
        bind.execute(
            sa.text("INSERT INTO state_versions (kind, version) VALUES (:kind, 2)"),
            {"kind": "derived:incidents"},
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("sources")
