"""`ceasefire ledger verify|export|checkpoint` on a real database and on bundles."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, update
from typer.testing import CliRunner, Result

from ceasefire.cli import app
from ceasefire.scenarios import DEMO_SCENARIOS
from ceasefire.store import tables as t
from ceasefire.store.database import Database

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
Run = Callable[..., Result]
UKRAINE = next(p for p in DEMO_SCENARIOS if p.name.startswith("ukraine"))


def offline(*args: str) -> Result:
    """Run a command with no database at all."""
    return CliRunner().invoke(app, ["--db", "/nonexistent/folder/x.sqlite", *args])


def loaded(run: Run) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    imported = run("import", "events", str(FIXTURES / "ucdp_ged_sample.csv"), "--format", "ucdp")
    assert imported.exit_code == 0


def test_verify_export_and_verify_the_bundle_offline_against_a_kept_checkpoint(
    run: Run, tmp_path: Path
) -> None:
    loaded(run)
    checked = run("ledger", "verify")
    assert checked.exit_code == 0, checked.output
    assert "verified: no problems found" in checked.output
    kept = tmp_path / "kept.txt"
    kept.write_text(run("ledger", "checkpoint").output, encoding="utf-8")
    assert kept.read_text().startswith("ceasefire.localhost/ledger\n")
    exported = run("ledger", "export", str(tmp_path / "bundle"))
    assert exported.exit_code == 0 and "exported" in exported.output
    names = {p.name for p in (tmp_path / "bundle").iterdir()}
    assert names == {
        "README.md",
        "manifest.json",
        "entries.jsonl",
        "checkpoints",
        "keys.txt",
        "openings.jsonl",
    }
    bundle = offline(
        "ledger", "verify", str(tmp_path / "bundle"), "--trusted-checkpoint", str(kept)
    )
    assert bundle.exit_code == 0, bundle.output
    assert "verified" in bundle.output


def test_a_flipped_byte_in_a_bundle_fails_naming_the_entry(run: Run, tmp_path: Path) -> None:
    loaded(run)
    run("ledger", "export", str(tmp_path / "bundle"))
    entries = tmp_path / "bundle" / "entries.jsonl"
    lines = entries.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b'"sequence":3', b'"sequence":4')
    entries.write_bytes(b"\n".join(lines))
    result = offline("ledger", "verify", str(tmp_path / "bundle"))
    assert result.exit_code == 1
    first = next(line for line in result.stderr.splitlines() if line.strip())
    assert first.startswith("error: entry 3 ("), first


def test_an_older_checkpoint_copied_over_the_latest_is_found(run: Run, tmp_path: Path) -> None:
    loaded(run)
    run("ledger", "export", str(tmp_path / "bundle"))
    *older, latest = sorted((tmp_path / "bundle" / "checkpoints").glob("*.txt"))
    assert older, "the load and the import each sign a checkpoint"
    latest.write_bytes(older[-1].read_bytes())
    result = offline("ledger", "verify", str(tmp_path / "bundle"))
    assert result.exit_code == 1
    name = f"checkpoints/{latest.name}"
    assert f"{name}: holds the checkpoint of size" in result.stderr, result.stderr
    assert f"{name}: has SHA-256" in result.stderr


def test_a_file_changed_or_missing_against_the_manifest_is_named(run: Run, tmp_path: Path) -> None:
    loaded(run)
    run("ledger", "export", str(tmp_path / "bundle"))
    (tmp_path / "bundle" / "README.md").write_text("nothing to see", encoding="utf-8")
    (tmp_path / "bundle" / "keys.txt").unlink()
    result = offline("ledger", "verify", str(tmp_path / "bundle"))
    assert result.exit_code == 1
    assert "README.md: has SHA-256" in result.stderr
    assert "keys.txt: is missing: the manifest lists it" in result.stderr


def test_a_row_changed_in_the_database_fails_naming_its_entry(run: Run, db: Database) -> None:
    loaded(run)
    with db.transaction() as conn:
        report_id = conn.execute(select(t.reports.c.id).limit(1)).scalar_one()
        conn.execute(update(t.reports).where(t.reports.c.id == report_id).values(narrative="x"))
    result = run("ledger", "verify")
    assert result.exit_code == 1
    assert f"(report:{report_id}): the database row differs" in result.stderr
    assert "field 'narrative'" in result.stderr


def test_verify_refuses_what_is_not_a_bundle_with_exit_2(tmp_path: Path) -> None:
    result = offline("ledger", "verify", str(tmp_path))
    assert result.exit_code == 2
    assert "holds no entries.jsonl" in result.stderr


def test_a_bundle_manifest_names_its_size_and_files(run: Run, tmp_path: Path) -> None:
    loaded(run)
    run("ledger", "export", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["origin"] == "ceasefire.localhost/ledger"
    assert manifest["size"] == len((tmp_path / "b" / "entries.jsonl").read_bytes().splitlines())
    assert "entries.jsonl" in manifest["files"]


def test_parties_and_users_from_the_command_line(run: Run) -> None:
    assert (
        run(
            "parties", "add", "osce-smm", "--name", "OSCE SMM", "--kind", "monitoring_mission"
        ).exit_code
        == 0
    )
    made = run(
        "users", "add", "monitor-1", "--party", "osce-smm", "--role", "reporter", "--password-stdin"
    )
    assert made.exit_code == 2 and "password: is empty" in made.stderr
    assert (
        run("users", "add", "monitor-1", "--party", "osce-smm", "--role", "reporter").exit_code == 0
    )
    token = run("users", "token", "monitor-1", "--days", "7")
    assert token.exit_code == 0 and token.stdout.strip().startswith("cft_")
    listed = run("users", "list")
    assert "monitor-1\tosce-smm\treporter" in listed.stdout
    bad_role = run("users", "add", "x1", "--party", "osce-smm", "--role", "general")
    assert bad_role.exit_code == 2 and "role: 'general' is not one of" in bad_role.stderr
    duplicate = run("parties", "add", "osce-smm", "--name", "again")
    assert duplicate.exit_code == 2 and "exists already" in duplicate.stderr


SYRIA = next(p for p in DEMO_SCENARIOS if p.name.startswith("syria"))


def test_a_partys_bundle_opens_only_its_agreements_sealed_entries(run: Run, tmp_path: Path) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    assert run("load", str(SYRIA)).exit_code == 0
    imported = run(
        "import", "events", str(FIXTURES / "ucdp_ged_sample.csv"), "--format", "ucdp",
        "--agreement", "minsk-ii-2015",
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    checked = run("ledger", "verify")
    assert checked.exit_code == 0, checked.output
    sealed = int(checked.output.split(" sealed entries")[0].rsplit("\n", 1)[-1])
    assert f"{sealed} sealed entries, {sealed} of them opened and checked" in checked.output
    for party, opened in (("osce-smm", sealed), ("us", 0)):
        folder = tmp_path / party
        assert run("ledger", "export", str(folder), "--party", party).exit_code == 0
        lines = (folder / "openings.jsonl").read_bytes().splitlines()
        assert len(lines) == opened
        bundle = offline("ledger", "verify", str(folder))
        assert bundle.exit_code == 0, bundle.output
        assert f"{sealed} sealed entries, {opened} of them opened and checked" in bundle.output
    # an opening that does not open its entry
    path = tmp_path / "osce-smm" / "openings.jsonl"
    first, *rest = path.read_bytes().splitlines()
    opening = json.loads(first)
    opening["state"]["fatalities_best"] = 999
    changed = json.dumps(opening, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    path.write_bytes(b"\n".join([changed.encode(), *rest]) + b"\n")
    tampered = offline("ledger", "verify", str(tmp_path / "osce-smm"))
    assert tampered.exit_code == 1
    assert f"opening of entry {opening['sequence']}: is not what the entry commits to" in (
        tampered.output
    )


def test_an_unknown_party_or_agreement_is_one_clear_line(run: Run, tmp_path: Path) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    exported = run("ledger", "export", str(tmp_path / "b"), "--party", "nobody")
    assert exported.exit_code == 2
    assert "--party: party 'nobody' does not exist" in exported.output
    imported = run(
        "import", "events", str(FIXTURES / "ucdp_ged_sample.csv"), "--format", "ucdp",
        "--agreement", "nowhere",
    )  # fmt: skip
    assert imported.exit_code == 2
    assert "agreement 'nowhere' does not exist" in imported.output
