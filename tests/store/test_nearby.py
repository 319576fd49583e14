"""What correlation reads of the incidents near a report: the statement built once for
windows of space and time answers as the general filter does for each window."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, exists, select

from builders import report, scenario
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.windows import Window
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


def test_the_windows_statement_finds_what_the_general_filter_finds_in_each(
    ledger: Ledger,
) -> None:
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
        spots = [_window(rnd) for _ in range(rnd.choice([1, 1, 2, 3]))]
        for others in (None, {"field"}, {"press", "field"}):
            each = {i.id: i for w in spots for i in by_general_filter(ledger, _filter(w), others)}
            with ledger.db.read() as conn:
                fast = footprints_near(conn, spots, reported_by_other_than=others)
            assert fast == [each[i] for i in sorted(each)]  # each once, by id
            found += bool(fast)
        with ledger.db.read() as conn:
            narrowed += len(footprints_near(conn, spots)) > len(
                footprints_near(conn, spots, reported_by_other_than={"field"})
            )
            # an incident in two windows is read once
            twice = footprints_near(conn, [spots[0], spots[0]])
            assert twice == footprints_near(conn, spots[:1])
    assert found > 10 and narrowed > 3  # windows with incidents, some left out by source


def _window(rnd: random.Random) -> Window:
    lon, lat = 35.8 + rnd.random() * 2, 32.8 + rnd.random() * 2
    start = datetime(2016, 3, 1, tzinfo=UTC) + timedelta(days=rnd.uniform(-2, 20))
    box = BBox(lon, lat, lon + rnd.uniform(0.1, 1.5), lat + rnd.uniform(0.1, 1.5))
    return Window(box, start, start + timedelta(days=rnd.uniform(0, 6)))


def _filter(w: Window) -> IncidentFilter:
    return IncidentFilter(bbox=w.bbox, start=w.start, end=w.end)


def test_no_windows_read_nothing(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    submit_report(ledger, report("1"))
    with ledger.db.read() as conn:
        assert footprints_near(conn, []) == []
