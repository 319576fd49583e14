"""The joint workflow: users and their credentials, assessments, response measures.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("created", _TIME, nullable=False),
        sa.Column("disabled", _TIME, nullable=True),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name="fk_users_party_id_parties"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "credentials",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=True),
        sa.Column("created", _TIME, nullable=False),
        sa.Column("expires", _TIME, nullable=False),
        sa.Column("revoked", _TIME, nullable=True),
        sa.Column("last_used", _TIME, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_credentials_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_credentials"),
        sa.UniqueConstraint("secret_hash", name="uq_credentials_secret_hash"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("finding", sa.String(length=32), nullable=False),
        sa.Column("attributed_actor_id", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.String(length=8), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.String(length=64), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_assessments_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name="fk_assessments_agreement_id_agreements"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name="fk_assessments_party_id_parties"
        ),
        sa.ForeignKeyConstraint(
            ["attributed_actor_id"],
            ["actors.id"],
            name="fk_assessments_attributed_actor_id_actors",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
    )
    op.create_index(
        "ix_assessments_incident_id_agreement_id",
        "assessments",
        ["incident_id", "agreement_id"],
    )
    op.create_table(
        "response_measures",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_party", sa.String(length=64), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_response_measures_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name="fk_response_measures_agreement_id_agreements",
        ),
        sa.ForeignKeyConstraint(
            ["owner_party"], ["parties.id"], name="fk_response_measures_owner_party_parties"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["parties.id"], name="fk_response_measures_proposed_by_parties"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_response_measures"),
    )
    op.create_index("ix_response_measures_incident_id", "response_measures", ["incident_id"])
    op.create_table(
        "measure_comments",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("measure_id", _ID, nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["response_measures.id"],
            name="fk_measure_comments_measure_id_response_measures",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name="fk_measure_comments_party_id_parties"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measure_comments"),
    )


def downgrade() -> None:
    op.drop_table("measure_comments")
    op.drop_index("ix_response_measures_incident_id", table_name="response_measures")
    op.drop_table("response_measures")
    op.drop_index("ix_assessments_incident_id_agreement_id", table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("credentials")
    op.drop_table("users")
