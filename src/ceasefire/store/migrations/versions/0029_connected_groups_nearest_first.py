"""No change of schema: the rules incidents are derived by changed (connected groups are
found nearest first; before, the order of the affiliation rows could leave a group three
links away from an excluded one out). A database that holds incidents is marked as
derived under the rules of version 3 (unless it is marked with an earlier one already),
and ``ceasefire init`` derives them again (``services.derivations``).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    holds_incidents = bind.execute(sa.text("SELECT id FROM incidents LIMIT 1")).first()
    marked = bind.execute(
        sa.text("SELECT version FROM state_versions WHERE kind = :kind"),
        {"kind": "derived:incidents"},
    ).first()
    if holds_incidents is not None and marked is None:
        bind.execute(
            sa.text("INSERT INTO state_versions (kind, version) VALUES (:kind, 3)"),
            {"kind": "derived:incidents"},
        )


def downgrade() -> None:
    """Nothing to undo in the schema; the mark stays."""
