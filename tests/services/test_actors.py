"""The names reports give that no actor matches, counted for the party that reads them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from builders import following_a_list, report, scenario
from ceasefire.domain.actors import Actor, Affiliation
from ceasefire.domain.events import ActorMention
from ceasefire.domain.visibility import Audience
from ceasefire.ingest.unlist import ListedName
from ceasefire.services import queries
from ceasefire.services.actors import import_un_list, map_name, un_actor_id, unresolved_names
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.name_tallies import NameTally
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store import tables as t
from ceasefire.store.reports import mention_json

NAME = "Jaysh al-Fatah"
US = Audience("us", frozenset({"syria"}))


def test_unresolved_names_are_counted_by_mention_for_the_reader(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    for n in range(3):  # a degree apart: three incidents
        submit_report(ledger, report(str(n), lon=36.0 + n, actors=(NAME, "Liwa Sirri")))
    submit_report(ledger, report("x", actors=("Liwa Sirri", "Jabhat al-Nusra")))
    found, total = unresolved_names(ledger, US)
    assert total == 2
    assert [(u.name, u.mentions) for u in found] == [("Liwa Sirri", 4), (NAME, 3)]

    mapped = map_name(ledger, NAME, "nusra")

    assert mapped.changed == 3
    found, total = unresolved_names(ledger, US)
    assert [(u.name, u.mentions) for u in found] == [("Liwa Sirri", 4)] and total == 1


def test_the_queue_counts_the_reports_stored_since_its_last_look_that_the_reader_reads(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, scenario())
    submit_report(ledger, report("1", actors=(NAME,)), author="us", scope="syria")
    outsider = Audience("osce", frozenset())  # reads open reports alone
    assert unresolved_names(ledger, US)[1] == 1 and unresolved_names(ledger, outsider)[1] == 0

    submit_report(ledger, report("2", lon=37.0, actors=(NAME, "Liwa Sirri")), scope=None)

    found, _ = unresolved_names(ledger, US)
    assert [(u.name, u.mentions) for u in found] == [(NAME, 2), ("Liwa Sirri", 1)]
    found, _ = unresolved_names(ledger, outsider)
    assert [(u.name, u.mentions) for u in found] == [(NAME, 1), ("Liwa Sirri", 1)]
    with ledger.db.read() as conn:  # another process, counting every report at once
        assert NameTally().given(conn, US) == ledger.names.given(conn, US)


def test_the_queue_counts_afresh_when_the_database_lost_the_report_it_counted_last(
    ledger: Ledger,
) -> None:
    """A server that crashed or failed over lost commits it had acknowledged: another
    report now holds the id of the one the tally counted last."""
    load_scenario(ledger, scenario())
    submit_report(ledger, report("1", actors=(NAME,)), scope=None)
    last = submit_report(ledger, report("2", lon=37.0, actors=("Liwa Sirri",)), scope=None)
    assert unresolved_names(ledger, US)[1] == 2
    with ledger.db.transaction() as conn:  # as if report 2 was lost and another took its id
        conn.execute(
            update(t.reports)
            .where(t.reports.c.id == last.id)
            .values(source_id="other", actors=[mention_json(ActorMention("Liwa Alani"))])
        )
    found, _ = unresolved_names(ledger, US)
    assert [(u.name, u.mentions) for u in found] == [(NAME, 1), ("Liwa Alani", 1)]


def test_a_listing_excludes_the_groups_under_the_listed_one_and_classifies_them_again(
    ledger: Ledger,
) -> None:
    """A regime excludes groups the UN lists and those part of them; a battalion is part
    of a group the register does not hold yet. Its incidents name no listed actor and no
    name of theirs resolves anew: only the moved exclusion finds them."""
    battalion = Actor(
        "katiba", "Katibat al-Fajr", affiliations=(Affiliation("part_of", un_actor_id("QDe.999")),)
    )
    load_scenario(ledger, following_a_list("un_listed", ("part_of",), (battalion,)))
    filed = submit_report(ledger, report("1", actors=("Katibat al-Fajr",)))
    listed = ListedName("QDe.999", "entity", "LIWA AL-TAJRIBA", (), date(2015, 1, 1), "", "")

    imported = import_un_list(ledger, [listed])

    found, _ = queries.get_incident(ledger.db, filed.incident_id, EVERYTHING)
    assert found.classification.value == "excluded_actor"
    assert imported.reclassified == 1 and imported.resolved_again == 0
