"""A regime declared over: an ending brings its end forward, signed by a co-chair or the
host, and the incidents after it are classified again."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from api.test_visibility import OUTSIDERS
from builders import report
from ceasefire.domain.errors import InvalidInputError, PermissionDeniedError
from ceasefire.domain.regimes import ENDING, Extension
from ceasefire.services import queries
from ceasefire.services.feed import changes_since, latest_sequence
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.regimes import end_regime, extend_regime
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.verification import verify_database
from services.test_regimes import truce_until
from services.test_reloads import entries_about

DAMASCUS = ZoneInfo("Asia/Damascus")
ORIGIN = "ceasefire.localhost/ledger"


def _class(ledger: Ledger, incident_id: int) -> str:
    incident, _ = queries.get_incident(ledger.db, incident_id, EVERYTHING)
    return incident.classification.value


def test_ending_a_truce_puts_what_came_after_outside_it(ledger: Ledger) -> None:
    load_scenario(ledger, truce_until(None))
    before_end = submit_report(ledger, report("1", day=date(2016, 2, 21), lon=36.7, lat=34.75))
    after_end = submit_report(ledger, report("2", day=date(2016, 2, 25), lon=36.7, lat=34.75))
    assert _class(ledger, after_end.incident_id) == "potential_violation"
    before = latest_sequence(ledger.db)

    ending = Extension(datetime(2016, 2, 23, tzinfo=DAMASCUS), note="declared over")
    done = end_regime(ledger, "homs-truce", ending, author="us")

    assert _class(ledger, after_end.incident_id) == "outside_regime"
    assert _class(ledger, before_end.incident_id) == "potential_violation"
    assert [c.incident_id for c in done.reclassified] == [after_end.incident_id]
    assert [kind for kind, _ in done.regime.changes] == [ENDING]
    _, changes = changes_since(ledger.db, before, EVERYTHING)
    assert [c.incident.id for c in changes] == [after_end.incident_id]
    assert entries_about(ledger, "regime:homs-truce")[-1] == ("regime.ended", "us")
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_an_ending_after_the_end_in_force_writes_nothing(ledger: Ledger) -> None:
    load_scenario(ledger, truce_until(datetime(2016, 2, 22, tzinfo=DAMASCUS)))
    before = latest_sequence(ledger.db)
    with pytest.raises(InvalidInputError) as raised:
        end_regime(
            ledger, "homs-truce", Extension(datetime(2016, 2, 23, tzinfo=DAMASCUS)), author="us"
        )
    assert raised.value.field == "new_end"
    assert latest_sequence(ledger.db) == before
    assert queries.get_regime(ledger.db, "homs-truce").extensions == ()


def test_only_a_co_chair_or_the_host_ends_a_regime(ledger: Ledger) -> None:
    load_scenario(ledger, truce_until(None))
    load_scenario(ledger, OUTSIDERS)
    ending = Extension(datetime(2016, 2, 23, tzinfo=DAMASCUS))
    with pytest.raises(PermissionDeniedError, match="only the co-chairs of syria"):
        end_regime(ledger, "homs-truce", ending, author="osce")
    assert queries.get_regime(ledger.db, "homs-truce").extensions == ()
    assert end_regime(ledger, "homs-truce", ending).regime.effective_end == ending.new_end


def test_a_truce_ended_can_be_renewed_by_an_extension(ledger: Ledger) -> None:
    load_scenario(ledger, truce_until(None))
    late = submit_report(ledger, report("1", day=date(2016, 2, 25), lon=36.7, lat=34.75))
    end_regime(ledger, "homs-truce", Extension(datetime(2016, 2, 23, tzinfo=DAMASCUS)), author="us")
    assert _class(ledger, late.incident_id) == "outside_regime"
    # a report filed after the ending is classified under the rules the ending changed
    filed = submit_report(ledger, report("2", day=date(2016, 2, 26), lon=36.6, lat=34.71))
    assert _class(ledger, filed.incident_id) == "outside_regime"
    extend_regime(ledger, "homs-truce", Extension(None, note="renewed"), author="ru")
    assert _class(ledger, late.incident_id) == "potential_violation"
