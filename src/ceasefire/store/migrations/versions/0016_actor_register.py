"""The actor register: an actor's UN reference and listing date, the names event datasets
give it (``actor_references``), and its dated affiliations (``actor_affiliations``), which
take the place of ``actors.parent_id`` (a parent becomes an undated ``part_of``). An alias
may now name several actors (the UN list names branches of one foundation alike): its key
is indexed, no longer unique.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actor_references",
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("system", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_references_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("actor_id", "system", "name", name=op.f("pk_actor_references")),
    )
    op.create_table(
        "actor_affiliations",
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("related_id", sa.String(length=64), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_affiliations_actor_id_actors"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_actor_affiliations_related_id"), "actor_affiliations", ["related_id"])
    op.execute(
        "INSERT INTO actor_affiliations (actor_id, relation, related_id)"
        " SELECT id, 'part_of', parent_id FROM actors WHERE parent_id IS NOT NULL"
    )
    with op.batch_alter_table("actors") as batch:
        batch.drop_constraint("fk_actors_parent_id_actors", type_="foreignkey")
        batch.drop_column("parent_id")
        batch.add_column(sa.Column("un_reference", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("un_listed_on", sa.Date(), nullable=True))
        batch.create_index(op.f("ix_actors_un_reference"), ["un_reference"])
    with op.batch_alter_table("actor_aliases") as batch:
        batch.drop_constraint("uq_actor_aliases_key", type_="unique")
        batch.create_index(op.f("ix_actor_aliases_key"), ["key"])


def downgrade() -> None:
    with op.batch_alter_table("actor_aliases") as batch:
        batch.drop_index(op.f("ix_actor_aliases_key"))
        batch.create_unique_constraint(op.f("uq_actor_aliases_key"), ["key"])
    with op.batch_alter_table("actors") as batch:
        batch.drop_index(op.f("ix_actors_un_reference"))
        batch.drop_column("un_listed_on")
        batch.drop_column("un_reference")
        batch.add_column(sa.Column("parent_id", sa.String(length=64), nullable=True))
        batch.create_foreign_key(
            op.f("fk_actors_parent_id_actors"), "actors", ["parent_id"], ["id"]
        )
    op.execute(
        "UPDATE actors SET parent_id = (SELECT related_id FROM actor_affiliations a"
        " WHERE a.actor_id = actors.id AND a.relation = 'part_of' LIMIT 1)"
    )
    op.drop_table("actor_affiliations")
    op.drop_table("actor_references")
