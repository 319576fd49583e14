"""Alembic environment: migrations run on the connection ceasefire hands over. A new
migration also moves `ceasefire.store.database.HEAD` to its revision (a test fails until
it does)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ceasefire.store.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through ceasefire.store.database.Database.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
