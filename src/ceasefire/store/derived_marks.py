"""For migrations that change the rules incidents are derived by: a database that holds
incidents, with no mark yet, is marked as derived under the rules before
(``services.derivations``), and ``ceasefire init`` derives them again."""

from __future__ import annotations

import sqlalchemy as sa

KIND = "derived:incidents"  # its row in state_versions, beside the record kinds


def mark_derived(bind: sa.Connection, version: int) -> None:
    """Mark the incidents as derived under the rules of ``version``, if there are any and
    no mark says otherwise (an earlier mark stays: they were derived earlier still)."""
    holds_incidents = bind.execute(sa.text("SELECT id FROM incidents LIMIT 1")).first()
    marked = bind.execute(
        sa.text("SELECT version FROM state_versions WHERE kind = :kind"), {"kind": KIND}
    ).first()
    if holds_incidents is not None and marked is None:
        bind.execute(
            sa.text("INSERT INTO state_versions (kind, version) VALUES (:kind, :version)"),
            {"kind": KIND, "version": version},
        )
