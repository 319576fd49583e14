from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from ceasefire.cli import app
from ceasefire.scenarios import DEMO_SCENARIOS
from ceasefire.store import mentions as mention_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
Run = Callable[..., Result]
UKRAINE = next(p for p in DEMO_SCENARIOS if p.name.startswith("ukraine"))


def test_broken_csv_imports_the_good_rows_and_quarantines_every_bad_one(
    run: Run, tmp_path: Path
) -> None:
    quarantine = tmp_path / "bad.csv"
    result = run(
        "import",
        "events",
        str(FIXTURES / "ucdp_ged_broken.csv"),
        "--format",
        "ucdp",
        "--quarantine",
        str(quarantine),
    )
    assert result.exit_code == 0, result.output
    assert "read 12, imported 3, quarantined 9, already present 0" in result.output
    with quarantine.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["row"]) for r in rows] == [2, 3, 4, 5, 6, 8, 9, 10, 11]
    reasons = {int(r["row"]): r["reason"] for r in rows}
    assert reasons[3] == "column 'latitude': 91.2 is outside -90..90"
    assert reasons[5] == "column 'where_coordinates' is not valid UTF-8 (byte 0xe9)"
    assert rows[0]["id"] and "where_coordinates" in rows[0]


def test_importing_the_same_file_again_adds_nothing(run: Run) -> None:
    path = str(FIXTURES / "ucdp_ged_sample.csv")
    first = run("import", "events", path, "--format", "ucdp")
    second = run("import", "events", path, "--format", "ucdp")
    imported = int(first.output.split("imported ")[1].split(",")[0])
    assert imported > 0
    assert f"imported 0, quarantined 0, already present {imported}" in second.output


