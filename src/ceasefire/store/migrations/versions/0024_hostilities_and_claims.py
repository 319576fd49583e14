"""What an agreement prohibits, and what an incident's possible area and claims keep.

- ``agreement_hostilities``: the ACLED event types each agreement prohibits (its state
  ``agreement/2``); an agreement written before prohibits the default three, as the
  declared upgrade of its state says (``domain.records``).
- ``incidents.admin2``, ``incidents.country``: the units its source names, which its
  possible area is clipped to (``clipped_to``: the one that clipped it);
  ``incidents.claims``: each source's claim of who was involved, and
  ``attribution_disputed``: whether they disagree on an exclusion;
  ``incidents.attributed_actor``: the actor the co-chairs' joint finding attributes it to.
  Incidents are derived: a database that holds some is marked as derived under the rules
  of version 1, and ``ceasefire init`` classifies them again under this release's
  (``services.derivations``).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

DEFAULT = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def upgrade() -> None:
    hostilities = op.create_table(
        "agreement_hostilities",
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_hostilities_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "agreement_id", "event_type", name=op.f("pk_agreement_hostilities")
        ),
    )
    ids = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM agreements"))]
    rows = [{"agreement_id": i, "event_type": e} for i in ids for e in DEFAULT]
    if rows:
        op.bulk_insert(hostilities, rows)
    op.add_column("incidents", sa.Column("admin2", sa.Text(), nullable=True))
    op.add_column("incidents", sa.Column("country", sa.Text(), nullable=True))
    op.add_column("incidents", sa.Column("claims", sa.JSON(), nullable=True))
    op.add_column(
        "incidents",
        sa.Column("attribution_disputed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("incidents", sa.Column("clipped_to", sa.Text(), nullable=True))
    op.add_column("incidents", sa.Column("attributed_actor", sa.String(length=64), nullable=True))
    # incidents stored before were derived under the rules of version 1
    # (services.derivations): `ceasefire init` derives them again
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT id FROM incidents LIMIT 1")).first() is not None:
        bind.execute(
            sa.text("INSERT INTO state_versions (kind, version) VALUES (:kind, 1)"),
            {"kind": "derived:incidents"},
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("attributed_actor")
        batch.drop_column("clipped_to")
        batch.drop_column("attribution_disputed")
        batch.drop_column("claims")
        batch.drop_column("country")
        batch.drop_column("admin2")
    op.drop_table("agreement_hostilities")
