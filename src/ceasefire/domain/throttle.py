"""How long a sign-in waits after failures: a delay that grows, never a lock.

The first ``FREE`` failures cost nothing; each one after doubles the wait before the next
attempt is even checked, up to ``LONGEST``. A right password always gets in once the wait
has passed, so an attacker slows a guessing run to a crawl but cannot keep anyone out.
Failures older than ``WINDOW`` are forgotten.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FREE = 3
LONGEST = timedelta(seconds=60)
WINDOW = timedelta(minutes=15)


def delay(failures: int) -> timedelta:
    if failures <= FREE:
        return timedelta(0)
    return min(LONGEST, timedelta(seconds=2 ** min(failures - FREE - 1, 16)))


def wait(failures: int, last_failed: datetime, now: datetime) -> timedelta:
    """How long until the next attempt is checked (zero: now)."""
    if now - last_failed > WINDOW:
        return timedelta(0)
    return max(timedelta(0), last_failed + delay(failures) - now)
