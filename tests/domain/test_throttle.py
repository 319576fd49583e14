"""Failed sign-ins: a wait that grows with each failure, up to a minute, never a lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ceasefire.domain.throttle import LONGEST, WINDOW, delay, wait

NOW = datetime(2016, 3, 1, 12, 0, tzinfo=UTC)


def test_the_first_failures_are_free_then_the_wait_doubles_up_to_a_minute() -> None:
    assert [delay(n).total_seconds() for n in range(1, 10)] == [0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert delay(10) == delay(1_000_000) == LONGEST


def test_the_wait_runs_from_the_last_failure_and_old_failures_are_forgotten() -> None:
    assert wait(6, NOW - timedelta(seconds=1), NOW) == timedelta(seconds=3)
    assert wait(6, NOW - timedelta(seconds=10), NOW) == timedelta(0)
    assert wait(1_000, NOW - WINDOW - timedelta(seconds=1), NOW) == timedelta(0)
