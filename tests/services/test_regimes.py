"""A regime added or extended classifies the incidents in its area again, and those whose
classification changed reach the live feed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import shapely

from api.test_visibility import OUTSIDERS
from builders import report, scenario
from ceasefire.domain.errors import InvalidInputError, PermissionDeniedError
from ceasefire.domain.regimes import Extension
from ceasefire.domain.scenarios import Scenario
from ceasefire.services import queries
from ceasefire.services.feed import changes_since, latest_sequence
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import Reclassified
from ceasefire.services.regimes import add_regime, extend_regime, reclassified_by
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING, audience
from ceasefire.store import agreements as agreement_store

DAMASCUS = ZoneInfo("Asia/Damascus")


def truce_until(end: datetime | None) -> Scenario:
    base = scenario()
    truce = replace(
        base.regimes[0],
        id="homs-truce",
        name="Homs local truce",
        geometry=shapely.box(36.6, 34.7, 36.8, 34.8),
        start=datetime(2016, 2, 20, tzinfo=DAMASCUS),
        end=end,
    )
    return replace(base, regimes=(truce,))


def test_extending_a_regime_sends_the_incidents_it_classified_anew(ledger: Ledger) -> None:
    load_scenario(ledger, truce_until(datetime(2016, 2, 22, tzinfo=DAMASCUS)))
    late = submit_report(ledger, report("1", day=date(2016, 2, 24), lon=36.7, lat=34.75))
    inside = submit_report(ledger, report("2", day=date(2016, 2, 21), lon=36.7, lat=34.75))
    assert _class(ledger, late.incident_id) == "outside_regime"
    before = latest_sequence(ledger.db)

    extend_regime(ledger, "homs-truce", Extension(None, note="made indefinite"), author="us")

    assert _class(ledger, late.incident_id) == "potential_violation"
    _, changes = changes_since(ledger.db, before, EVERYTHING)
    # the incident it changed goes out; the one it left as it was does not
    assert [c.incident.id for c in changes] == [late.incident_id]
    assert inside.incident_id not in [c.incident.id for c in changes]


def test_adding_a_regime_sends_the_incidents_it_now_covers(ledger: Ledger) -> None:
    base = truce_until(datetime(2016, 3, 1, tzinfo=DAMASCUS))
    load_scenario(ledger, replace(base, regimes=()))
    incident = submit_report(ledger, report("1", day=date(2016, 2, 24), lon=36.7, lat=34.75))
    assert _class(ledger, incident.incident_id) == "outside_regime"
    before = latest_sequence(ledger.db)

    add_regime(ledger, base.regimes[0])

    assert _class(ledger, incident.incident_id) == "potential_violation"
    _, changes = changes_since(ledger.db, before, EVERYTHING)
    assert [c.incident.id for c in changes] == [incident.incident_id]


def test_extending_a_regime_tells_which_incidents_it_classified_anew(ledger: Ledger) -> None:
    load_scenario(ledger, truce_until(datetime(2016, 2, 22, tzinfo=DAMASCUS)))
    late = submit_report(ledger, report("1", day=date(2016, 2, 24), lon=36.7, lat=34.75))
    submit_report(ledger, report("2", day=date(2016, 2, 21), lon=36.7, lat=34.75))

    done = extend_regime(ledger, "homs-truce", Extension(None, note="made indefinite"), author="us")

    assert done.regime.effective_end is None
    assert done.reclassified == [
        Reclassified(late.incident_id, "outside_regime", "potential_violation")
    ]
    assert done.line() == "1 incident reclassified: 1 outside_regime -> potential_violation"
    # read back later, as the page after the change does, by the write's first entry
    again = reclassified_by(ledger.db, "homs-truce", done.sequence, EVERYTHING)
    assert again == done.reclassified
    assert reclassified_by(ledger.db, "coh", done.sequence, EVERYTHING) is None
    # the co-chair's first write: its key's entry comes first, then the regime's
    assert reclassified_by(ledger.db, "homs-truce", done.sequence + 1, EVERYTHING) is None
    assert reclassified_by(ledger.db, "homs-truce", done.sequence - 1, EVERYTHING) is None


def test_an_extension_that_changes_nothing_says_so(ledger: Ledger) -> None:
    load_scenario(ledger, truce_until(datetime(2016, 2, 22, tzinfo=DAMASCUS)))
    submit_report(ledger, report("1", day=date(2016, 2, 21), lon=36.7, lat=34.75))
    done = extend_regime(
        ledger, "homs-truce", Extension(datetime(2016, 2, 23, tzinfo=DAMASCUS)), author="ru"
    )
    assert done.reclassified == []
    assert done.line() == "0 incidents reclassified"


def test_a_co_chairs_extension_that_would_end_the_truce_sooner_writes_nothing(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, truce_until(datetime(2016, 2, 22, tzinfo=DAMASCUS)))
    inside = submit_report(ledger, report("1", day=date(2016, 2, 21), lon=36.7, lat=34.75))
    before = latest_sequence(ledger.db)
    with pytest.raises(InvalidInputError) as raised:
        extend_regime(
            ledger, "homs-truce", Extension(datetime(2016, 2, 21, tzinfo=DAMASCUS)), author="us"
        )
    assert raised.value.field == "new_end"
    assert "an extension moves the end later" in raised.value.reason
    assert latest_sequence(ledger.db) == before  # nothing signed
    assert queries.get_regime(ledger.db, "homs-truce").extensions == ()
    assert _class(ledger, inside.incident_id) == "potential_violation"


def test_a_new_regime_tells_its_author_only_the_incidents_its_party_reads(ledger: Ledger) -> None:
    base = truce_until(datetime(2016, 3, 1, tzinfo=DAMASCUS))
    load_scenario(ledger, replace(base, regimes=()))
    load_scenario(ledger, OUTSIDERS)  # an agreement of osce's alone
    # filed under the other agreement: its party alone reads it; the other is open
    scoped = submit_report(
        ledger,
        report("1", day=date(2016, 2, 24), lon=36.7, lat=34.75),
        author="osce",
        scope="minsk",
    )
    opened = submit_report(
        ledger, report("2", day=date(2016, 2, 25), lon=36.71, lat=34.76), author="us", scope=None
    )
    assert scoped.incident_id != opened.incident_id

    done = add_regime(ledger, replace(base.regimes[0], id="a"), author="us")
    assert [c.incident_id for c in done.reclassified] == [opened.incident_id]

    by_host = add_regime(ledger, replace(base.regimes[0], id="b"))  # the host's operator
    assert by_host.reclassified == []  # "a" covers them already: nothing changed
    osce = reclassified_by(ledger.db, "a", done.sequence, audience(ledger.db, "osce"))
    assert osce is not None
    assert [c.incident_id for c in osce] == sorted([scoped.incident_id, opened.incident_id])


def test_only_a_co_chair_or_the_host_adds_a_regime_to_an_agreement(ledger: Ledger) -> None:
    base = truce_until(datetime(2016, 3, 1, tzinfo=DAMASCUS))
    load_scenario(ledger, replace(base, regimes=()))
    load_scenario(ledger, OUTSIDERS)
    with pytest.raises(PermissionDeniedError, match="only the co-chairs of syria"):
        add_regime(ledger, replace(base.regimes[0], id="a"), author="osce")
    with ledger.db.read() as conn:
        assert agreement_store.load_regimes(conn, regime_id="a") == []


def _class(ledger: Ledger, incident_id: int) -> str:
    incident, _ = queries.get_incident(ledger.db, incident_id, EVERYTHING)
    return incident.classification.value
