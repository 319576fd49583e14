"""`ceasefire humanitarian ...`: record a location, a request, its decision and a
delivery; bad input one line naming the field, exit 2, nothing written; import, list,
show and summary; the ledger verifies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from builders import scenario
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from conftest import SHARED_DATA

Run = Callable[..., Result]
SAMPLE = Path(__file__).parents[1] / "ingest" / "fixtures" / "peacerep_corridors_sample.csv"
PEACEREP = SHARED_DATA / "agreements" / "peacerep_humanitarian_corridors_ukraine_2022.csv"


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def _refused(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: ") and message in line, line


def test_a_convoy_recorded_step_by_step_and_verified(run: Run, ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    _ok(
        run(
            "humanitarian",
            "record",
            "location",
            "madaya",
            "--name",
            "Madaya",
            "--lon",
            "36.1",
            "--lat",
            "33.69",
            "--agreement",
            "syria",
            "--party",
            "us",
        )
    )
    _ok(
        run(
            "humanitarian",
            "record",
            "status",
            "madaya",
            "besieged",
            "--since",
            "2015-07-01",
            "--source",
            "OCHA",
        )
    )
    made = _ok(
        run(
            "humanitarian",
            "record",
            "request",
            "madaya",
            "--requested-by",
            "OCHA",
            "--date",
            "2016-01-05",
            "--people",
            "40000",
            "--trucks",
            "44",
        )
    )
    request_id = made.split()[1]
    before = _ok(run("ledger", "verify"))

    _refused(
        run("humanitarian", "record", "delivery", request_id, "--date", "2016-01-09"),
        f"request_id: request {request_id} is not approved yet",
    )
    _refused(
        run(
            "humanitarian",
            "record",
            "decision",
            request_id,
            "denied",
            "--date",
            "2016-01-06",
            "--decided-by",
            "Syria",
        ),
        "reason: a denial needs its reason",
    )
    _refused(
        run(
            "humanitarian",
            "record",
            "decision",
            request_id,
            "approved",
            "--date",
            "2016-01-04",
            "--decided-by",
            "Syria",
        ),
        "decided: 2016-01-04 is before request",
    )
    _refused(
        run(
            "humanitarian",
            "record",
            "request",
            "nowhere",
            "--requested-by",
            "OCHA",
            "--date",
            "2016-01-05",
        ),
        "location_id: 'nowhere': no such humanitarian location",
    )
    _refused(
        run(
            "humanitarian",
            "record",
            "request",
            "madaya",
            "--requested-by",
            "OCHA",
            "--date",
            "2016-01-05",
            "--trucks",
            "-2",
        ),
        "trucks: -2 is negative",
    )
    _refused(
        run(
            "humanitarian",
            "record",
            "request",
            "madaya",
            "--requested-by",
            "OCHA",
            "--date",
            "5 Jan",
        ),
        "--date: '5 Jan' is not a day",
    )
    _refused(
        run("humanitarian", "record", "status", "madaya", "open", "--since", "2016-01-01"),
        "status: 'open' is not one of besieged, hard_to_reach, accessible",
    )
    _refused(
        run(
            "humanitarian",
            "record",
            "request",
            "madaya",
            "--requested-by",
            "OCHA",
            "--date",
            "2016-01-05",
            "--people",
            "99999999999999",
        ),
        "people: 99999999999999 is more than 100000000",
    )
    _refused(
        run("humanitarian", "record", "delivery", "99999999999999999", "--date", "2016-01-09"),
        "request_id: 99999999999999999: no such humanitarian request",
    )
    _refused(  # past 64 bits: refused before the command runs, naming the argument
        run("humanitarian", "record", "delivery", "99999999999999999999", "--date", "2016-01-09"),
        "REQUEST_ID: 99999999999999999999 is more than 9223372036854775807",
    )
    _refused(
        run(
            "humanitarian",
            "record",
            "location",
            "no spaces",
            "--name",
            "X",
            "--lon",
            "36",
            "--lat",
            "33",
        ),
        "id: 'no spaces' is not an id",
    )
    _refused(
        run("humanitarian", "record", "location", "x", "--name", "X", "--lon", "36", "--lat", "93"),
        "lat: 93.0 is outside -90..90",
    )
    assert _ok(run("ledger", "verify")) == before  # nothing was written

    _ok(
        run(
            "humanitarian",
            "record",
            "decision",
            request_id,
            "approved",
            "--date",
            "2016-01-07",
            "--decided-by",
            "Syria",
            "--party",
            "ru",
        )
    )
    _refused(
        run("humanitarian", "record", "delivery", request_id, "--date", "2016-01-06"),
        "delivered: 2016-01-06 is before request",
    )
    _ok(
        run(
            "humanitarian",
            "record",
            "delivery",
            request_id,
            "--date",
            "2016-01-11",
            "--people-reached",
            "40000",
            "--items",
            "food",
        )
    )

    shown = _ok(run("humanitarian", "show", "madaya"))
    assert "2015-07-01 besieged OCHA" in shown
    assert f"{request_id}\t2016-01-05\tconvoy\tOCHA\tapproved\t2016-01-07" in shown
    summary = _ok(run("humanitarian", "summary", "--from", "2016-01-01", "--json"))
    (row,) = [json.loads(line) for line in summary.splitlines()]
    assert row["status"] == "besieged" and row["people_reached"] == 40000
    assert row["last_delivery"] == "2016-01-11" and row["approved"] == 1
    verified = _ok(run("ledger", "verify"))
    assert "verified: no problems found" in verified


def test_the_sample_corridor_file_imports_and_lists(run: Run) -> None:
    _ok(run("init"))
    done = _ok(run("humanitarian", "import", str(SAMPLE)))
    assert "5 corridor requests (2 delivered), 3 new locations; 0 rows imported before" in done
    again = _ok(run("humanitarian", "import", str(SAMPLE)))
    assert "0 corridor requests (0 delivered), 0 new locations; 5 rows imported before" in again
    listed = _ok(run("humanitarian", "list")).strip().splitlines()
    assert listed[0].split("\t") == ["id", "name", "lat, lon", "status"]
    assert sorted(line.split("\t")[0] for line in listed[1:]) == [
        "enerhodar",
        "mariupol",
        "volnovakha",
    ]


def test_a_bad_corridor_file_is_one_line_and_nothing_is_imported(run: Run, tmp_path: Path) -> None:
    _ok(run("init"))
    bad = tmp_path / "bad.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace("47.09514", "")]) + "\n", "utf-8")
    _refused(
        run("humanitarian", "import", str(bad)),
        "row 1, column 'from_latitude': '' is not a number. Nothing was imported",
    )
    assert _ok(run("humanitarian", "list")).strip().splitlines()[1:] == []


@pytest.mark.shared_data
def test_the_peacerep_ukraine_file_imports_and_verifies(run: Run) -> None:
    _ok(run("init"))
    done = _ok(run("humanitarian", "import", str(PEACEREP)))
    assert "282 corridor requests (125 delivered), 85 new locations" in done
    summary = _ok(
        run("humanitarian", "summary", "--from", "2022-03-01", "--to", "2022-03-31", "--json")
    )
    rows = {r["location_id"]: r for r in map(json.loads, summary.splitlines())}
    assert sum(r["requests"] for r in rows.values()) == 155  # the rows of March
    assert rows["mariupol"]["deliveries"] > 0
    assert "verified: no problems found" in _ok(run("ledger", "verify"))


def test_a_name_is_printed_as_it_is_written(run: Run) -> None:
    _ok(run("init"))
    name = "[/bold] Zabadani [red]"
    _ok(
        run(
            "humanitarian",
            "record",
            "location",
            "zabadani",
            "--name",
            name,
            "--lon",
            "36.1",
            "--lat",
            "33.72",
        )
    )
    assert _ok(run("humanitarian", "show", "zabadani")).splitlines()[0].startswith(name)
