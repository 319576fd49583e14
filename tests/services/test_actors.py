"""The names reports give that no actor matches, counted for the party that reads them."""

from __future__ import annotations

from builders import report, scenario
from ceasefire.domain.visibility import Audience
from ceasefire.services.actors import map_name, unresolved_names
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario

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
