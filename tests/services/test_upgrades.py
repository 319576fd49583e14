"""Databases written by earlier releases upgrade and verify clean, on SQLite and PostgreSQL.

Each release's database is kept in tests/fixtures/releases/ (built by
scripts/build_release_fixture.py at the release's commit): the demo, a report, both
co-chairs' assessments, a measure agreed and commented on, a restriction. ``ceasefire
init`` migrates it (schema, then every record's state, in signed ``<kind>.migrated``
entries) and ``ceasefire ledger verify`` must find nothing wrong, while a row changed
behind the ledger's back before the upgrade is still named after it.
"""

from __future__ import annotations

import lzma
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Text, create_engine, select, text, update
from typer.testing import CliRunner, Result

from builders import report, scenario
from ceasefire.cli import app
from ceasefire.services.derivations import derive_all, derived_under_other_rules
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.upgrades import documents
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t
from ceasefire.store.database import Database, normalize_url
from ceasefire.store.records import REPORT
from conftest import POSTGRES_URL

RELEASES = Path(__file__).resolve().parents[1] / "fixtures" / "releases"
VERSIONS = sorted(p.name for p in RELEASES.iterdir() if p.is_dir())
SECRET = "release fixture secret"  # what scripts/build_release_fixture.py seals keys with
ORIGIN = "ceasefire.localhost/ledger"
Run = Callable[..., Result]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def restore(version: str, backend: str, tmp_path: Path) -> Iterator[Database]:
    """A release's database, as it wrote it (not migrated)."""
    if backend == "sqlite":
        path = tmp_path / "release.sqlite"
        with lzma.open(RELEASES / version / "demo.sqlite.xz") as packed, path.open("wb") as out:
            shutil.copyfileobj(packed, out)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    assert POSTGRES_URL
    schema = f"r_{uuid.uuid4().hex[:12]}"
    with lzma.open(RELEASES / version / "demo.postgresql.sql.xz") as packed:
        dump = packed.read()
    plain = normalize_url(POSTGRES_URL).replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", plain],
        input=dump.replace(b"release_fixture", schema.encode()),
        check=True,
        capture_output=True,
    )
    db = Database(POSTGRES_URL, connect_args={"options": f"-c search_path={schema},public"})
    yield db
    db.dispose()
    admin = create_engine(normalize_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=VERSIONS)
def release(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Database]:
    yield from restore(str(request.param), backend, tmp_path)


@pytest.fixture
def run(release: Database, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``ceasefire --db <the release's database> ...`` as its host runs it."""
    monkeypatch.setenv("CEASEFIRE_LEDGER_SECRET", SECRET)
    monkeypatch.setenv("CEASEFIRE_HOST_PARTY", "un")
    monkeypatch.setattr(
        "ceasefire.cli.common.Database",
        lambda url, **_kw: Database(url, connect_args=release.connect_args),
    )

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, ["--db", release.url, *args], catch_exceptions=False)

    return invoke


def test_a_release_database_upgrades_with_init_and_verifies_clean(run: Run) -> None:
    upgraded = run("init")
    assert upgraded.exit_code == 0, upgraded.output
    assert "migrated 2434 report records to report/1 (signed report.migrated entries)" in (
        upgraded.output
    )
    assert "migrated 5 regime records to regime/2" in upgraded.output
    assert "migrated 2 agreement records to agreement/2" in upgraded.output
    # incidents are derived: classified again under this release's rules, once
    assert "classified 2434 incidents again under this release's rules" in upgraded.output
    checked = run("ledger", "verify")
    assert checked.exit_code == 0, checked.output
    assert "verified: no problems found" in checked.output
    assert "2481 entries migrate records to later states, 2481 of them checked" in checked.output
    again = run("init")  # nothing more to migrate or derive
    assert again.exit_code == 0 and "migrated" not in again.output
    assert "classified" not in again.output


def test_the_migrations_verify_offline_in_a_bundle(run: Run, tmp_path: Path) -> None:
    assert run("init").exit_code == 0
    assert run("ledger", "export", str(tmp_path / "host")).exit_code == 0
    assert run("ledger", "export", str(tmp_path / "osce"), "--party", "osce-smm").exit_code == 0
    host = CliRunner().invoke(app, ["ledger", "verify", str(tmp_path / "host")])
    assert host.exit_code == 0, host.output
    assert "2481 entries migrate records to later states, 2481 of them checked" in host.output
    # a monitor of the other agreement opens none of the five sealed Syrian records
    osce = CliRunner().invoke(app, ["ledger", "verify", str(tmp_path / "osce")])
    assert osce.exit_code == 0, osce.output
    assert "2481 entries migrate records to later states, 2476 of them checked" in osce.output


