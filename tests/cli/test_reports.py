"""`ceasefire report daily|issue|verify`: an issued report passes verify and rebuilds to
the same bytes; one byte changed, it fails; errors are one line naming the option."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ceasefire.scenarios import DEMO_SCENARIOS

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
UKRAINE = next(p for p in DEMO_SCENARIOS if p.name.startswith("ukraine"))
Run = Callable[..., Result]
DAY = ["--agreement", "minsk-ii-2015", "--date", "2015-04-02"]  # the sample has one event


@pytest.fixture
def loaded(run: Run) -> Run:
    assert run("load", str(UKRAINE)).exit_code == 0
    sample = str(FIXTURES / "ucdp_ged_sample.csv")
    assert run("import", "events", sample, "--format", "ucdp").exit_code == 0
    return run


@pytest.mark.parametrize("form", ["pdf", "html"])
def test_an_issued_report_verifies_and_one_changed_byte_fails(
    loaded: Run, tmp_path: Path, form: str
) -> None:
    issued = tmp_path / f"issued.{form}"
    result = loaded("report", "issue", *DAY, "--lang", "ru", "--format", form, "-o", str(issued))
    assert result.exit_code == 0, result.output
    assert "issued the ru " in result.output and "as ledger entry " in result.output
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 0, verified.output
    assert "rebuilt from the ledger's state: the same bytes" in verified.output
    body = bytearray(issued.read_bytes())
    body[len(body) // 2] ^= 0x01
    tampered = tmp_path / f"tampered.{form}"
    tampered.write_bytes(bytes(body))
    failed = loaded("report", "verify", str(tampered))
    assert failed.exit_code == 1
    assert "NOT ISSUED" in failed.output
    assert loaded("ledger", "verify").exit_code == 0


def test_a_days_report_is_issued_once(loaded: Run, tmp_path: Path) -> None:
    first = loaded("report", "issue", *DAY, "-o", str(tmp_path / "a.pdf"))
    assert first.exit_code == 0, first.output
    again = loaded("report", "issue", *DAY, "-o", str(tmp_path / "b.pdf"))
    assert again.exit_code == 2
    assert "was issued already" in again.output
    assert not (tmp_path / "b.pdf").exists()


def test_a_report_built_but_not_issued_is_not_verified(loaded: Run, tmp_path: Path) -> None:
    made = tmp_path / "daily.html"
    assert loaded("report", "daily", *DAY, "-o", str(made)).exit_code == 0
    assert '<html lang="en"' in made.read_text(encoding="utf-8")
    result = loaded("report", "verify", str(made))
    assert result.exit_code == 1
    assert "NOT ISSUED" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agreement", "nope", "--date", "2015-02-16"], "error: --agreement: 'nope' is not"),
        (["--agreement", "minsk-ii-2015", "--date", "16.02.2015"], "error: --date: "),
        ([*DAY, "--lang", "fr"], "error: --lang: 'fr' is not one of en, ru, ar"),
        ([*DAY, "--format", "docx"], "error: --format: 'docx' is not one of html, pdf"),
        ([*DAY, "--cutoff", "7pm"], "error: --cutoff: "),
        ([*DAY, "--party", "nobody"], "error: --party: "),
    ],
)
def test_bad_options_are_one_line_naming_the_option(
    loaded: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    result = loaded("report", "daily", *args, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert len(result.output.strip().splitlines()) == 1


def _late_event(tmp_path: Path) -> Path:
    """A UCDP GED file of one event of the report's day, near Donetsk, recorded later."""
    with (FIXTURES / "ucdp_ged_sample.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["date_start"].startswith("2015-04-02"))
    late = {**row, "id": "990001", "where_prec": "1", "latitude": "48.0", "longitude": "37.8"}
    late["where_coordinates"] = late["where_description"] = "LATE-EVENT-PLACE"
    path = tmp_path / "late.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(late)
    return path


def test_an_issued_report_rebuilds_the_same_after_a_later_report_of_its_day(
    loaded: Run, tmp_path: Path
) -> None:
    issued = tmp_path / "issued.html"
    result = loaded("report", "issue", *DAY, "--format", "html", "-o", str(issued))
    assert result.exit_code == 0, result.output
    late = loaded("import", "events", str(_late_event(tmp_path)), "--format", "ucdp")
    assert late.exit_code == 0, late.output
    now = tmp_path / "now.html"
    assert loaded("report", "daily", *DAY, "-o", str(now)).exit_code == 0
    assert "2 incidents since the last report" in now.read_text(encoding="utf-8")
    assert "1 incident since the last report" in issued.read_text(encoding="utf-8")
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 0, verified.output
    assert "the same bytes" in verified.output
