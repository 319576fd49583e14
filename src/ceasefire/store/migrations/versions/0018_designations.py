"""Designation lists: their members, each member's designations, and the versions of the
consolidated list; incidents a write classified anew (``reclassifications``, for the
live feed); a regime's exclusion by a list and a rule (``regimes.exclusion_list``,
``regimes.exclusion_rule``) and the relations it follows to groups connected with those it
excludes (``regime_follows``).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "designation_lists",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designation_lists")),
    )
    op.create_table(
        "designation_list_members",
        sa.Column("list_id", sa.String(length=64), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["designation_lists.id"],
            name=op.f("fk_designation_list_members_list_id_designation_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_designation_list_members_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("list_id", "party_id", name=op.f("pk_designation_list_members")),
    )
    op.create_table(
        "designations",
        sa.Column("list_id", sa.String(length=64), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("submitted", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["designation_lists.id"],
            name=op.f("fk_designations_list_id_designation_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_designations_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_designations_actor_id_actors")
        ),
        sa.PrimaryKeyConstraint("list_id", "party_id", "actor_id", name=op.f("pk_designations")),
    )
    op.create_table(
        "designation_versions",
        sa.Column("list_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("submitted", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["designation_lists.id"],
            name=op.f("fk_designation_versions_list_id_designation_lists"),
        ),
        sa.PrimaryKeyConstraint(
            "list_id", "version", "party_id", "actor_id", name=op.f("pk_designation_versions")
        ),
    )
    op.create_table(
        "regime_follows",
        sa.Column("regime_id", sa.String(length=64), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["regime_id"],
            ["regimes.id"],
            name=op.f("fk_regime_follows_regime_id_regimes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("regime_id", "relation", name=op.f("pk_regime_follows")),
    )
    op.create_table(
        "reclassifications",
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("before", sa.String(length=32), nullable=False),
        sa.Column("after", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("sequence", "incident_id", name=op.f("pk_reclassifications")),
    )
    op.create_index("ix_reclassifications_incident_id", "reclassifications", ["incident_id"])
    op.add_column("regimes", sa.Column("exclusion_list", sa.String(length=64), nullable=True))
    op.add_column("regimes", sa.Column("exclusion_rule", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("regimes") as batch:
        batch.drop_column("exclusion_rule")
        batch.drop_column("exclusion_list")
    op.drop_index("ix_reclassifications_incident_id", table_name="reclassifications")
    op.drop_table("reclassifications")
    op.drop_table("regime_follows")
    op.drop_table("designation_versions")
    op.drop_table("designations")
    op.drop_table("designation_list_members")
    op.drop_table("designation_lists")
