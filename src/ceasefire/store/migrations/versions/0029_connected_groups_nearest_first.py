"""No change of schema: the rules incidents are derived by changed (connected groups are
found nearest first; before, the order of the affiliation rows could leave a group three
links away from an excluded one out). A database that holds incidents is marked as
derived under the rules of version 3 (unless it is marked with an earlier one already),
and ``ceasefire init`` derives them again (``services.derivations``).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

from alembic import op

from ceasefire.store.derived_marks import mark_derived

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    mark_derived(op.get_bind(), 3)


def downgrade() -> None:
    """Nothing to undo in the schema; the mark stays."""
