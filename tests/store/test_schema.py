from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect, text

from ceasefire.domain.errors import InvalidInputError
from ceasefire.store.database import HEAD, Database
from ceasefire.store.tables import metadata
from conftest import POSTGRES_URL


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_the_migrations_create_exactly_the_tables_the_code_queries(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # Only objects the migration adds on purpose beyond the metadata may differ.
    unexpected = [d for d in diff if not _is_spatial_extra(d)]
    assert unexpected == []


def _is_spatial_extra(change: object) -> bool:
    text_of = repr(change)
    return any(
        name in text_of
        for name in ("incidents_rtree", "spatial_ref_sys", "geom", "ix_incidents_geom")
    )


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65_536
        assert "incidents_rtree" in inspect(conn).get_table_names()


def test_migrating_twice_is_harmless_and_leaves_the_schema_current(db: Database) -> None:
    db.migrate()
    assert db.is_current()


def test_postgres_has_postgis_geometry_columns(db: Database) -> None:
    if db.dialect != "postgresql":
        return
    with db.read() as conn:
        kinds = dict(
            conn.execute(
                text(
                    "SELECT f_table_name, type FROM geometry_columns "
                    "WHERE f_table_schema = current_schema()"
                )
            ).all()
        )
    assert kinds == {"incidents": "POINT", "regimes": "GEOMETRY", "places": "GEOMETRY"}


def test_analyze_refreshes_the_planner_statistics(db: Database) -> None:
    db.analyze()
    with db.read() as conn:
        if db.dialect == "postgresql":
            analyzed = conn.execute(
                text(
                    "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                    "WHERE relname = 'incidents' AND schemaname = current_schema()"
                )
            ).scalar()
            assert analyzed is True
        else:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_an_exclusive_lock_is_held_by_one_holder_at_a_time(db: Database) -> None:
    other = Database(db.url, connect_args=db.connect_args)
    try:
        with db.exclusive("job") as first:
            assert first
            with other.exclusive("job") as second:
                assert not second  # a second process would skip its turn
            with other.exclusive("another job") as unrelated:
                assert unrelated
        with other.exclusive("job") as after:
            assert after  # released when the first block ended
    finally:
        other.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="set CEASEFIRE_TEST_POSTGRES to run on PostgreSQL")
def test_two_schemas_of_one_postgresql_database_hold_their_own_exclusive_locks(
    postgres_db: Database,
) -> None:
    """Advisory locks are the database's: two deployments (or tests) in schemas of one
    database must not take each other's turn."""
    elsewhere = Database(POSTGRES_URL, connect_args={"options": "-c search_path=public"})
    try:
        with postgres_db.exclusive("job") as here, elsewhere.exclusive("job") as there:
            assert here and there
    finally:
        elsewhere.dispose()


def test_the_whole_foreign_key_check_runs_only_when_a_migration_ran(tmp_path: Path) -> None:
    """SQLite checks every table's foreign keys after migrations (they run with the keys
    off); on a current database, which every command opens, that read of the whole file
    took seconds at a million incidents, for nothing."""
    db = Database(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    checks: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "foreign_key_check" in statement:
            checks.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        db.migrate()  # a new file: every migration runs, and the check after them
        assert len(checks) == 1
        db.migrate()  # current: nothing runs, nothing to check
        assert len(checks) == 1 and db.is_current()
    finally:
        db.engine.dispose()


def test_head_is_the_newest_migration_so_a_current_database_opens_without_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ceasefire.store.database import HEAD, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_opening_a_current_database_loads_no_alembic(tmp_path: Path) -> None:
    """A command opening a database already migrated does not import alembic (~0.3 s)."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Database(url).migrate()  # a new database: migrated, here with alembic
    script = (
        "import sys\n"
        "from ceasefire.store.database import Database\n"
        f"Database({url!r}).migrate()\n"
        "print('alembic' in sys.modules)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "False"


def test_a_database_a_newer_release_wrote_is_refused_with_its_schema_named(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    db = Database(url)
    db.migrate()
    newer = f"{int(HEAD) + 1:04d}"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{newer}'")
    with pytest.raises(InvalidInputError) as refused:
        Database(url).migrate()
    assert f"is at schema {newer}, newer than this release's {HEAD}" in str(refused.value)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == newer
