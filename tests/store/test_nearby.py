"""What correlation reads of the incidents near a report: the statement built once for a
bbox and time window answers as the general filter does."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, exists, select

from builders import report, scenario
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import tables as t
from ceasefire.store.incidents import where_clauses
from ceasefire.store.nearby import _COLUMNS, Nearby, _other_sources, footprints_near


def by_general_filter(ledger: Ledger, f: IncidentFilter, others: set[str] | None) -> list[Nearby]:
    with ledger.db.read() as conn:
        clauses = where_clauses(conn, f)
        if others is not None:
            clauses.append(exists(_other_sources(others)))
        query = select(*_COLUMNS).where(and_(True, *clauses)).order_by(t.incidents.c.id)
        return [Nearby._make(row) for row in conn.execute(query)]


def test_the_window_statement_finds_what_the_general_filter_finds(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    rnd = random.Random(9)
    for n in range(40):
        spot = report(
            str(n),
            source="field" if n % 3 else "press",
            day=date(2016, 3, 1) + timedelta(days=rnd.randrange(20)),
            lon=36.0 + rnd.random() * 2,
            lat=33.0 + rnd.random() * 2,
        )
        submit_report(ledger, spot)
    found, narrowed = 0, 0
    for _ in range(30):
        lon, lat = 35.8 + rnd.random() * 2, 32.8 + rnd.random() * 2
        start = datetime(2016, 3, 1, tzinfo=UTC) + timedelta(days=rnd.uniform(-2, 20))
        f = IncidentFilter(
            bbox=BBox(lon, lat, lon + rnd.uniform(0.1, 1.5), lat + rnd.uniform(0.1, 1.5)),
            start=start,
            end=start + timedelta(days=rnd.uniform(0, 6)),
        )
        for others in (None, {"field"}, {"press", "field"}):
            with ledger.db.read() as conn:
                fast = footprints_near(conn, f, reported_by_other_than=others)
            assert fast == by_general_filter(ledger, f, others)
            found += bool(fast)
        with ledger.db.read() as conn:
            narrowed += len(footprints_near(conn, f)) > len(
                footprints_near(conn, f, reported_by_other_than={"field"})
            )
    assert found > 10 and narrowed > 3  # windows with incidents, some left out by source
