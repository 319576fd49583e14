"""Bulk work on stored records done in turns: one short write after another, each sized as
the work goes to hold the lock about as long as an import's chunk does (``imports.Chunks``)
and shorter while other writes wait for it, so that none waits long behind the work (one
write over a million reports held the lock for minutes). Each turn but the last commits
without waiting for the disk, as an import's chunks do; the last makes them all durable
(both databases write their logs in order), and, when the turns sign entries, signs the
checkpoint that covers them all (a write that does not wait for the disk signs none)."""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import TypeVar

from ceasefire.services.imports import Chunks
from ceasefire.store import ledger as log_store
from ceasefire.store.database import Database

T = TypeVar("T")


def in_turns(
    db: Database,
    items: Sequence[T],
    turn: Callable[[Sequence[T]], None],
    *,
    progress: Callable[[int, int], None] | None = None,
    chunks: Chunks | None = None,
) -> None:
    """Call ``turn`` (one write) on the items, a chunk at a time (``chunks``), in order."""
    chunks = chunks or Chunks(parts=False)
    done = 0
    while done < len(items):
        part = items[done : done + chunks.size]
        last = done + len(part) >= len(items)
        began = clock.perf_counter()
        with nullcontext() if last else db.unsynced():
            turn(part)
        held = clock.perf_counter() - began
        chunks.measured(len(part), held, waited=log_store.log_busy(db))
        done += len(part)
        if progress is not None:
            progress(done, len(items))
