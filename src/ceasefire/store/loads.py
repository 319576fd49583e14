"""What each scenario file said about each record when it was last loaded (migration
0013): the state documents a load compares the file with (``services.scenarios``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ceasefire.ledger import canonical_json
from ceasefire.store import tables as t


def previous_states(conn: Connection, scenario_id: str) -> dict[str, dict[str, Any]]:
    """The record states the scenario gave at its last load, by record."""
    s = t.scenario_records
    rows = conn.execute(select(s.c.record, s.c.state).where(s.c.scenario_id == scenario_id))
    return {record: json.loads(bytes(state)) for record, state in rows}


def remember(
    conn: Connection, scenario_id: str, states: Mapping[str, Mapping[str, Any]], loaded: datetime
) -> None:
    """Keep the states the scenario gives now, replacing what it gave before."""
    s = t.scenario_records
    conn.execute(s.delete().where(s.c.scenario_id == scenario_id))
    rows = [
        {
            "scenario_id": scenario_id,
            "record": record,
            "state": canonical_json(dict(state), field="state"),
            "loaded": loaded,
        }
        for record, state in states.items()
    ]
    if rows:
        conn.execute(s.insert(), rows)


def only_written_by(conn: Connection, record: str, author: str) -> bool:
    """Whether every entry about the record but migrations is ``author``'s (a database
    older than ``scenario_records``: nothing but scenario loads has changed it)."""
    e = t.ledger_entries
    authors = conn.execute(
        select(e.c.author_party)
        .where(e.c.record == record, e.c.kind.not_like("%.migrated"))
        .distinct()
    ).scalars()
    return set(authors) <= {author}
