"""Resolving the actors stored reports name again, after a name is mapped: read outside any
write, rewritten in short writes, each signed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event

from builders import report, scenario
from ceasefire.ledger import SignedEntry
from ceasefire.services.actors import map_name
from ceasefire.services.derivations import derive_again
from ceasefire.services.imports import Chunks
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import resolve_actors_again
from ceasefire.services.rules import Rules
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.store import ledger as log_store
from ceasefire.store import mentions as mention_store
from ceasefire.store import tables as t
from ceasefire.store.actors import save_mapping
from ceasefire.store.records import NAME_MAPPING

NAME = "Jaysh al-Fatah"
ORIGIN = "ceasefire.localhost/ledger"


def _file(ledger: Ledger, count: int) -> None:
    for n in range(count):  # a degree apart: five incidents
        submit_report(ledger, report(str(n), lon=36.0 + n, actors=(NAME, "Liwa Sirri")))


def _record_mapping(ledger: Ledger) -> None:
    """The mapping alone, as ``map_name`` records it, with no report resolved again."""
    with ledger.write() as writer:
        (mapping_id,) = writer.new_ids(t.name_mappings)
        save_mapping(writer.conn, mapping_id, NAME, "nusra", writer.author, datetime.now(UTC))
        writer.changed("name_mapping.recorded", NAME_MAPPING, [(mapping_id,)], new=True)


def test_reports_resolved_again_are_rewritten_in_short_signed_writes(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    _file(ledger, 5)
    _record_mapping(ledger)

    touched = resolve_actors_again(ledger, chunks=Chunks(first=2, least=2, most=2))

    assert len(touched) == 5
    with ledger.db.read() as conn:
        stored = mention_store.mentions_page(conn, after_id=None, limit=10)
        leaves = log_store.leaves_of_kinds(conn, ["report.actors_resolved"])
    assert [[m.actor_id for m in s.actors] for s in stored] == [["nusra", None]] * 5
    batches = [SignedEntry.from_leaf(leaf).batch for leaf in leaves]
    assert [b.size if b else 1 for b in batches] == [2, 2, 2, 2, 1]  # three writes
    assert verify_database(ledger.db, origin=ORIGIN).problems == []
    assert (
        resolve_actors_again(ledger, chunks=Chunks(first=2, least=2, most=2)) == set()
    )  # nothing left to change


def test_a_mapping_resolves_again_only_the_reports_giving_its_name(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    submit_report(ledger, report("a", lon=36.0, actors=(NAME,)))
    submit_report(ledger, report("b", lon=37.0, actors=("JAYSH  AL-FATAH",)))  # as normalized
    submit_report(ledger, report("c", lon=38.0, actors=("Liwa Sirri",)))
    with ledger.write() as writer:  # a mapping of another name whose reports were not redone
        (mapping_id,) = writer.new_ids(t.name_mappings)
        save_mapping(writer.conn, mapping_id, "Liwa Sirri", "nusra", "us", datetime.now(UTC))
        writer.changed("name_mapping.recorded", NAME_MAPPING, [(mapping_id,)], new=True)

    mapped = map_name(ledger, NAME, "nusra")

    assert mapped.changed == 2
    with ledger.db.read() as conn:
        stored = mention_store.mentions_page(conn, after_id=None, limit=10)
        given, last = mention_store.names_given(conn)
        first, after = mention_store.names_given(conn, limit=1)  # a page of one report
        rest, _ = mention_store.names_given(conn, after_id=after, limit=10)
        beyond = mention_store.names_given(conn, after_id=last)
    assert [s.actors[0].actor_id for s in stored] == ["nusra", "nusra", None]  # c: not its name
    assert given == {NAME, "JAYSH  AL-FATAH", "Liwa Sirri"} and last == stored[-1].report_id
    assert (first, rest, beyond) == ({NAME}, {"JAYSH  AL-FATAH", "Liwa Sirri"}, (set(), None))
    assert resolve_actors_again(ledger) != set()  # c was stale, and only a full pass saw it


def test_deriving_an_unchanged_incident_again_writes_nothing(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    filed = submit_report(ledger, report("a", actors=(NAME, "Syrian Arab Army")))
    written: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("UPDATE", "DELETE", "INSERT")):
            written.append(statement)

    event.listen(ledger.db.engine, "before_cursor_execute", seen)
    try:
        with ledger.db.transaction() as conn:
            derive_again(conn, Rules.load(conn), [filed.incident_id])
    finally:
        event.remove(ledger.db.engine, "before_cursor_execute", seen)
    assert written == []
