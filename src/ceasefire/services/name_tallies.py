"""How many times the stored reports give each name, kept by a server process and brought
up to date on each look by reading only the reports stored since it last looked (the
names queue read every report's names on every look: 0.4 s at 100,000 reports, seconds
at a million).

A report's names as written and its scope never change once it is stored (what changes
is the actor each name resolves to), reports are never deleted, and their ids are their
entries' places in the log, given under the log's lock and committed in that order: a
report not yet counted has an id above the highest counted. So the tally counts every
mention of a name, resolved or not, and the queue keeps the names that resolve to no
actor now (all mentions of a name resolve alike: resolution reads the name alone).
"""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import Connection

from ceasefire.domain.visibility import Audience
from ceasefire.store import mentions as mention_store


class NameTally:
    """Every name the stored reports give, with how many mentions give it in each scope
    (an agreement's id, or None: open)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str | None]] = Counter()
        self._through: int | None = None  # the highest report id counted

    def given(self, conn: Connection, audience: Audience) -> Counter[str]:
        """How many mentions in the reports ``audience`` reads give each name, counting
        first the reports stored since the last look."""
        with self._lock:
            more, through = mention_store.names_by_scope(conn, after_id=self._through)
            self._counts.update(more)
            self._through = through if through is not None else self._through
            counts: Counter[str] = Counter()
            for (name, scope), mentions in self._counts.items():
                if name and audience.sees(scope):
                    counts[name] += mentions
        return counts
