"""Fatalities are always low <= best <= high (the record contract's report/1): a report that
release 0.1.0 stored with its range out of order (UCDP GED codes some so) gets the smallest
ordered range that holds every figure, and the figures as given in its attribute
``fatalities_as_given``. The state migration (``report.migrated``) applies the same rule to
what each report's entry wrote, so the two agree; a row changed behind the ledger's back
still differs.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    out_of_order = sa.text(
        "SELECT id, fatalities_low, fatalities_best, fatalities_high, attributes FROM reports "
        "WHERE fatalities_low > fatalities_best OR fatalities_best > fatalities_high "
        "OR fatalities_low > fatalities_high"
    )
    update = sa.text(
        "UPDATE reports SET fatalities_low = :low, fatalities_high = :high, "
        "attributes = :attributes WHERE id = :id"
    )
    for report_id, low, best, high, attributes in bind.execute(out_of_order).all():
        known = [v for v in (low, best, high) if v is not None]
        figures = (("low", low), ("best", best), ("high", high))
        found = attributes if isinstance(attributes, dict) else json.loads(attributes)
        found["fatalities_as_given"] = ", ".join(
            f"{name} {value}" for name, value in figures if value is not None
        )
        bind.execute(
            update,
            {
                "id": report_id,
                "low": None if low is None else min(known),
                "high": None if high is None else max(known),
                "attributes": json.dumps(found, ensure_ascii=False),
            },
        )


def downgrade() -> None:
    pass  # the figures as given stay in each report's attributes