def test_a_row_changed_before_the_upgrade_is_still_named_after_it(
    run: Run, release: Database
) -> None:
    with release.engine.begin() as conn:
        report = conn.execute(select(t.reports.c.id).order_by(t.reports.c.id).limit(1)).scalar()
        conn.execute(
            update(t.reports).where(t.reports.c.id == report).values(narrative="rewritten")
        )
        assessment = conn.execute(select(t.assessments.c.id).limit(1)).scalar()
        conn.execute(
            update(t.assessments)
            .where(t.assessments.c.id == assessment)
            .values(finding="no_violation")
        )
    assert run("init").exit_code == 0
    checked = run("ledger", "verify")
    assert checked.exit_code == 1
    named = {line.split(": the database row")[0] for line in checked.output.splitlines()}
    assert any(f"(report:{report})" in line for line in named), checked.output
    assert any(f"(assessment:{assessment})" in line for line in named), checked.output
    assert "differs from the report/1 state the entry wrote: field 'narrative'" in checked.output
    assert "the assessment/1 state the entry wrote: field 'finding'" in checked.output


def test_a_database_not_yet_migrated_says_to_run_init(release: Database) -> None:
    release.migrate()  # the schema only: no state migrated
    problems = verify_database(release, origin=ORIGIN).problems
    behind = {p.where: p.reason for p in problems}
    assert "run `ceasefire init` to migrate them" in behind["report"]
    assert behind["report"].startswith("2434 records are still written as an earlier state")


def test_init_without_the_secret_says_which_records_need_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CEASEFIRE_LEDGER_SECRET")
    refused = run("init")
    assert refused.exit_code == 2
    assert "set CEASEFIRE_LEDGER_SECRET to the secret the database was written with" in (
        refused.output
    )


def test_a_migration_that_is_not_the_declared_upgrade_is_named(release: Database) -> None:
    release.migrate()
    ledger = Ledger(release, secret=SECRET, host_party="un", seal_cost=10)
    with ledger.write() as writer:
        latest = writer.conn.execute(
            select(t.ledger_entries.c.sequence).where(t.ledger_entries.c.record == "report:1")
        ).scalar_one()
        _, document = documents(writer.conn, [latest])[latest]
        assert document is not None
        forged = {**REPORT.kind.upgraded(document), "narrative": "what the host wishes it said"}
        writer.migrated(REPORT, ["1"], forged)
    problems = verify_database(release, origin=ORIGIN).problems
    forged_problem = next(p for p in problems if "(report:1)" in p.where)
    assert forged_problem.reason == (
        f"is not the declared upgrade of entry {latest}'s report/0 state to report/1: "
        "field 'narrative'"
    )


@pytest.fixture
def extra_column() -> Iterator[Column[Any]]:
    """A column a later migration adds to reports (the test adds it to the database)."""
    column: Column[Any] = Column("extra_note", Text)
    yield column
    if column.table is not None:
        t.reports._columns.remove(column)


def test_a_migration_that_adds_a_column_to_a_shared_table_changes_no_state(
    ledger: Ledger, extra_column: Column[Any]
) -> None:
    load_scenario(ledger, scenario())
    submit_report(ledger, report("before"))
    with ledger.db.transaction() as conn:  # what the migration does: a column with a value
        conn.execute(text("ALTER TABLE reports ADD COLUMN extra_note TEXT"))
        conn.execute(text("UPDATE reports SET extra_note = 'filled in by the migration'"))
    t.reports.append_column(extra_column)  # and the release's tables know it
    assert verify_database(ledger.db, origin=ORIGIN).problems == []
    submit_report(ledger, report("after"))
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_incidents_derived_before_the_nearest_first_rule_are_derived_again(
    ledger: Ledger,
) -> None:
    """Migration 0029 marks a database holding incidents (derived under rules 3, unmarked)
    so that ``ceasefire init`` derives them again: a group three links from an excluded
    one, which the rows' order could leave out, is excluded then."""
    load_scenario(ledger, scenario())
    filed = submit_report(ledger, report("1", actors=("Syrian Arab Army",)))
    with ledger.db.transaction() as conn:  # as release 0028 left it: unmarked
        conn.execute(
            t.state_versions.delete().where(t.state_versions.c.kind == "derived:incidents")
        )
        conn.execute(text("UPDATE alembic_version SET version_num = '0028'"))
    assert not derived_under_other_rules(ledger.db)

    ledger.db.migrate()

    assert derived_under_other_rules(ledger.db)
    assert derive_all(ledger.db) == 1 and not derived_under_other_rules(ledger.db)
    with ledger.db.read() as conn:
        assert conn.execute(select(t.incidents.c.id)).scalars().all() == [filed.incident_id]
