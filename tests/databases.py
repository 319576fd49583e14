"""Fresh databases for the tests, fast: each test's database is a copy of one migrated once.

Migrating a new database runs every Alembic migration: about a second on SQLite and two on
PostgreSQL + PostGIS, for each of the suite's ~1,500 databases, which made up most of its
time. So a test worker migrates one SQLite file and copies it for each test (a copy is the
same file, byte for byte), and keeps PostgreSQL schemas migrated once: after a test its
schema is emptied (its rows deleted, sequences restarted) and used again, unless the test
changed the schema's shape (a column added, the Alembic revision set back: ``_SHAPE``), in
which case it is dropped and the next test gets a newly migrated one. Either way a test
starts from a database exactly as ``Database.migrate`` leaves a new one.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from ceasefire.store.database import HEAD, Database, normalize_url


def copy_of_migrated(template: Path, path: Path) -> Database:
    """A database at ``path``: a copy of ``template`` (migrated, closed: no WAL beside it)."""
    assert not Path(f"{template}-wal").exists(), "the template is still open"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    db.migrate()  # at the newest revision already: one read
    return db


def migrated_sqlite(path: Path) -> Path:
    db = Database(f"sqlite:///{path}")
    db.migrate()
    db.dispose()
    return path


# what a test that changes a schema's shape changes: its relations (tables, indexes,
# sequences), their columns and checks, its constraints and triggers (the catalogues, by the
# schema's oid: a few milliseconds, where the definitions in full took 150 ms)
_SHAPE = """
SELECT (SELECT count(*) || ':' || sum(relnatts) || ':' || sum(relchecks)
          FROM pg_class WHERE relnamespace = n.oid)
       || '/' || (SELECT count(*) FROM pg_constraint WHERE connamespace = n.oid)
       || '/' || (SELECT count(*) FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
                   WHERE r.relnamespace = n.oid)
       || '/' || (SELECT count(*) FROM pg_proc WHERE pronamespace = n.oid)
  FROM pg_namespace n WHERE n.nspname = :schema
"""


class PostgresSchemas:
    """Schemas of one test worker in the test database, each migrated once and reused."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin: Engine = create_engine(normalize_url(url))
        self.clean: list[str] = []  # emptied, at the newest revision, unchanged
        self.made: set[str] = set()
        self.shape: str | None = None  # of a schema just migrated (``_SHAPE``)
        self.tables: Sequence[str] = ()
        self.sequences: Sequence[str] = ()

    def database(self, schema: str) -> Database:
        return Database(self.url, connect_args={"options": f"-c search_path={schema},public"})

    def take(self) -> str:
        """A schema as a new migration leaves it."""
        if self.clean:
            return self.clean.pop()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        self.made.add(schema)
        db = self.database(schema)
        db.migrate()
        db.dispose()
        if self.shape is None:
            self._learn(schema)
        return schema

    def give_back(self, schema: str) -> None:
        """Empty the schema for the next test, or drop it if the test changed its shape or
        its revision."""
        with self.admin.begin() as conn:
            shape = conn.execute(text(_SHAPE), {"schema": schema}).scalar_one()
            revision = conn.execute(text(f"SELECT version_num FROM {schema}.alembic_version"))
            if shape == self.shape and revision.all() == [(HEAD,)]:
                # every row out, foreign keys unchecked (the superuser's replica role: all
                # goes), sequences from 1: ~50 ms, where a TRUNCATE of the tables took 0.5-1 s
                conn.execute(text("SET LOCAL lock_timeout = '20s'"))
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.exec_driver_sql(";".join(self._emptying(schema)))
                self.clean.append(schema)
                return
        self.drop(schema)

    def drop(self, schema: str) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        self.made.discard(schema)

    def close(self) -> None:
        for schema in list(self.made):
            self.drop(schema)
        self.admin.dispose()

    def _emptying(self, schema: str) -> list[str]:
        statements = [f"DELETE FROM {schema}.{name}" for name in self.tables]
        return statements + [f"ALTER SEQUENCE {schema}.{name} RESTART" for name in self.sequences]

    def _learn(self, schema: str) -> None:
        """The shape, tables and sequences of a schema just migrated."""
        with self.admin.connect() as conn:
            self.shape = conn.execute(text(_SHAPE), {"schema": schema}).scalar_one()
            self.tables = (
                conn.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = :schema"
                        " AND tablename <> 'alembic_version' ORDER BY tablename"
                    ),
                    {"schema": schema},
                )
                .scalars()
                .all()
            )
            self.sequences = (
                conn.execute(
                    text(
                        "SELECT sequencename FROM pg_sequences WHERE schemaname = :schema"
                        " ORDER BY sequencename"
                    ),
                    {"schema": schema},
                )
                .scalars()
                .all()
            )
