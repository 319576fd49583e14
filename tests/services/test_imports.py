"""A bulk import leaves the log's lock free between its chunks, so that a write waiting for
it gets it in turn: the locks writers queue on do not hand over in order by themselves."""

from __future__ import annotations

import itertools
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event

from builders import report, scenario
from ceasefire.ingest.rows import ParsedRow
from ceasefire.services.imports import REST_SHARE, Chunks, import_events
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario


def rows(count: int) -> list[ParsedRow]:
    return [
        ParsedRow(
            n + 1,
            report(
                f"import-{n}",
                source="import",
                day=date(2016, 3, 1) + timedelta(days=n % 60),
                lon=36.0 + (n % 97) / 50,
                lat=33.0 + (n % 89) / 50,
            ),
        )
        for n in range(count)
    ]


def test_an_import_leaves_the_log_free_between_chunks_a_share_of_the_time_it_held_it(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, scenario())
    moments: list[tuple[str, float]] = []  # when each chunk's write took the lock, committed

    def statement(*args: Any) -> None:
        if str(args[2]).startswith(("BEGIN IMMEDIATE", "SELECT pg_advisory_xact_lock")):
            moments.append(("began", time.perf_counter()))

    def committed(*args: Any) -> None:
        moments.append(("committed", time.perf_counter()))

    event.listen(ledger.db.engine, "before_cursor_execute", statement)
    event.listen(ledger.db.engine, "commit", committed)
    summary = import_events(
        ledger, rows(2_000), on_error=lambda error: None, chunks=Chunks(200, least=200, most=200)
    )
    assert summary.imported == 2_000
    writes = [
        (began, done)
        for (kind, began), (next_kind, done) in itertools.pairwise(moments)
        if kind == "began" and next_kind == "committed"
    ]
    assert len(writes) >= 10  # each chunk one write
    for (began, done), (next_began, _) in itertools.pairwise(writes):
        assert next_began - done >= REST_SHARE * (done - began) * 0.9
