"""Waiting for writes to join one group commit (``services.commits``), so that a test can
put them in a known order: each joins while the one before holds the group."""

from __future__ import annotations

import time

from ceasefire.services.commits import Group
from ceasefire.services.ledger import Ledger


def joined(ledger: Ledger, members: int) -> Group:
    """The open group, once ``members`` writes have joined it."""
    for _ in range(1000):
        group = ledger._committer._group
        if group is not None and group.joined == members:
            return group
        time.sleep(0.005)
    raise AssertionError(f"{members} writes did not join the group")
