"""Records' states written back as rows (the inverse of ``store.records``) read again the
same, their search keys derived as the services derive them; read from SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from builders import scenario
from ceasefire.domain.actors import normalize_name
from ceasefire.domain.designations import DesignationList, Row
from ceasefire.domain.states import State
from ceasefire.services import designations
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import ledger as log_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.history import states_at
from ceasefire.store.records import ACTOR, DESIGNATION, RECORD_TYPES, REGIME, RecordType, all_states
from ceasefire.store.replicas import write_states


def test_states_written_back_as_rows_read_the_same(ledger: Ledger, tmp_path: Path) -> None:
    load_scenario(ledger, scenario())
    designations.save_list(ledger, DesignationList("issg", "ISSG list", ("us", "ru")))
    designations.submit(ledger, "issg", "ru", [Row(1, "Jabhat al-Nusra")])
    with ledger.db.read() as conn:
        size = log_store.DatabaseLog(conn).size
    copy = Database(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    copy.migrate()
    with copy.transaction() as conn:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # the kinds go in one by one
        for kind in RECORD_TYPES.values():
            for batch in _states_at(ledger.db, kind, size):
                write_states(conn, kind, batch)
    for kind in RECORD_TYPES.values():
        assert _rows(copy, kind) == _rows(ledger.db, kind)
    assert _rows(copy, REGIME) and _rows(copy, ACTOR)
    assert list(_rows(copy, DESIGNATION)) == ["designation:issg/ru/nusra"]
    with copy.read() as conn:
        keys = conn.execute(select(t.actor_aliases.c.alias, t.actor_aliases.c.key)).all()
    assert keys and all(key == normalize_name(alias) for alias, key in keys)
    copy.dispose()


def _states_at(db: Database, kind: RecordType, size: int) -> list[dict[str, State]]:
    with db.read() as conn:
        return list(states_at(conn, kind, size))


def _rows(db: Database, kind: RecordType) -> dict[str, State]:
    with db.read() as conn:
        return {r: s for batch in all_states(conn, kind) for r, s in batch.items()}
