"""`ceasefire ledger rotate-key`: a new key named by an entry the old key signs, which
`ledger verify` accepts and reports, on the database and on a bundle."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from ceasefire.cli import app
from ceasefire.ledger import SignedEntry
from ceasefire.scenarios import DEMO_SCENARIOS
from ceasefire.store import tables as t
from ceasefire.store.database import Database

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
UKRAINE = next(p for p in DEMO_SCENARIOS if p.name.startswith("ukraine"))
Run = Callable[..., Result]


def offline(*args: str) -> Result:
    return CliRunner().invoke(app, ["--db", "/nonexistent/folder/x.sqlite", *args])


def keys_of(db: Database, party: str) -> list[tuple[str, bool]]:
    """(key id, revoked) of a party's keys, oldest first."""
    keys = t.party_keys
    query = select(keys.c.key_id, keys.c.revoked).where(keys.c.party_id == party)
    with db.read() as conn:
        rows = conn.execute(query.order_by(keys.c.created)).all()
    return [(key_id, revoked is not None) for key_id, revoked in rows]


def last_entry(db: Database) -> SignedEntry:
    entries = t.ledger_entries
    with db.read() as conn:
        leaf = conn.execute(
            select(entries.c.leaf).order_by(entries.c.sequence.desc()).limit(1)
        ).scalar_one()
    return SignedEntry.from_leaf(bytes(leaf))


def rotated_at(output: str, party: str) -> int:
    line = next(x for x in output.splitlines() if x.startswith(f"party {party}: key rotated"))
    return int(line.split(" at entry ")[1].split(",")[0])


def test_the_host_and_a_party_rotate_and_the_log_verifies_reporting_both(
    run: Run, db: Database, tmp_path: Path
) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    assert run("ledger", "cosign", "--party", "osce-smm").exit_code == 0  # osce-smm gets a key
    ((host_old, _),) = keys_of(db, "host")
    rotated = run("ledger", "rotate-key", "--party", "host")
    assert rotated.exit_code == 0, rotated.output
    at = rotated_at(rotated.output, "host")
    assert f"signed by the old key {host_old}" in rotated.output
    assert run("ledger", "rotate-key", "--party", "osce-smm").exit_code == 0
    (_, old_revoked), (host_new, new_revoked) = keys_of(db, "host")
    assert (old_revoked, new_revoked) == (True, False)
    imported = run("import", "events", str(FIXTURES / "ucdp_ged_sample.csv"), "--format", "ucdp")
    assert imported.exit_code == 0, imported.output
    assert last_entry(db).entry.author_key_id == host_new  # signed by the new key from then on

    checked = run("ledger", "verify")
    assert checked.exit_code == 0, checked.output
    assert (
        f"party host: key rotated at entry {at}, signed by the old key ({host_old} → {host_new})"
        in checked.output
    )
    assert "party osce-smm: key rotated at entry" in checked.output
    assert run("ledger", "export", str(tmp_path / "b")).exit_code == 0
    bundle = offline("ledger", "verify", str(tmp_path / "b"))
    assert bundle.exit_code == 0, bundle.output
    assert f"party host: key rotated at entry {at}, signed by the old key" in bundle.output


def test_a_checkpoint_kept_before_a_rotation_still_pins_the_log(run: Run, tmp_path: Path) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    kept = tmp_path / "kept.txt"
    kept.write_text(run("ledger", "checkpoint").output, encoding="utf-8")
    assert run("ledger", "rotate-key", "--party", "host").exit_code == 0
    assert run("ledger", "rotate-key", "--party", "host").exit_code == 0  # and again
    checked = run("ledger", "verify", "--trusted-checkpoint", str(kept))
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("party host: key rotated") == 2


