"""Benchmarks only: replace the ledger's work with a no-op in this process, so that a write
signs, appends and checkpoints nothing and its ids come from a counter (no entries, so
no sequences). The same route or import, measured with and without it in one run, gives
the ledger's share. Never outside a benchmark: such writes are in no ledger."""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence

from sqlalchemy import Table

from ceasefire.services import incidents as incident_service
from ceasefire.services import writers as writer_service
from ceasefire.services.commits import Group
from ceasefire.services.ledger import Ledger
from ceasefire.services.writers import Writer

_ids = itertools.count(10**12 + os.getpid() * 10**6)


def _no_flush(self: Writer) -> list[int]:
    return []


def _no_flush_together(writers: Sequence[Writer]) -> list[list[int]]:
    return [[] for _ in writers]


def _counted_ids(self: Writer, table: Table, count: int = 1) -> list[int]:
    return [next(_ids) for _ in range(count)]


def _no_checkpoint(self: Ledger, group: Group) -> None:
    return None


def without_ledger() -> None:
    """From now on, in this process, writes touch no ledger."""
    Writer.flush = _no_flush  # type: ignore[method-assign]
    writer_service.flush_together = _no_flush_together
    incident_service.flush_together = _no_flush_together  # type: ignore[attr-defined]
    Writer.new_ids = _counted_ids  # type: ignore[method-assign]
    Ledger._before_commit = _no_checkpoint  # type: ignore[method-assign]