def test_a_file_with_the_wrong_columns_fails_with_one_line_naming_them(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("id,latitude,longitude\n1,48,37\n", encoding="utf-8")
    result = run("import", "events", str(path), "--format", "ucdp")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and "missing columns for UCDP GED: " in lines[0]
    assert "date_start" in lines[0] and "where_prec" in lines[0]


def test_a_bad_scenario_fails_with_the_path_of_the_bad_key(run: Run, tmp_path: Path) -> None:
    text = UKRAINE.read_text(encoding="utf-8").replace("2015-02-15T00:00", "'2015-13-15'", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    (tmp_path / "data").symlink_to(UKRAINE.parent / "data")
    result = run("load", str(bad))
    assert result.exit_code == 2
    assert result.output.startswith(
        "error: agreements[0].regimes[0].start: '2015-13-15' is not a date"
    )


def test_load_import_and_export_incidents_as_csv_and_geojson(run: Run, tmp_path: Path) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    assert (
        run("import", "events", str(FIXTURES / "ucdp_ged_sample.csv"), "--format", "ucdp").exit_code
        == 0
    )
    exported = run("incidents", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    hashtags, rows = rows[0], rows[1:]  # the HXL hashtag row under the header
    assert hashtags["id"] == "#event+id" and hashtags["lat"] == "#geo+lat"
    assert rows, exported.output
    assert list(rows[0])[:13] == [
        "id",
        "report_source_ids",
        "time_start_utc",
        "time_end_utc",
        "time_precision",
        "lon",
        "lat",
        "location_precision",
        "event_type",
        "sub_event_type",
        "classification",
        "regime_ids",
        "reasons",
    ]
    assert all(r["report_source_ids"].startswith("ucdp-ged:") for r in rows)
    out = tmp_path / "incidents.geojson"
    result = run("incidents", "export", "--format", "geojson", "--output", str(out))
    assert result.exit_code == 0
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert len(collection["features"]) == len(rows)
    assert {f["properties"]["classification"] for f in collection["features"]} == {
        r["classification"] for r in rows
    }


@pytest.mark.parametrize("source", ["=HYPERLINK(1)", "+cmd", "@SUM(1)", "-1+1"])
def test_an_exported_cell_never_starts_like_a_formula(run: Run, source: str) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    sample = str(FIXTURES / "ucdp_ged_sample.csv")
    assert run("import", "events", sample, "--format", "ucdp", "--source", source).exit_code == 0
    exported = run("incidents", "export", "--format", "csv", "--no-hxl").output
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows and all(r["report_source_ids"].startswith(f"'{source}:") for r in rows)
    assert all(float(r["lon"]) for r in rows)  # numbers stay numbers


def test_regimes_add_and_extend_from_the_command_line(run: Run, tmp_path: Path) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    area = tmp_path / "area.geojson"
    area.write_text(
        json.dumps(
            {"type": "Polygon", "coordinates": [[[37, 48], [38, 48], [38, 49], [37, 49], [37, 48]]]}
        )
    )
    added = run(
        "regimes",
        "add",
        "--id",
        "easter-truce",
        "--agreement",
        "minsk-ii-2015",
        "--name",
        "Easter truce",
        "--geometry",
        str(area),
        "--start",
        "2015-04-12T00:00",
        "--end",
        "2015-04-13T00:00",
    )
    assert added.exit_code == 0, added.output
    missing = run("regimes", "extend", "nope", "--new-end", "2015-05-01")
    assert missing.exit_code == 2 and "regime 'nope' does not exist" in missing.output
    bad_date = run("regimes", "extend", "easter-truce", "--new-end", "tomorrow")
    assert bad_date.exit_code == 2 and "--new-end: 'tomorrow' is not an ISO 8601" in bad_date.output
    twice = run("regimes", "extend", "easter-truce", "--new-end", "2015-10-25T03:30")
    assert twice.exit_code == 2
    assert "--new-end: 2015-10-25T03:30 happened twice in Europe/Kyiv" in twice.output
    skipped = run("regimes", "extend", "easter-truce", "--new-end", "2015-03-29T03:30")
    assert skipped.exit_code == 2
    assert "--new-end: 2015-03-29T03:30 does not exist in Europe/Kyiv" in skipped.output
    with_offset = run("regimes", "extend", "easter-truce", "--new-end", "2015-10-25T03:30+02:00")
    assert with_offset.exit_code == 0, with_offset.output
    sooner = run("regimes", "extend", "easter-truce", "--new-end", "2015-10-25T03:30+02:00")
    assert sooner.exit_code == 2
    assert sooner.output.strip() == (
        "error: --new-end: 2015-10-25T03:30:00+02:00 is not after the end of regime "
        "'easter-truce' in force (2015-10-25T03:30:00+02:00): an extension moves the end later"
    )
    extended = run(
        "regimes",
        "extend",
        "easter-truce",
        "--new-end",
        "indefinite",
        "--note",
        "agreed by the TCG",
    )
    assert extended.exit_code == 0
    assert "indefinite" in extended.output
    assert "0 incidents reclassified" in added.output + extended.output  # no incidents there
    listing = run("regimes", "list")
    assert "easter-truce" in listing.output and "indefinite" in listing.output
    again = run("regimes", "extend", "easter-truce", "--new-end", "2016-01-01")
    assert again.exit_code == 2 and "'easter-truce' is open-ended already" in again.output
    late = run("regimes", "end", "easter-truce", "--at", "2015-04-11T00:00")
    assert late.exit_code == 2 and "--at: " in late.output and "not after the start" in late.output
    ended = run("regimes", "end", "easter-truce", "--at", "2015-09-01T00:00", "--note", "over")
    assert ended.exit_code == 0, ended.output
    assert "easter-truce now ends 2015-08-31T21:00:00+00:00" in ended.output
    listing = run("regimes", "list")
    assert "(ended early)" in listing.output


def test_regimes_extend_and_add_print_the_incidents_they_classified_anew(
    run: Run, tmp_path: Path
) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    events = tmp_path / "events.geojson"
    events.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": point},
                        "properties": {"source_id": day, "source": "omon", "date": day},
                    }
                    # before the Minsk II ceasefire (15 February 2015): outside any regime
                    for point, day in (([37.8, 48.01], "2015-01-10"), ([37.5, 48.5], "2015-01-20"))
                ],
            }
        )
    )
    assert run("import", "events", str(events), "--format", "geojson").exit_code == 0
    area = tmp_path / "area.geojson"
    area.write_text(
        json.dumps(
            {"type": "Polygon", "coordinates": [[[37, 48], [38, 48], [38, 49], [37, 49], [37, 48]]]}
        )
    )
    added = run(
        "regimes", "add", "--id", "winter-truce", "--agreement", "minsk-ii-2015",
        "--name", "Winter truce", "--geometry", str(area), "--start", "2015-01-01T00:00",
        "--end", "2015-01-15T00:00",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.output.strip() == (
        "added regime winter-truce; "
        "1 incident reclassified: 1 outside_regime -> potential_violation"
    )
    extended = run("regimes", "extend", "winter-truce", "--new-end", "2015-01-31T00:00")
    assert extended.exit_code == 0, extended.output
    (line,) = extended.output.strip().splitlines()
    assert line.endswith("; 1 incident reclassified: 1 outside_regime -> potential_violation")


def test_an_unreachable_database_is_one_line_with_exit_2() -> None:
    from typer.testing import CliRunner

    from ceasefire.cli import app

    result = CliRunner().invoke(app, ["--db", "postgresql://nobody@127.0.0.1:1/x", "init"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "error: database: cannot open postgresql+psycopg://nobody@127.0.0.1:1/x"
    )


def test_loading_a_file_that_would_undo_a_later_extension_is_refused_unless_forced(
    run: Run, tmp_path: Path
) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    extended = run("regimes", "extend", "minsk-ii-ceasefire", "--new-end", "2023-02-22T00:00")
    assert extended.exit_code == 0, extended.output
    same = run("load", str(UKRAINE))
    assert same.exit_code == 0
    assert "kept as changed since the file's last load: regime:minsk-ii-ceasefire" in same.output
    amended = tmp_path / "ukraine.yaml"
    amended.write_text(
        UKRAINE.read_text(encoding="utf-8").replace("APPROXIMATE AREA:", "AREA, APPROXIMATE:"),
        encoding="utf-8",
    )
    (tmp_path / "data").symlink_to(UKRAINE.parent / "data")
    refused = run("load", str(amended))
    assert refused.exit_code == 2
    (line,) = refused.output.strip().splitlines()
    assert line.startswith("error: loading ukraine-2015 would undo what was changed since")
    assert "regime:minsk-ii-ceasefire ('description', 'extensions')" in line
    forced = run("load", str(amended), "--force")
    assert forced.exit_code == 0, forced.output
    assert "undoing later changes: regime:minsk-ii-ceasefire" in forced.output
    listing = run("regimes", "list").output  # the file's end, as it says
    assert "2022-02-22 00:00" in listing and "2023-02-22" not in listing


def test_a_command_that_reads_never_makes_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nothing-here.sqlite"
    for args in (["incidents", "list"], ["ledger", "export", "out"], ["regimes", "list"]):
        result = CliRunner().invoke(app, ["--db", str(missing), *args])
        assert result.exit_code == 2, args
        assert f"no database at {missing}" in result.output and "ceasefire init" in result.output
    assert not missing.exists() and not (tmp_path / "ceasefire.sqlite").exists()
    assert CliRunner().invoke(app, ["--db", str(missing), "init"]).exit_code == 0
    assert missing.exists()


def test_a_list_says_when_it_is_cut_and_an_unknown_regime_is_an_error(run: Run) -> None:
    assert run("load", str(UKRAINE)).exit_code == 0
    sample = str(FIXTURES / "ucdp_ged_sample.csv")
    assert run("import", "events", sample, "--format", "ucdp").exit_code == 0
    cut = run("incidents", "list", "--limit", "2")
    assert cut.exit_code == 0
    found = re.search(r"2 of (\d+); use --limit for more", cut.output)
    assert found is not None and int(found.group(1)) > 2, cut.output
    whole = run("incidents", "list", "--limit", "1000")
    assert "use --limit" not in whole.output
    unknown = run("incidents", "list", "--regime", "no-such-regime")
    assert unknown.exit_code == 2 and "no-such-regime" in unknown.output


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r", "utf_16_le"])
def test_an_acled_file_in_a_russian_encoding_imports_intact(
    run: Run, tmp_path: Path, db: Database, codec: str
) -> None:
    text = (FIXTURES / "acled_sample.csv").read_text(encoding="utf-8")
    text = text.replace(
        "Vostok,Strelna,Strelna city,Strelna", "Донецкая область,Донецк,Донецк,Донецк"
    )
    path = tmp_path / "acled.csv"
    path.write_bytes(text.encode(codec))
    result = run("import", "events", str(path), "--format", "acled")
    assert result.exit_code == 0, result.output
    with db.read() as conn:
        places = {row.admin1 for row in conn.execute(select(t.reports.c.admin1))}
    assert "Донецкая область" in places


def test_a_file_whose_encoding_is_unclear_stops_and_asks(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_bytes("event_id_cnty,location\nX1,Дон\n".encode("cp1251"))
    result = run("import", "events", str(path), "--format", "acled")
    assert result.exit_code == 2
    assert "give its encoding with --encoding" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "bom", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
)
@pytest.mark.parametrize(
    "command",
    [("import", "events", "{path}", "--format", "acled"), ("load", "{path}")],
)
def test_garbage_behind_a_byte_order_mark_is_one_line(
    run: Run, tmp_path: Path, bom: bytes, command: tuple[str, ...]
) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(bom + b"\x01\x02\xff\xfe garbage \x00\x81")
    result = run(*(part.format(path=path) for part in command))
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) <= 3
    assert "Traceback" not in result.output


def test_an_embedded_database_keeps_its_secret_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CEASEFIRE_LEDGER_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "field.sqlite"
    runner = CliRunner()
    first = runner.invoke(app, ["--db", str(path), "load", str(UKRAINE)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    secret = tmp_path / "field.sqlite.secret"
    assert f"made a ledger secret in {secret}" in first.output
    assert secret.stat().st_mode & 0o777 == 0o600
    again = runner.invoke(app, ["--db", str(path), "load", str(UKRAINE)], catch_exceptions=False)
    assert again.exit_code == 0 and "made a ledger secret" not in again.output
    verified = runner.invoke(app, ["--db", str(path), "ledger", "verify"], catch_exceptions=False)
    assert "verified: no problems found" in verified.output


def test_a_production_server_refuses_to_start_without_an_explicit_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CEASEFIRE_LEDGER_SECRET", raising=False)
    monkeypatch.setenv("CEASEFIRE_REQUIRE_SECRET", "true")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.sqlite"), "serve"])
    assert result.exit_code == 2
    assert "CEASEFIRE_LEDGER_SECRET: is not set" in result.output
    assert not (tmp_path / "x.sqlite.secret").exists()


def test_serve_says_how_many_processes_and_requests_at_once_it_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[tuple[str, int]] = []

    def serve(app: str, host: str, port: int, workers: int) -> int:
        served.append((host, workers))
        return 0

    monkeypatch.setattr("ceasefire.cli.workers.serve", serve)
    monkeypatch.setenv("CEASEFIRE_THREADS", "6")
    db = str(tmp_path / "x.sqlite")
    result = CliRunner().invoke(app, ["--db", db, "serve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert served == [("127.0.0.1", 2)]
    assert "(API /api/v1, docs /docs; 2 processes, 6 requests at once in each)" in result.output
    alone = CliRunner().invoke(app, ["--db", db, "serve", "--workers", "1"])
    assert "(API /api/v1, docs /docs; 6 requests at once)" in alone.output


@pytest.mark.parametrize("niceness", [0, 7])
def test_an_event_import_lowers_its_own_cpu_priority_by_the_set_niceness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, niceness: int
) -> None:
    # in a process of its own: the import lowers the priority of the process that runs it
    monkeypatch.setenv("CEASEFIRE_IMPORT_NICENESS", str(niceness))
    code = (
        "import os, sys\n"
        "from typer.testing import CliRunner\n"
        "from ceasefire.cli import app\n"
        "before = os.nice(0)\n"
        "result = CliRunner().invoke(app, sys.argv[1:])\n"
        "print(result.exit_code, os.nice(0) - before)\n"
    )
    argv = ["--db", f"sqlite:///{tmp_path / 'n.sqlite'}", "import", "events"]
    argv += [str(FIXTURES / "ucdp_ged_sample.csv"), "--format", "ucdp"]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, env=os.environ
    )
    assert done.stdout.split() == ["0", str(niceness)], done.stderr


def test_a_load_of_actors_says_how_many_incidents_their_names_changed(
    run: Run, tmp_path: Path
) -> None:
    """Events imported before the register knew their sides: a file that adds an actor
    they name resolves them, and says so; it classifies nothing else (no exclusion moved)."""
    assert run("load", str(UKRAINE)).exit_code == 0
    sample = str(FIXTURES / "ucdp_ged_sample.csv")
    assert run("import", "events", sample, "--format", "ucdp").exit_code == 0
    unknown = run("actors", "unresolved").output.splitlines()
    name = unknown[1].split("\t")[0]  # the most mentioned name no actor matches
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "id: extra\ntitle: An actor the events name\n"
        "parties:\n- {id: ua, name: Ukraine, kind: state}\n"
        f"actors:\n- {{id: named-side, name: {json.dumps(name)}}}\n",
        encoding="utf-8",
    )
    loaded = run("load", str(extra))
    assert loaded.exit_code == 0, loaded.output
    assert re.search(
        r"\b\d+ incidents name actors resolved anew and were classified again", loaded.output
    )
    assert "  classified " not in loaded.output  # no other incident classified again
    assert name not in run("actors", "unresolved").output


def test_reclassify_with_names_finishes_what_an_interrupted_load_left(
    run: Run, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the same file again changes nothing, so it resolves nothing either: the
    names an interrupted load did not resolve wait for ``reclassify --names``."""
    assert run("load", str(UKRAINE)).exit_code == 0
    sample = str(FIXTURES / "ucdp_ged_sample.csv")
    assert run("import", "events", sample, "--format", "ucdp").exit_code == 0
    name = run("actors", "unresolved").output.splitlines()[1].split("\t")[0]
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "id: extra\ntitle: An actor the events name\n"
        "parties:\n- {id: ua, name: Ukraine, kind: state}\n"
        f"actors:\n- {{id: named-side, name: {json.dumps(name)}}}\n",
        encoding="utf-8",
    )
    with monkeypatch.context() as interrupted:  # stopped before its first turn
        interrupted.setattr(
            "ceasefire.services.scenarios.resolve_actors_again", lambda *a, **k: set()
        )
        assert run("load", str(extra)).exit_code == 0
    assert run("load", str(extra)).exit_code == 0  # the same file: nothing to do
    assert _naming(db, "named-side") == 0

    finished = run("reclassify", "--names")

    assert finished.exit_code == 0, finished.output
    assert re.search(r"\b\d+ incidents name actors resolved anew", finished.output)
    assert _naming(db, "named-side") > 0


def _naming(db: Database, actor_id: str) -> int:
    """How many stored reports name this actor, as resolved."""
    with db.read() as conn:
        stored = mention_store.mentions_page(conn, after_id=None, limit=100_000)
    return sum(any(m.actor_id == actor_id for m in s.actors) for s in stored)
