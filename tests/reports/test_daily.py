"""The daily report: the demo's days in each language, as HTML and PDF (the PDF's pages
rendered and looked at), what an outsider's copy leaves out, and errors naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from PIL import ImageStat
from shapely.geometry import box
from typer.testing import CliRunner

from builders import report, scenario
from ceasefire.cli import app
from ceasefire.domain.daily import DEFAULT_CUTOFF, window
from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.domain.regimes import Agreement, Party, Regime
from ceasefire.domain.visibility import Audience
from ceasefire.domain.workflow import Confidence, Finding, Role
from ceasefire.reports.daily import DailyReport, build_daily_report
from ceasefire.reports.documents import daily_document
from ceasefire.reports.languages import report_language
from ceasefire.services.accounts import Accounts
from ceasefire.services.findings import Assessing, assess
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import audience
from ceasefire.store.database import Database
from conftest import PASSWORD_MEMORY_KIB

DEMO_DAYS = [("syria-coh-2016", "2016-03-01"), ("minsk-ii-2015", "2015-02-16")]
KYIV = ZoneInfo("Europe/Kyiv")
DONBAS = box(37.0, 47.5, 40.0, 49.5)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with pytest.MonkeyPatch.context() as env:  # the demo command sets these for itself
        env.setenv("CEASEFIRE_HOST_PARTY", "un")
        env.setenv("CEASEFIRE_LEDGER_SECRET", "a demo secret")
        result = CliRunner().invoke(app, ["--db", f"sqlite:///{path}", "demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def _pages(pdf: bytes) -> list[ImageStat.Stat]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [ImageStat.Stat(page.render(scale=0.6).to_pil().convert("L")) for page in document]
    finally:
        document.close()


@pytest.mark.parametrize(("agreement", "day"), DEMO_DAYS)
@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_the_demos_daily_report_renders_in_each_language_as_html_and_pdf(
    demo: Database, agreement: str, day: str, lang: str
) -> None:
    everything = Audience.operator()
    on = date.fromisoformat(day)
    html, built = daily_document(demo, agreement, on, DEFAULT_CUTOFF, everything, lang, "html")
    text = html.decode("utf-8")
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in text
    assert built.total > 0 and built.listed == built.total
    assert all(f">{i.id}</td>" in text for g in built.groups for i in g.incidents)
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org", "")
    title = {"en": "Daily report", "ru": "Ежедневный отчёт", "ar": "التقرير اليومي"}[lang]
    assert f"<title>{title}" in text
    pdf, _ = daily_document(demo, agreement, on, DEFAULT_CUTOFF, everything, lang, "pdf")
    assert pdf.startswith(b"%PDF-")
    pages = _pages(pdf)
    assert 2 <= len(pages) <= 12
    for stat in pages:  # every page has ink on it, and is mostly paper
        low, high = stat.extrema[0]
        assert low < 80 and high == 255
        assert 200 < stat.mean[0] < 254.9
    assert min(s.mean[0] for s in pages) < 250  # the map, drawn in colour, is on a page


def test_an_arabic_time_keeps_its_day_period_on_its_line(demo: Database) -> None:
    afternoon = datetime(2016, 3, 1, 13, 15, tzinfo=UTC)
    arabic = report_language("ar")
    assert arabic.time(afternoon, "UTC").endswith("1:15\u00a0م")
    assert "\u00a0م" in arabic.datetime(afternoon, "UTC")
    assert report_language("en").time(afternoon, "UTC") == "1:15\u202fPM"  # CLDR's already
    html, _ = daily_document(
        demo, "syria-coh-2016", date(2016, 3, 1), DEFAULT_CUTOFF, Audience.operator(), "ar", "html"
    )
    text = html.decode("utf-8")
    assert "\u00a0م</td>" in text and " م</td>" not in text  # the incidents' times


def test_a_report_names_its_agreements_zone_by_its_city_in_the_reports_language(
    demo: Database,
) -> None:
    """The Russian report said "as of 19:30 (по времени Kyiv)", and so did its reasons."""
    said = {}
    for lang in ("ru", "ar", "en"):
        html, _ = daily_document(
            demo,
            "minsk-ii-2015",
            date(2015, 2, 16),
            DEFAULT_CUTOFF,
            Audience.operator(),
            lang,
            "html",
        )
        said[lang] = html.decode("utf-8")
    assert "(по времени Киев)</p>" in said["ru"] and "Kyiv" not in said["ru"]
    assert "بتوقيت \u2068كييف\u2069" in said["ar"] and "(Kyiv time)</p>" in said["en"]


def test_a_report_is_the_same_bytes_each_time_it_is_made(demo: Database) -> None:
    on = date(2016, 3, 1)
    made = [
        daily_document(
            demo, "syria-coh-2016", on, DEFAULT_CUTOFF, Audience.operator(), "ar", "pdf"
        )[0]
        for _ in range(2)
    ]
    assert made[0] == made[1]


def test_the_window_runs_from_the_day_befores_cutoff_in_the_agreements_zone() -> None:
    span = window(date(2015, 2, 16), time(19, 30), "Europe/Kyiv")
    assert span.start == datetime(2015, 2, 15, 19, 30, tzinfo=KYIV)
    assert span.end == datetime(2015, 2, 16, 19, 30, tzinfo=KYIV)


def test_bad_input_is_an_error_naming_the_field(demo: Database) -> None:
    everything = Audience.operator()
    on = date(2016, 3, 1)
    with pytest.raises(NotFoundError, match="agreement 'nope' does not exist"):
        daily_document(demo, "nope", on, DEFAULT_CUTOFF, everything, "en", "html")
    with pytest.raises(InvalidInputError, match=r"^lang: 'de' is not one of en, ru, ar"):
        daily_document(demo, "syria-coh-2016", on, DEFAULT_CUTOFF, everything, "de", "html")
    with pytest.raises(InvalidInputError, match=r"^format: 'doc'"):
        daily_document(demo, "syria-coh-2016", on, DEFAULT_CUTOFF, everything, "en", "doc")


def _two_agreements(ledger: Ledger) -> None:
    base = scenario()
    minsk = Agreement("minsk", "Minsk II", "Europe/Kyiv", co_chairs=("ru", "osce"))
    regime = Regime(
        id="minsk-line",
        agreement_id="minsk",
        name="Minsk II ceasefire",
        geometry=DONBAS,
        start=datetime(2015, 2, 15, tzinfo=KYIV),
        end=None,
        time_zone="Europe/Kyiv",
    )
    load_scenario(
        ledger,
        replace(
            base,
            parties=(*base.parties, Party("osce", "OSCE SMM")),
            agreements=(*base.agreements, minsk),
            regimes=(*base.regimes, regime),
        ),
    )


def test_an_outsiders_daily_report_holds_none_of_the_agreements_scoped_records(
    ledger: Ledger,
) -> None:
    _two_agreements(ledger)
    day = date(2015, 2, 16)
    secret = report("osce-1", source="osce", day=day, lon=37.8, lat=48.0)
    secret = replace(secret, narrative="SCOPED-MINSK-NARRATIVE")
    scoped = submit_report(ledger, secret, author="osce", scope="minsk")
    public = report("wire-1", source="wire", day=day, lon=38.6, lat=48.9)
    public = replace(public, narrative="OPEN-WIRE-NARRATIVE")
    submit_report(ledger, public, scope=None)
    db = ledger.db

    def read(party: str) -> str:
        body, _ = daily_document(
            db, "minsk", day, DEFAULT_CUTOFF, audience(db, party), "en", "html"
        )
        return body.decode("utf-8")

    insider, outsider = read("ru"), read("us")
    assert "SCOPED-MINSK-NARRATIVE" in insider and "OPEN-WIRE-NARRATIVE" in insider
    assert f">{scoped.incident_id}</td>" in insider
    assert "OPEN-WIRE-NARRATIVE" in outsider
    assert "SCOPED-MINSK-NARRATIVE" not in outsider
    assert f">{scoped.incident_id}</td>" not in outsider
    assert "This copy is for us, which is not a party of this agreement" in outsider
    assert "not a party of this agreement" not in insider


@pytest.mark.parametrize(("agreement", "day"), DEMO_DAYS)
def test_counts_and_the_trends_last_day_agree_with_the_days_incidents(
    demo: Database, agreement: str, day: str
) -> None:
    language = report_language("en")
    built = build_daily_report(
        demo, agreement, date.fromisoformat(day), DEFAULT_CUTOFF, Audience.operator(), language
    )
    assert sum(c.today for c in built.by_classification) == built.total == len(built.mapped)
    assert sum(c.today for c in built.by_joint) == built.total
    for trend in built.trends:
        bearing = [i for i in built.mapped if trend.regime.id in i.regime_ids]
        assert trend.counts[-1] == len(bearing)
    before = build_daily_report(
        demo,
        agreement,
        date.fromisoformat(day) - timedelta(days=1),
        DEFAULT_CUTOFF,
        Audience.operator(),
        language,
    )
    assert [c.before for c in built.by_classification] == [
        c.today for c in before.by_classification
    ]
    assert [t.counts[:-1] for t in built.trends] == [t.counts[1:] for t in before.trends]


def test_a_day_with_more_incidents_than_are_listed_lists_potential_violations_first(
    demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ceasefire.reports.daily.LISTED", 3)
    everything = Audience.operator()
    on = date(2015, 2, 16)
    body, built = daily_document(
        demo, "minsk-ii-2015", on, DEFAULT_CUTOFF, everything, "en", "html"
    )
    listed = [i for g in built.groups for i in g.incidents]
    assert built.total > 3 and len(listed) == 3
    assert {i.classification.value for i in listed} == {"potential_violation"}
    assert len(built.mapped) == built.total
    assert f"3 of {built.total} incidents are listed, potential violations first" in body.decode()


def test_an_earlier_incident_with_a_finding_recorded_that_day_is_listed_as_updated(
    ledger: Ledger,
) -> None:
    _two_agreements(ledger)
    db = ledger.db
    filed = submit_report(ledger, report("wire-2", source="wire", day=date(2016, 3, 2)), scope=None)
    accounts = Accounts(db, memory_kib=PASSWORD_MEMORY_KIB)
    officer = accounts.add_user("us", "us-officer", role=Role.OFFICER, password=None)
    finding = Assessing(Finding.VIOLATION, Confidence.HIGH, "seen", agreement_id="syria")
    assess(ledger, officer, filed.incident_id, finding)
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Damascus"))
    day = today.date() if today.time() < DEFAULT_CUTOFF else today.date() + timedelta(days=1)
    language = report_language("en")

    def built(party: str) -> DailyReport:
        return build_daily_report(db, "syria", day, DEFAULT_CUTOFF, audience(db, party), language)

    (updated,) = built("us").updated
    assert updated.id == filed.incident_id and updated.joint == "pending"
    assert built("osce").updated == []  # the agreement's findings are not its to read
    html, _ = daily_document(db, "syria", day, DEFAULT_CUTOFF, audience(db, "us"), "en", "html")
    assert "Earlier incidents with findings recorded since the last report" in html.decode()
    yesterday = build_daily_report(
        db, "syria", day - timedelta(days=1), DEFAULT_CUTOFF, audience(db, "us"), language
    )
    assert yesterday.updated == []


def test_the_registers_sections_show_who_joined_that_day(demo: Database) -> None:
    # East Ghouta's local ceasefire of 2 May 2016 (PA-X Local 1985): the demo's accession
    found = build_daily_report(
        demo,
        "syria-coh-2016",
        date(2016, 5, 2),
        DEFAULT_CUTOFF,
        Audience.operator(),
        report_language("en"),
    )
    assert [(j.subject, j.accession.channel) for j in found.joinings] == [
        ("East Ghouta", "local ceasefire (PA-X Local 1985)")
    ]
    coh = next(c for c in found.in_regimes if c.regime.startswith("Cessation"))
    assert (coh.settlements, coh.actors) == (2, 0)  # Qamishli since 22 April, East Ghouta
    html = daily_document(
        demo, "syria-coh-2016", date(2016, 5, 2), DEFAULT_CUTOFF, Audience.operator(), "ru", "html"
    )[0].decode("utf-8")
    assert "Присоединение" in html and "East Ghouta" in html
    quiet = build_daily_report(
        demo, "syria-coh-2016", date(2016, 3, 1), DEFAULT_CUTOFF, Audience.operator(),
        report_language("en"),
    )  # fmt: skip
    assert quiet.joinings == [] and quiet.in_regimes == [] and quiet.access == []
