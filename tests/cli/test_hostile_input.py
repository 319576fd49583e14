"""The command line's hostile-input corpus: every command that takes a file or a value,
given what a careless or hostile user gives it — garbage behind byte-order marks, wrong
encodings, oversized and deeply nested files, lone surrogates, ids and counts past 2**63,
times at the ends of the calendar, unknown parties, regimes and lists.

Each case must end with exit status 2 and one line naming the file, row, field or option,
with no traceback, and must write nothing: every table of the database, the ledger
included, holds as many rows after as before. Rows of a bulk event import are the one
documented exception: a bad row goes to the quarantine file, naming its row and column,
and the good rows are imported (tests/cli/test_cli.py), so those cases check the
quarantine instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ceasefire.scenarios import DEMO_SCENARIOS
from ceasefire.store.database import Database
from counts import row_counts

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "ingest" / "fixtures"
DATA = ROOT / "src" / "ceasefire" / "scenarios" / "data"
SYRIA = next(p for p in DEMO_SCENARIOS if p.name.startswith("syria"))
UCDP = str(FIXTURES / "ucdp_ged_sample.csv")
BIG = str(2**63)  # one past the largest 64-bit integer
SURROGATE = "\ud800"  # what a terminal's bytes that are not UTF-8 become in Python
GARBAGE = b"\x01\x02\xff\xfe garbage \x00\x81"
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
POLYGON = '{"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,35]]]}'
ACCESSIONS = "regime,date,change,settlement,lon,lat,channel,evidence\n"
NESTED = "[" * 100_000 + "]" * 100_000


def feature(geometry: str, **properties: str) -> str:
    props = ",".join(f'"{k}":"{v}"' for k, v in properties.items())
    return (
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        f'"geometry":{geometry},"properties":{{{props}}}}}]}}'
    )


FILES: dict[str, bytes | str] = {
    "empty.csv": b"",
    "image.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "nested.json": NESTED,
    "list.yaml": "- 1\n- 2\n",
    "deep.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "bomb.xml": (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>"
    ),
    "entity.xml": (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<CONSOLIDATED_LIST>&x;</CONSOLIDATED_LIST>"
    ),
    "other.xml": '<?xml version="1.0"?><root/>',
    "positions.json": '{"designations": [{"actor": "nusra", "position": ' + BIG + "}]}",
    "array.json": "[1, 2]",
    "formula.csv": 'actor\n"=HYPERLINK(""http://evil.example"",""x"")"\n',
    "member.csv": "actor\nnusra\n",
    "regime.csv": ACCESSIONS + "nowhere,2016-04-22,joined,X,41,37,c,e\n",
    "early.csv": ACCESSIONS + "syria-coh,0001-01-01,joined,X,41,37,c,e\n",
    "lon.csv": ACCESSIONS + f"syria-coh,2016-04-22,joined,X,{BIG},37,c,e\n",
    "nan.csv": ACCESSIONS + "syria-coh,2016-04-22,joined,X,nan,inf,c,e\n",
    "point.geojson": feature(
        '{"type":"Point","coordinates":[1,2]}', actor="isil", valid_from="2016-01-01"
    ),
    "actor.geojson": feature(POLYGON, actor="nobody", valid_from="2016-01-01"),
    "polygon.geojson": POLYGON,
    "collection.geojson": '{"type":"FeatureCollection","features":"x"}',
}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, content in FILES.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    for i, bom in enumerate(BOMS):
        (folder / f"bom{i}.csv").write_bytes(bom + GARBAGE)
    return folder


@pytest.fixture
def loaded(run: Run) -> Run:
    """The Syria scenario, a designation list of two members, and a few events."""
    assert run("load", str(SYRIA)).exit_code == 0
    made = run(
        "designations", "create", "issg", "--name", "ISSG", "--member", "us", "--member", "ru"
    )
    assert made.exit_code == 0, made.output
    ucdp = str(FIXTURES / "ucdp_ged_sample.csv")
    assert run("import", "events", ucdp, "--format", "ucdp").exit_code == 0
    return run


def refused(run: Run, db: Database, args: list[str], names: str) -> str | None:
    """What is wrong with the answer (None: nothing): it must exit 2 with one line naming
    ``names``, and write nothing."""
    before = row_counts(db)
    result = run(*args)
    shown = " ".join(args)
    lines = result.output.strip().splitlines()
    if result.exit_code != 2:
        return f"{shown}: exit {result.exit_code}: {result.output}"
    if len(lines) != 1 or not lines[0].startswith("error: ") or "Traceback" in result.output:
        return f"{shown}: not one line: {result.output}"
    if names not in lines[0]:
        return f"{shown}: {lines[0]!r} does not name {names!r}"
    if row_counts(db) != before:
        return f"{shown}: wrote to the database"
    return None


def add_regime(geometry: str, agreement: str = "syria-coh-2016", name: str = "n") -> list[str]:
    named = ["--id", "r1", "--agreement", agreement, "--name", name]
    return ["regimes", "add", *named, "--geometry", geometry]


def count_accessions(regime: str = "syria-coh") -> list[str]:
    return ["accessions", "count", "--regime", regime, "--from", "2016-01-01", "--to", "2016-02-01"]


def cases(files: Path, tmp_path: Path) -> list[tuple[list[str], str]]:
    f = {p.name: str(p) for p in files.iterdir()}
    out = str(tmp_path / "out.html")
    count = count_accessions()
    events = [
        ([*["import", "events", f[f"bom{i}.csv"]], "--format", fmt], message)
        for i in range(len(BOMS))
        for fmt, message in (("acled", "error: "), ("ucdp", "error: "), ("geojson", "bom"))
    ]
    return [
        *events,
        (["import", "events", f["empty.csv"], "-f", "ucdp"], "empty.csv: is empty"),
        (["import", "events", f["empty.csv"], "-f", "geojson"], "empty.csv: is not valid JSON"),
        (["import", "events", f["image.png"], "-f", "geojson"], "image.png: is not valid UTF-8"),
        (["import", "events", f["image.png"], "-f", "acled"], "give its encoding with --encoding"),
        (["import", "events", f["nested.json"], "-f", "geojson"], "nested.json: is not valid"),
        (["import", "events", f["collection.geojson"], "-f", "geojson"], "FeatureCollection"),
        (["import", "events", str(files), "-f", "ucdp"], "hostile: cannot be read"),
        (["import", "events", f["empty.csv"], "-f", "ucdp", "--encoding", "rot-13x"], "encoding"),
        (["import", "events", UCDP, "-f", "ucdp", "--agreement", "nowhere"], "'nowhere'"),
        (["import", "events", UCDP, "-f", "ucdp", "--source", SURROGATE], "--source"),
        (["load", f["bom0.csv"]], "bom0.csv: is not UTF-8 text"),
        (["load", f["list.yaml"]], "list.yaml: [1, 2] is not a mapping"),
        (["load", f["deep.yaml"]], "nested more than 64 deep"),
        (["load", f["image.png"]], "image.png: is not UTF-8 text"),
        (["actors", "import-un", f["bom1.csv"]], "not a readable XML list"),
        (["actors", "import-un", f["bomb.xml"]], "bomb.xml: not a readable XML list"),
        (["actors", "import-un", f["entity.xml"]], "entity.xml: not a readable XML list"),
        (["actors", "import-un", f["other.xml"]], "the root element is <root>"),
        (["actors", "map", SURROGATE, "--party", "un", "--actor", "nusra"], "NAME"),
        (["actors", "map", "Some Name", "--party", "un", "--actor", "nobody"], "nobody"),
        (["actors", "map", "Some Name", "--party", "nobody", "--actor", "nusra"], "nobody"),
        (["designations", "submit", "issg", f["bom0.csv"], "--party", "ru"], "column 'actor'"),
        (["designations", "submit", "issg", f["empty.csv"], "--party", "ru"], "is empty"),
        (
            [
                "designations",
                "submit",
                "issg",
                f["nested.json"],
                "--party",
                "ru",
                "--format",
                "json",
            ],
            "nested.json: is not valid JSON",
        ),
        (
            [
                "designations",
                "submit",
                "issg",
                f["positions.json"],
                "--party",
                "ru",
                "--format",
                "json",
            ],
            "designations[0]: position",
        ),
        (
            [
                "designations",
                "submit",
                "issg",
                f["array.json"],
                "--party",
                "ru",
                "--format",
                "json",
            ],
            "designations[0]: is not an object",
        ),
        (
            ["designations", "submit", "issg", f["formula.csv"], "--party", "ru"],
            "row 1: '=HYPERLINK",
        ),
        (["designations", "submit", "issg", f["member.csv"], "--party", "nobody"], "'nobody'"),
        (["designations", "submit", "issg", f["member.csv"], "--party", "un"], "not a member"),
        (["designations", "submit", "nolist", f["member.csv"], "--party", "ru"], "nolist"),
        (["designations", "show", "issg", "--version", BIG], f"--version: {BIG}"),
        (["designations", "diff", "issg", "1", BIG], BIG),
        (["designations", "create", "l2", "--name", "x", "--member", "nobody"], "nobody"),
        (["accessions", "import", f["bom0.csv"], "--party", "un"], "has no column regime"),
        (["accessions", "import", f["regime.csv"], "--party", "un"], "'nowhere' does not exist"),
        (["accessions", "import", f["early.csv"], "--party", "un"], "before regime syria-coh"),
        (["accessions", "import", f["lon.csv"], "--party", "un"], "row 1, lon: "),
        (["accessions", "import", f["nan.csv"], "--party", "un"], "row 1, lon: nan"),
        (["accessions", "import", f["regime.csv"], "--party", "nobody"], "'nobody'"),
        (count_accessions("nowhere"), "'nowhere'"),
        (
            [*count, "--step", BIG],
            "--step",
        ),
        (
            [*count, "--step", str(2**40)],
            "step: ",
        ),
        (["control", "import", f["bom1.csv"], "--party", "un"], "bom1.csv: is not UTF-8"),
        (["control", "import", f["nested.json"], "--party", "un"], "nested too deep"),
        (["control", "import", f["point.geojson"], "--party", "un"], "features[0].geometry"),
        (["control", "import", f["actor.geojson"], "--party", "un"], "properties.actor"),
        (
            [
                "control",
                "import",
                str(DATA / "syria_control_illustrative.geojson"),
                "--party",
                "nobody",
            ],
            "'nobody'",
        ),
        (["control", "at", "--lon", "1", "--lat", "1", "--date", "9999-99-99"], "--date"),
        (["humanitarian", "import", f["bom0.csv"]], "has no column 'HC_ID'"),
        (["humanitarian", "import", f["empty.csv"]], "is empty"),
        (["humanitarian", "show", BIG], BIG),
        (
            [
                "humanitarian",
                "record",
                "request",
                "x",
                "--requested-by",
                "y",
                "--date",
                "2016-01-01",
                "--people",
                BIG,
            ],
            "--people",
        ),
        (
            [
                "humanitarian",
                "record",
                "request",
                "x",
                "--requested-by",
                "y",
                "--date",
                "0000-01-01",
            ],
            "--date",
        ),
        (
            [*add_regime(f["polygon.geojson"]), "--start", "0001-01-01T00:00:00+02:00"],
            "--start: 0001-01-01T00:00:00+02:00 is outside the years 1 to 9999",
        ),
        (
            [
                *add_regime(f["polygon.geojson"]),
                "--start",
                "2016-01-01",
                "--end",
                "9999-12-31T23:59:59-14:00",
            ],
            "--end: ",
        ),
        (
            [*add_regime(f["bom0.csv"]), "--start", "2016-01-01"],
            "--geometry",
        ),
        (
            [*add_regime(f["nested.json"]), "--start", "2016-01-01"],
            "nested too deep",
        ),
        (
            [*add_regime(f["point.geojson"]), "--start", "2016-01-01"],
            "must be a Polygon",
        ),
        ([*add_regime(f["polygon.geojson"], name=SURROGATE), "--start", "2016-01-01"], "--name"),
        (
            [*add_regime(f["polygon.geojson"], agreement="nowhere"), "--start", "2016-01-01"],
            "'nowhere'",
        ),
        (
            [*add_regime(f["polygon.geojson"]), "--start", "2016-01-01", "--exclude", "nobody"],
            "'nobody'",
        ),
        (["regimes", "extend", "syria-coh", "--new-end", "9999-12-31T23:59:59-14:00"], "--new-end"),
        (["regimes", "extend", "nowhere", "--new-end", "2017-01-01"], "nowhere"),
        (
            ["report", "daily", "--agreement", "syria-coh-2016", "--date", "2016-02-30", "-o", out],
            "--date",
        ),
        (
            [
                "report",
                "daily",
                "--agreement",
                "syria-coh-2016",
                "--date",
                "2016-03-01",
                "--lang",
                "xx",
                "-o",
                out,
            ],
            "--lang",
        ),
        (
            [
                "report",
                "daily",
                "--agreement",
                "syria-coh-2016",
                "--date",
                "2016-03-01",
                "--lang",
                SURROGATE,
                "-o",
                out,
            ],
            "--lang",
        ),
        (
            ["report", "daily", "--agreement", "nowhere", "--date", "2016-03-01", "-o", out],
            "nowhere",
        ),
        (
            [
                "report",
                "daily",
                "--agreement",
                "syria-coh-2016",
                "--date",
                "2016-03-01",
                "-o",
                f"{f['empty.csv']}/r.html",
            ],
            f"{f['empty.csv']}/r.html",
        ),
        (
            [
                "report",
                "issue",
                "--agreement",
                "syria-coh-2016",
                "--date",
                "9999-12-31",
                "--format",
                "html",
                "-o",
                out,
            ],
            "date",
        ),
        (["incidents", "list", "--limit", BIG], "--limit"),
        (["incidents", "list", "--from", "0001-01-01T00:00:00+02:00"], "--from"),
        (["incidents", "list", "--to", "9999-12-31T23:59:59-14:00"], "--to"),
        (["incidents", "list", "--bbox", "nan,nan,nan,nan"], "bbox"),
        (["incidents", "list", "--regime", "nowhere"], "nowhere"),
        (["incidents", "export", "-f", "csv", "--party", "nobody"], "nobody"),
        (
            ["incidents", "export", "-f", "csv", "-o", f"{f['empty.csv']}/x.csv"],
            f"{f['empty.csv']}/x.csv",
        ),
        (["measures", "list", "--limit", BIG], "--limit"),
        (["measures", "list", "--party", "nobody"], "nobody"),
        (["measures", "list", "--owner", "nobody"], "--owner: party 'nobody' does not exist"),
        (["measures", "list", "--agreement", "nowhere"], "agreement 'nowhere' does not exist"),
        (["accessions", "list", "--regime", "nowhere"], "regime 'nowhere' does not exist"),
        (["incidents", "list", "--event-type", "Nothing"], "--event-type: 'Nothing' is not"),
        (["ledger", "checkpoint", "--size", BIG], "--size"),
        (["ledger", "rotate-key", "--party", SURROGATE], "--party"),
        (["ledger", "rotate-key", "--party", "nobody"], "'nobody'"),
        (["ledger", "cosign", "--party", "nobody"], "nobody"),
        (["ledger", "verify", "--host-key", "garbage+1+2"], "--host-key"),
        (["users", "add", "x" + SURROGATE, "--party", "un"], "USERNAME: "),
        (["users", "add", "u1", "--party", "nobody"], "nobody"),
        (["users", "token", "admin", "--days", BIG], "--days"),
        (["parties", "add", SURROGATE, "--name", "x"], "PARTY_ID"),
        (["parties", "add", "p2", "--name", "x", "--kind", "alien"], "kind"),
    ]


def test_hostile_input_is_one_line_naming_what_is_wrong_and_writes_nothing(
    loaded: Run, db: Database, files: Path, tmp_path: Path
) -> None:
    every = cases(files, tmp_path)
    wrong = [w for args, names in every if (w := refused(loaded, db, args, names))]
    assert wrong == [], "\n".join(wrong)
    assert len(every) > 100


def ucdp_row(path: Path, changes: dict[str, str]) -> Path:
    with (FIXTURES / "ucdp_ged_sample.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow({**rows[0], **changes})
    path.write_bytes(text.getvalue().encode("utf-8", "surrogateescape"))
    return path


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"best": BIG, "high": BIG}, "best"),
        ({"latitude": "45", "longitude": "inf"}, "longitude"),
        ({"date_start": "0001-01-01", "date_end": "0001-01-01"}, "date_start"),
        ({"where_prec": BIG}, "where_prec"),
        ({"source_headline": "Донецк \udced\udca0\udc80"}, "source_headline"),  # a broken byte
        ({"date_start": "2031-01-01", "date_end": "2031-01-01"}, "date_start"),
    ],
    ids=[
        "fatalities past 2**63",
        "infinity",
        "year 1",
        "code past 2**63",
        "undecodable byte",
        "in the future",
    ],
)
def test_a_hostile_row_of_an_event_file_is_quarantined_naming_its_column(
    loaded: Run, db: Database, tmp_path: Path, changes: dict[str, str], column: str
) -> None:
    source = ucdp_row(tmp_path / "events.csv", {"id": "990001", **changes})
    quarantine = tmp_path / "bad.csv"
    before = row_counts(db)
    result = loaded("import", "events", str(source), "-f", "ucdp", "--quarantine", str(quarantine))
    assert result.exit_code == 0, result.output
    assert "imported 0, quarantined 1" in result.output
    assert row_counts(db) == before  # the bad row wrote nothing: no report, no ledger entry
    with quarantine.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["row"] == "1"
    assert f"'{column}'" in row["reason"].split(":")[0], row["reason"]


def test_a_broken_ceasefire_setting_is_one_line_naming_the_variable(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CEASEFIRE_TRUSTED_PROXIES", "10.0.0.5, proxy.example")
    result = run("incidents", "list")
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: CEASEFIRE_TRUSTED_PROXIES: ")
    assert "'proxy.example' is not an IP address or network" in result.output
