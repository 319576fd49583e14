"""How many rows every table holds: what a refused input must leave unchanged."""

from __future__ import annotations

from sqlalchemy import func, inspect, select, table

from ceasefire.store.database import Database

IGNORED = ("alembic_version", "sign_in_failures")  # the throttle counts refused sign-ins


def row_counts(db: Database) -> dict[str, int]:
    """Rows in every table of the database (the ledger's included), by table."""
    with db.read() as conn:
        names = inspect(conn).get_table_names()
        return {
            name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in names
            if name not in IGNORED and not name.startswith(("sqlite_", "incidents_rtree"))
        }
