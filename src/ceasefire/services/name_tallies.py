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

Commits a database acknowledged can still be lost: an import commits without waiting for
the disk (``Database.unsynced``), and a PostgreSQL server that crashes, fails over to a
standby or is restored from a backup comes back without them, and gives their ids to other
reports. So the tally keeps the identity (source and source id) of the highest report it
counted, and counts every report afresh when that report is no longer the one stored.
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
        self._last: tuple[str, str] | None = None  # its source and source id

    def given(self, conn: Connection, audience: Audience) -> Counter[str]:
        """How many mentions in the reports ``audience`` reads give each name, counting
        first the reports stored since the last look."""
        with self._lock:
            if self._through is not None and (
                mention_store.report_key(conn, self._through) != self._last
            ):  # the report counted last is gone: the database lost commits it had made
                self._counts, self._through = Counter(), None
            more, through = mention_store.names_by_scope(conn, after_id=self._through)
            self._counts.update(more)
            if through is not None:
                self._through, self._last = through, mention_store.report_key(conn, through)
            counts: Counter[str] = Counter()
            for (name, scope), mentions in self._counts.items():
                if name and audience.sees(scope):
                    counts[name] += mentions
        return counts
