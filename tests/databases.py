"""Fresh databases for the tests, fast: each test's database is a copy of one migrated once.

Migrating a new database runs every Alembic migration: about a second on SQLite and two on
PostgreSQL + PostGIS, for each of the suite's ~1,500 databases: 110 of 250 seconds in a
sample of 143 tests (30 seconds with these copies). So a test worker migrates one SQLite
file and copies it for each test (a copy is the same file, byte for byte), and keeps
PostgreSQL schemas migrated once: after a test its schema is emptied (its rows deleted,
sequences restarted) and used again, unless the test changed the schema's shape (a column
added, the Alembic revision set back: ``_SHAPE``), in which case it is dropped and the next
test gets a newly migrated one. Either way a test starts from the tables, rows, sequences
and activity counters ``Database.migrate`` leaves in a new database (PostgreSQL's planner
statistics of an earlier test aside).
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
# sequences) and their kinds, each column's name, type, NOT NULL and default, each
# constraint's kind and columns, trigger (and whether it is on), function body and
# comment — by name, never by oid (a schema's oids are its own) — as digests, read from the
# catalogues through their indexes on a relation's oid: about 15 ms (the catalogues of a
# test database are large, with every schema made and dropped; read by the schema's name
# alone, 235 ms)
_SHAPE = """
WITH rel AS MATERIALIZED (
  SELECT c.oid, c.relname, c.relkind FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema
), oids AS MATERIALIZED (SELECT array_agg(oid) AS all_ FROM rel)
SELECT concat(
  (SELECT md5(string_agg(relname || ':' || relkind::text, ',' ORDER BY relname)) FROM rel),
  (SELECT md5(string_agg(r.relname || '.' || a.attname || ':' || a.atttypid::text
                         || ':' || a.atttypmod::text || ':' || a.attnotnull::text || ':'
                         || replace(coalesce(pg_get_expr(d.adbin, d.adrelid), ''), :schema, ''),
                         ',' ORDER BY r.relname, a.attnum))
     FROM oids, pg_attribute a JOIN rel r ON r.oid = a.attrelid
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ANY (oids.all_) AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT md5(string_agg(conname || ':' || contype::text || ':' || conkey::text, ','
                         ORDER BY conname))
     FROM oids, pg_constraint WHERE conrelid = ANY (oids.all_)),
  (SELECT md5(string_agg(tgname || ':' || tgenabled::text, ',' ORDER BY tgname))
     FROM oids, pg_trigger WHERE tgrelid = ANY (oids.all_) AND NOT tgisinternal),
  (SELECT md5(string_agg(proname || ':' || prosrc, ',' ORDER BY proname))
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema),
  (SELECT md5(string_agg(r.relname || ':' || d.description, ',' ORDER BY r.relname))
     FROM oids, pg_description d JOIN rel r ON r.oid = d.objoid
     WHERE d.objoid = ANY (oids.all_)))
"""
# each table's activity counters, ``last_analyze`` among them, as a new table's
_FORGET_ACTIVITY = """
SELECT count(pg_stat_reset_single_table_counters(c.oid)) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relkind = 'r'
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
                conn.execute(text(_FORGET_ACTIVITY), {"schema": schema})
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
