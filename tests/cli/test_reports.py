"""`ceasefire report daily|issue|verify`: an issued report passes verify and rebuilds to
the same bytes; one byte changed, it fails; errors are one line naming the option."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from typer.testing import Result

from builders import ending, report, scenario
from ceasefire.domain.daily import DEFAULT_CUTOFF
from ceasefire.domain.measures import MeasureKind, MeasureStatus
from ceasefire.domain.regimes import Extension
from ceasefire.domain.workflow import Confidence, Finding, Role
from ceasefire.reports import documents, renderers
from ceasefire.scenarios import DEMO_SCENARIOS
from ceasefire.services.accounts import Accounts
from ceasefire.services.daily_reports import sha256_of
from ceasefire.services.findings import Assessing, assess, propose_measure, set_status
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.merges import merge_incidents
from ceasefire.services.regimes import extend_regime
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from conftest import PASSWORD_MEMORY_KIB

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


def _report_day() -> date:
    """The day whose report holds what is recorded now, in Damascus (after the cut-off,
    the next day's)."""
    now = datetime.now(UTC).astimezone(ZoneInfo("Asia/Damascus"))
    return now.date() if now.time() < DEFAULT_CUTOFF else now.date() + timedelta(days=1)


def test_an_issued_report_rebuilds_the_same_after_the_records_it_shows_change(
    run: Run, ledger: Ledger, tmp_path: Path
) -> None:
    """Issued (with an incident of months before, assessed that day), then a measure
    agreed, a second co-chair's finding, an earlier incident assessed, two incidents merged
    and the regime extended: a report built now differs, yet the issued one is rebuilt
    from the ledger as it was, to the same bytes."""
    load_scenario(ledger, ending(scenario(), datetime.now(UTC) + timedelta(days=10)))
    db, day = ledger.db, _report_day()
    first = submit_report(ledger, report("wire-a", day=day), scope=None)
    second = submit_report(ledger, report("wire-b", day=day, lon=36.7, lat=34.7), scope=None)
    older = submit_report(ledger, report("wire-c", day=day - timedelta(days=3)), scope=None)
    # long before the report's 30 days: in it only as assessed that day
    ancient = submit_report(ledger, report("wire-d", day=day - timedelta(days=90)), scope=None)
    accounts = Accounts(db, memory_kib=PASSWORD_MEMORY_KIB)
    us = accounts.add_user("us", "us-officer", role=Role.OFFICER, password=None)
    ru = accounts.add_user("ru", "ru-officer", role=Role.OFFICER, password=None)
    violation = Assessing(Finding.VIOLATION, Confidence.HIGH, "seen", agreement_id="syria")
    assess(ledger, us, first.incident_id, violation)
    assess(ledger, us, ancient.incident_id, violation)
    measure = propose_measure(
        ledger,
        us,
        first.incident_id,
        kind=MeasureKind.COMMUNICATION,
        description="MEASURE-TO-AGREE",
        owner_party="ru",
        due=day,
    )
    ledger.checkpoint_now()
    issued = tmp_path / "issued.html"
    options = ["--agreement", "syria", "--date", day.isoformat(), "--format", "html"]
    result = run("report", "issue", *options, "-o", str(issued))
    assert result.exit_code == 0, result.output
    text = issued.read_text(encoding="utf-8")
    assert "2 incidents since the last report" in text and "MEASURE-TO-AGREE" in text

    set_status(ledger, ru, measure.id, MeasureStatus.AGREED)
    assess(ledger, ru, first.incident_id, violation)
    assess(ledger, us, older.incident_id, violation)
    merge_incidents(ledger, [first.incident_id, second.incident_id], confirm_far=True)  # 138 km
    extend_regime(ledger, "coh", Extension(datetime.now(UTC) + timedelta(days=30), note="more"))
    now = tmp_path / "now.html"
    assert run("report", "daily", *options, "-o", str(now)).exit_code == 0
    fresh = now.read_text(encoding="utf-8")
    assert "1 incident since the last report" in fresh
    assert f">{ancient.incident_id}</td>" in text and f">{ancient.incident_id}</td>" in fresh
    assert f">{older.incident_id}</td>" in fresh and f">{older.incident_id}</td>" not in text

    verified = run("report", "verify", str(issued))
    assert verified.exit_code == 0, verified.output
    assert "rebuilt from the ledger's state: the same bytes" in verified.output
    body = bytearray(issued.read_bytes())
    body[len(body) // 2] ^= 0x01
    tampered = tmp_path / "tampered.html"
    tampered.write_bytes(bytes(body))
    failed = run("report", "verify", str(tampered))
    assert failed.exit_code == 1 and "NOT ISSUED" in failed.output
    assert run("ledger", "verify").exit_code == 0


def test_an_issued_report_of_a_ledger_rewritten_since_is_not_rebuilt(
    loaded: Run, db: Database, tmp_path: Path
) -> None:
    issued = tmp_path / "issued.html"
    result = loaded("report", "issue", *DAY, "--format", "html", "-o", str(issued))
    assert result.exit_code == 0, result.output
    with db.transaction() as conn:  # every hash of the tree, so every root
        conn.execute(update(t.ledger_entries).values(leaf_hash=bytes(32)))
        conn.execute(update(t.ledger_subtrees).values(hash=bytes(32)))
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 1
    assert "REBUILT DIFFERENTLY: the ledger's root at size " in verified.output
    assert "the ledger was rewritten since" in verified.output


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[Path]:
    """A copy of the report's templates that both drawing and the record of what drew a
    report read, as another installation's would be (the caches cleared on either side)."""
    copy = tmp_path / "templates"
    shutil.copytree(documents.TEMPLATES, copy)
    caches = (documents._environment, renderers._renderer)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "TEMPLATES", copy)
        patch.setattr(renderers, "TEMPLATES", copy)
        for cache in caches:
            cache.cache_clear()
        yield copy
    for cache in caches:
        cache.cache_clear()


def _issue_html(run: Run, tmp_path: Path) -> Path:
    issued = tmp_path / "issued.html"
    result = run("report", "issue", *DAY, "--format", "html", "-o", str(issued))
    assert result.exit_code == 0, result.output
    return issued


def test_a_report_drawn_otherwise_here_is_not_compared_and_the_difference_is_named(
    loaded: Run, templates: Path, tmp_path: Path
) -> None:
    issued = _issue_html(loaded, tmp_path)
    before = renderers.renderer("en", "html")
    page = templates / "daily.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- another release -->\n", "utf-8")
    renderers._renderer.cache_clear()
    documents._environment.cache_clear()
    after = renderers.renderer("en", "html")
    assert after["drawing"] != before["drawing"]
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 3, verified.output
    said = " ".join(verified.output.split())
    assert f"drawn by ceasefire {before['ceasefire']}, drawing {before['drawing']}, Babel " in said
    assert "NOT COMPARED: this installation draws the report otherwise" in said
    assert f"drawing: {before['drawing']} when issued, {after['drawing']} here" in said
    assert "REBUILT DIFFERENTLY" not in said
    assert loaded("ledger", "verify").exit_code == 0


