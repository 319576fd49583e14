"""Incidents derived again are written where they changed."""

from __future__ import annotations

from sqlalchemy import event

from ceasefire.store import incidents as incident_store
from ceasefire.store import rewrites
from ceasefire.store.database import Database
from ceasefire.store.incident_rows import incident_row
from store.test_incidents import EVERYONE, RESULT, summary


def test_writing_an_incident_again_names_only_the_columns_that_changed(db: Database) -> None:
    """Naming a column in an UPDATE rewrites each index holding it (and the place or time,
    the R*Tree entry) even when the value is the same."""
    first = incident_row(summary(36.2, 33.5, 0), RESULT, 1)
    with db.transaction() as conn:
        (incident_id,) = incident_store.insert_incidents(conn, [first], [1])
    updates: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.transaction() as conn:
            rewrites.update_changed(conn, {incident_id: first})  # the same row again
        assert updates == []
        moved = {**first, "actor_ids": ["saa"], "classification": "potential_violation"}
        with db.transaction() as conn:
            rewrites.update_changed(conn, {incident_id: moved})
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    (update,) = updates
    assigned = update.split(" SET ")[1].split(" WHERE ")[0]
    assert sorted(part.split("=")[0].strip() for part in assigned.split(",")) == [
        "actor_ids",
        "classification",
    ]
    with db.read() as conn:
        (stored,) = incident_store.get_incidents(conn, [incident_id], EVERYONE, explain=False)
    assert stored.actor_ids == ("saa",) and stored.classification.value == "potential_violation"
