"""Bulk work in turns: short writes, sized as they go, durable at the last."""

from __future__ import annotations

import time
from collections.abc import Sequence

from ceasefire.services.imports import Chunks
from ceasefire.services.turns import in_turns
from ceasefire.store.database import Database


def test_every_item_is_done_once_in_order_and_the_last_turn_waits_for_the_disk(
    db: Database,
) -> None:
    turns: list[tuple[list[int], bool]] = []

    def turn(part: Sequence[int]) -> None:
        with db.transaction() as conn:
            turns.append((list(part), Database.is_unsynced(conn)))

    seen: list[tuple[int, int]] = []
    in_turns(
        db,
        list(range(7)),
        turn,
        chunks=Chunks(first=3, least=3, most=3),
        progress=lambda d, n: seen.append((d, n)),
    )

    assert turns == [([0, 1, 2], True), ([3, 4, 5], True), ([6], False)]
    assert seen == [(3, 7), (6, 7), (7, 7)]


def test_turns_shrink_to_what_fits_the_time_they_may_hold_the_lock(db: Database) -> None:
    sizes: list[int] = []

    def slow(part: Sequence[int]) -> None:  # a millisecond an item
        sizes.append(len(part))
        time.sleep(len(part) / 1000)

    in_turns(db, list(range(200)), slow, chunks=Chunks(target=0.02, first=40, least=1, most=100))

    assert sizes[0] == 40 and sizes[1] <= 20  # 40 took 40 ms or more: 20 fit in 20 ms
    assert sum(sizes) == 200