def test_a_report_issued_under_other_rules_of_derivation_is_not_compared(
    loaded: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild derives the incidents again, so a release whose rules derive them otherwise
    (a higher ``RULES_VERSION``) is another renderer, named, not a changed ledger."""
    issued = _issue_html(loaded, tmp_path)
    recorded = renderers.renderer("en", "html")["rules"]
    monkeypatch.setattr(renderers, "RULES_VERSION", int(recorded) + 1)
    renderers._renderer.cache_clear()
    drawn = documents.daily_html  # and the new rules count otherwise
    monkeypatch.setattr(documents, "daily_html", lambda *a, **k: drawn(*a, **k) + "\n")
    try:
        verified = loaded("report", "verify", str(issued))
    finally:
        renderers._renderer.cache_clear()
    assert verified.exit_code == 3, verified.output
    said = " ".join(verified.output.split())
    assert f"rules: {recorded} when issued, {int(recorded) + 1} here" in said
    assert "REBUILT DIFFERENTLY" not in said


def test_a_report_recorded_before_the_rules_were_is_compared_byte_for_byte(
    loaded: Run, db: Database, tmp_path: Path
) -> None:
    issued = _issue_html(loaded, tmp_path)
    earlier = {k: v for k, v in renderers.renderer("en", "html").items() if k != "rules"}
    _ledger_says(db, renderer=earlier)
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 0, verified.output
    assert "the same bytes" in verified.output


def test_a_rebuild_that_differs_though_drawn_alike_blames_the_ledger_or_the_derivation(
    loaded: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = _issue_html(loaded, tmp_path)
    drawn = documents.daily_html  # derived otherwise by code outside what `drawing` digests
    monkeypatch.setattr(documents, "daily_html", lambda *a, **k: drawn(*a, **k) + "\n")
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 1
    said = " ".join(verified.output.split())
    assert "REBUILT DIFFERENTLY" in said and "though drawn by the same software" in said


def test_a_report_issued_before_renderers_were_recorded_says_it_cannot_tell(
    loaded: Run, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = _issue_html(loaded, tmp_path)
    _ledger_says(db, renderer=None)  # as a daily_report/1 record is upgraded: null
    drawn = documents.daily_html
    monkeypatch.setattr(documents, "daily_html", lambda *a, **k: drawn(*a, **k) + "\n")
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 1
    said = " ".join(verified.output.split())
    assert "drawn by software it did not record" in said
    assert "REBUILT DIFFERENTLY" in said and "which did not record what drew the file" in said


def test_verify_reads_the_issued_record_from_the_ledger_not_from_its_row(
    loaded: Run, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row changed behind the ledger's back neither softens the verdict (another
    renderer in the row would say NOT COMPARED) nor makes a forged file issued."""
    issued = _issue_html(loaded, tmp_path)
    with db.transaction() as conn:
        conn.execute(update(t.daily_reports).values(renderer={"ceasefire": "9.9"}))
    drawn = documents.daily_html
    monkeypatch.setattr(documents, "daily_html", lambda *a, **k: drawn(*a, **k) + "\n")
    verified = loaded("report", "verify", str(issued))
    assert verified.exit_code == 1, verified.output
    assert "though drawn by the same software" in " ".join(verified.output.split())
    forged = tmp_path / "forged.html"
    forged.write_bytes(b"<html>forged</html>")
    with db.transaction() as conn:  # the row now names the forged file's hash
        conn.execute(update(t.daily_reports).values(sha256=sha256_of(forged.read_bytes())))
    refused = loaded("report", "verify", str(forged))
    assert refused.exit_code == 1 and "NOT ISSUED" in refused.output


def _ledger_says(db: Database, **changed: object) -> None:
    """A daily_report.migrated entry that states the issued record with ``changed``, signed
    by the host, as `ceasefire init` writes one (its row is left as it was)."""
    from ceasefire.services.ledger import Ledger
    from ceasefire.services.upgrades import documents as written
    from ceasefire.store import ledger as log_store
    from ceasefire.store.records import DAILY_REPORT
    from conftest import LEDGER_SECRET

    ledger = Ledger(db, secret=LEDGER_SECRET)
    with db.read() as conn:
        (row,) = conn.execute(select(t.daily_reports.c.id)).all()
        record = DAILY_REPORT.record((row.id,))
        latest = log_store.latest_sequences(conn, [record])[record]
        _, document = written(conn, [latest])[latest]
    assert document is not None
    with ledger.write() as writer:
        writer.migrated(DAILY_REPORT, (row.id,), {**document, **changed})