def test_a_bundle_whose_rotation_is_signed_by_the_new_key_fails_naming_it(
    run: Run, tmp_path: Path
) -> None:
    """Re-sign the rotation with the new key (as one who holds only the new key would): the
    change of signer is named, and so is every entry after it."""
    assert run("load", str(UKRAINE)).exit_code == 0
    assert run("ledger", "rotate-key", "--party", "host").exit_code == 0
    assert run("ledger", "export", str(tmp_path / "b")).exit_code == 0
    entries = tmp_path / "b" / "entries.jsonl"
    lines = entries.read_bytes().splitlines()
    at = next(i for i, line in enumerate(lines) if b'"kind":"key.rotated"' in line)
    rotation = json.loads(lines[at])
    new_id = rotation["entry"]["record"].rsplit("/", 1)[1]
    rotation["entry"]["author_key_id"] = new_id  # claims to be signed by the new key
    lines[at] = json.dumps(rotation, separators=(",", ":"), sort_keys=True).encode()
    entries.write_bytes(b"\n".join(lines) + b"\n")
    result = offline("ledger", "verify", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert f"entry {at} (key.rotated key:host/{new_id} by host)" in result.stderr
    assert "not by a key host held before it" in result.stderr
    assert "key rotated" not in result.stdout


def test_rotating_an_unknown_party_or_one_with_no_key_is_one_line_and_writes_nothing(
    run: Run, db: Database
) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    with db.read() as conn:
        size = conn.execute(select(func.count()).select_from(t.ledger_entries)).scalar_one()
    unknown = run("ledger", "rotate-key", "--party", "nobody")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == "error: party: 'nobody': no such party"
    keyless = run("ledger", "rotate-key", "--party", "ru")
    assert keyless.exit_code == 2
    assert "party 'ru' has no key to rotate" in keyless.stderr
    assert len(keyless.stderr.strip().splitlines()) == 1
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.ledger_entries)).scalar_one() == size


def test_serve_refuses_a_host_party_that_is_not_the_logs_host(
    run: Run, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.connect_args:
        pytest.skip("serve opens the database by its URL, outside the test's throwaway schema")
    assert run("load", str(UKRAINE)).exit_code == 0  # its host is "host", the default
    monkeypatch.setenv("CEASEFIRE_HOST_PARTY", "osce-smm")
    # were the host not checked first, serve would stop at the missing secret, not serve
    monkeypatch.delenv("CEASEFIRE_LEDGER_SECRET")
    monkeypatch.setenv("CEASEFIRE_REQUIRE_SECRET", "true")
    refused = run("serve", "--port", "1")
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "error: CEASEFIRE_HOST_PARTY: this log's host is 'host', not 'osce-smm': a log has "
        "one host, the party whose key it registered first as its origin (unset it, or set "
        "host)"
    )


def test_a_host_key_given_to_trust_holds_across_the_hosts_rotation(
    run: Run, tmp_path: Path
) -> None:
    """Pinning the host's first key, or its new one, verifies checkpoints on both sides of
    the rotation; a key the log never registered for its host verifies none."""
    assert run("load", str(UKRAINE)).exit_code == 0
    assert run("ledger", "rotate-key", "--party", "host").exit_code == 0
    imported = run("import", "events", str(FIXTURES / "ucdp_ged_sample.csv"), "--format", "ucdp")
    assert imported.exit_code == 0
    assert run("ledger", "export", str(tmp_path / "b")).exit_code == 0
    first, second = (tmp_path / "b" / "keys.txt").read_text().splitlines()[:2]
    assert first.split("+")[0] == second.split("+")[0] == "ceasefire.localhost/ledger"
    for pinned in (first, second):
        checked = offline("ledger", "verify", str(tmp_path / "b"), "--host-key", pinned)
        assert checked.exit_code == 0, checked.output
    stranger = "ceasefire.localhost/ledger+7597dd73+AT9/kFJ/KNFzEWku1B1JmGqkXiF3pwwDy2H305tOvyvq"
    forged = offline("ledger", "verify", str(tmp_path / "b"), "--host-key", stranger)
    assert forged.exit_code == 1
    assert "checkpoint of size" in forged.stderr
