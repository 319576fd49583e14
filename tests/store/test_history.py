"""A record's state at a size of the log is what its latest entry below that size wrote,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from builders import ending, scenario
from ceasefire.domain.regimes import Extension
from ceasefire.domain.states import State
from ceasefire.services.ledger import Ledger
from ceasefire.services.regimes import extend_regime
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import ledger as log_store
from ceasefire.store.database import Database
from ceasefire.store.history import states_at
from ceasefire.store.records import REGIME, RecordType, all_states

DAMASCUS = ZoneInfo("Asia/Damascus")


def _at(db: Database, kind: RecordType, size: int) -> dict[str, State]:
    with db.read() as conn:
        return {r: s for batch in states_at(conn, kind, size) for r, s in batch.items()}


def _size(db: Database) -> int:
    with db.read() as conn:
        return log_store.DatabaseLog(conn).size


def test_a_regime_at_each_size_is_as_its_latest_entry_below_it_left_it(ledger: Ledger) -> None:
    load_scenario(ledger, ending(scenario(), datetime(2016, 4, 1, tzinfo=DAMASCUS)))
    loaded = _size(ledger.db)
    extend_regime(ledger, "coh", Extension(datetime(2016, 5, 1, tzinfo=DAMASCUS), note="once"))
    extend_regime(ledger, "coh", Extension(None, note="made indefinite"))
    ends = [
        [e["new_end"] for e in _at(ledger.db, REGIME, size)["regime:coh"]["extensions"]]
        for size in (loaded, loaded + 1, loaded + 2)
    ]
    assert ends == [[], ["2016-04-30T21:00:00.000000Z"], ["2016-04-30T21:00:00.000000Z", None]]
    assert _at(ledger.db, REGIME, 1) == {}  # the regime's entry comes later
    with ledger.db.read() as conn:
        (now,) = list(all_states(conn, REGIME))
    assert _at(ledger.db, REGIME, _size(ledger.db))["regime:coh"] == {
        k: v for k, v in now["regime:coh"].items() if k != "$state"
    }
