"""Designation lists: three members submit different lists; the consolidated list follows
each rule with who listed what; a regime that follows the list classifies by it, anew
when it changes, and the incidents it reclassifies reach the live feed."""

from __future__ import annotations

from dataclasses import replace

import pytest
import shapely

from builders import report, scenario
from ceasefire.domain.actors import Actor, Affiliation
from ceasefire.domain.designations import DesignationList, ListRule, Position, Row
from ceasefire.domain.errors import InvalidInputError, RowsError
from ceasefire.domain.regimes import Party
from ceasefire.domain.scenarios import Scenario
from ceasefire.ingest.control_files import area_rows
from ceasefire.services import designations as service
from ceasefire.services import queries
from ceasefire.services.control import record_areas
from ceasefire.services.feed import changes_since, latest_sequence
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t

ORIGIN = "ceasefire.localhost/ledger"
ISSG = DesignationList("issg", "ISSG list of terrorist groups", ("us", "ru", "uk"))


def _scenario(rule: str | None = None, follows: tuple[str, ...] = ()) -> Scenario:
    base = scenario()
    actors = (
        *base.actors,
        Actor("ahrar", "Ahrar al-Sham", aliases=("Ахрар аш-Шам",)),
        Actor("jaish", "Jaish al-Islam"),
        Actor(
            "jund-aqsa",
            "Jund al-Aqsa",
            affiliations=(Affiliation("allied_with", "nusra", since=None, until=None),),
        ),
    )
    regime = base.regimes[0]
    if rule is not None:
        regime = replace(
            regime,
            excluded_actor_ids=frozenset(),
            exclusion_list="issg",
            exclusion_rule=rule,
            exclusion_follows=follows,
        )
    return replace(
        base,
        parties=(*base.parties, Party("uk", "United Kingdom")),
        actors=actors,
        regimes=(regime,),
        designation_lists=(ISSG,),
    )


def _submit_three(ledger: Ledger) -> list[service.Submitted]:
    return [
        service.submit(
            ledger,
            "issg",
            "ru",
            [Row(1, "Jabhat al-Nusra"), Row(2, "Jaish al-Islam"), Row(3, "Ахрар аш-Шам")],
        ),
        service.submit(
            ledger,
            "issg",
            "us",
            [
                Row(1, "nusra"),
                Row(2, "Ahrar al Sham"),
                Row(3, "jaish", Position.NOT_LISTED, "a party to the talks"),
            ],
        ),
        service.submit(
            ledger, "issg", "uk", [Row(1, "Al-Nusrah Front"), Row(2, "jaish", Position.NOT_LISTED)]
        ),
    ]


def test_the_consolidated_list_follows_each_rule_with_who_listed_what(ledger: Ledger) -> None:
    load_scenario(ledger, _scenario())
    submitted = _submit_three(ledger)
    assert [s.version for s in submitted] == [1, 2, 3]

    found = service.consolidated(ledger.db, "issg")
    nusra, ahrar, jaish = (found.entries[a] for a in ("nusra", "ahrar", "jaish"))
    # members in order of their ids
    assert (nusra.level, nusra.listed_by) == ("unanimous", ("ru", "uk", "us"))
    assert (ahrar.level, ahrar.listed_by, ahrar.silent) == ("majority", ("ru", "us"), ("uk",))
    assert (jaish.level, jaish.listed_by, jaish.not_listed_by) == (
        "disputed",
        ("ru",),
        ("uk", "us"),
    )
    listed = {
        rule.value: {a for a, e in found.entries.items() if e.holds_under(rule)}
        for rule in (ListRule.UNANIMOUS, ListRule.MAJORITY, ListRule.ANY)
    }
    assert listed == {
        "unanimous": {"nusra"},
        "majority": {"nusra", "ahrar"},
        "any": {"nusra", "ahrar", "jaish"},
    }
    # the first version held ru's list alone: one list of three for each actor on it
    first = service.consolidated(ledger.db, "issg", 1)
    assert first.entries["jaish"].level == "some"
    changes = {(c.actor_id, c.before, c.after) for c in service.compare(ledger.db, "issg", 1, 3)}
    assert changes == {
        ("nusra", "some", "unanimous"),
        ("ahrar", "some", "majority"),
        ("jaish", "some", "disputed"),
    }
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("majority", "excluded_actor"), ("unanimous", "potential_violation")],
)
def test_a_group_a_majority_lists_is_excluded_only_under_the_majority_rule(
    ledger: Ledger, rule: str, expected: str
) -> None:
    load_scenario(ledger, _scenario(rule))
    incident = submit_report(ledger, report("1", actors=("Ahrar al-Sham",))).incident_id
    before = latest_sequence(ledger.db)
    _submit_three(ledger)

    found, _ = queries.get_incident(ledger.db, incident, EVERYTHING)
    assert found.classification.value == expected
    if expected == "excluded_actor":
        assert "Ahrar al-Sham (on ISSG list of terrorist groups: a majority" in found.reasons[0]
        # the change reached the live feed
        _, changes = changes_since(ledger.db, before, EVERYTHING)
        assert incident in [c.incident.id for c in changes]


def test_the_submission_that_changes_a_class_names_the_incidents(ledger: Ledger) -> None:
    load_scenario(ledger, _scenario("majority"))
    incident = submit_report(ledger, report("1", actors=("Ahrar al-Sham",))).incident_id
    ru, us, uk = _submit_three(ledger)
    assert ru.reclassified == []  # one list of three: not yet a majority
    assert [(c.incident_id, c.before, c.after) for c in us.reclassified] == [
        (incident, "potential_violation", "excluded_actor")
    ]
    # us withdraws Ahrar al-Sham: its list now leaves it out, and the class goes back
    withdrawn = service.submit(ledger, "issg", "us", [Row(1, "nusra")])
    assert ("ahrar", Position.NOT_LISTED) in [(d.actor_id, d.position) for d in withdrawn.signed]
    assert [(c.actor_id, c.before, c.after) for c in withdrawn.changes] == [
        ("ahrar", "majority", "disputed")  # ru lists it, us now refuses it
    ]
    assert [(c.before, c.after) for c in withdrawn.reclassified] == [
        ("excluded_actor", "potential_violation")
    ]
    assert uk.version == 3 and withdrawn.version == 4


def test_groups_connected_with_a_listed_one_are_excluded_with_the_connection_named(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, _scenario("unanimous", follows=("allied_with",)))
    incident = submit_report(ledger, report("1", actors=("Jund al-Aqsa",))).incident_id
    _submit_three(ledger)
    found, _ = queries.get_incident(ledger.db, incident, EVERYTHING)
    assert found.classification.value == "excluded_actor"
    assert "Jund al-Aqsa (allied with Jabhat al-Nusra)" in found.reasons[0]


def test_a_bad_submission_names_each_row_and_writes_nothing(ledger: Ledger) -> None:
    load_scenario(ledger, _scenario("majority"))
    with pytest.raises(InvalidInputError) as raised:
        service.submit(
            ledger,
            "issg",
            "ru",
            [Row(1, "nusra"), Row(2, "Jaysh al-Fatah"), Row(3, "un:QDe.999")],
        )
    message = str(raised.value)
    assert "row 2: 'Jaysh al-Fatah' names no actor" in message
    assert "row 3: no actor has UN reference 'QDe.999'" in message
    assert service.versions(ledger.db, "issg") == []
    with pytest.raises(InvalidInputError, match="'fr': no such party"):
        service.submit(ledger, "issg", "fr", [Row(1, "nusra")])
    with pytest.raises(InvalidInputError, match="both listed and not listed"):
        service.submit(
            ledger, "issg", "ru", [Row(1, "nusra"), Row(2, "nusra", Position.NOT_LISTED)]
        )
    assert service.versions(ledger.db, "issg") == []


def test_a_submission_names_only_the_incidents_its_party_reads(ledger: Ledger) -> None:
    """An incident filed under syria's agreement (co-chairs us and ru) is reclassified by
    uk's list like any other, but uk's answer does not name it: uk does not read it."""
    load_scenario(ledger, _scenario("majority"))
    scoped = submit_report(
        ledger, report("1", actors=("Ahrar al-Sham",)), author="us", scope="syria"
    ).incident_id
    assert service.submit(ledger, "issg", "ru", [Row(1, "Ахрар аш-Шам")]).reclassified == []
    uk = service.submit(ledger, "issg", "uk", [Row(1, "Ahrar al-Sham")])  # a majority now
    found, _ = queries.get_incident(ledger.db, scoped, EVERYTHING)
    assert found.classification.value == "excluded_actor"  # reclassified all the same
    assert uk.reclassified == []  # but not named to uk
    ru = service.submit(ledger, "issg", "ru", [Row(1, "nusra")])  # ru withdraws it
    assert [(c.incident_id, c.after) for c in ru.reclassified] == [
        (scoped, "potential_violation")
    ]  # ru reads it


def _stale(ledger: Ledger, incident_id: int) -> None:
    """Store a classification the rules would not give, to see whether it is read again."""
    with ledger.db.transaction() as conn:
        incidents = t.incidents
        stale = incidents.update().where(incidents.c.id == incident_id)
        conn.execute(stale.values(classification="undetermined"))


def test_a_new_version_classifies_again_only_incidents_naming_an_actor_it_moved(
    ledger: Ledger,
) -> None:
    """Every incident was read again under the log's lock (minutes on a million); those
    naming no actor whose exclusion changed keep their classification, even one out of
    date."""
    load_scenario(ledger, _scenario("majority"))
    ahrar = submit_report(ledger, report("1", actors=("Ahrar al-Sham",))).incident_id
    army = submit_report(ledger, report("2", lon=37.2, actors=("Syrian Arab Army",))).incident_id
    _stale(ledger, army)

    submitted = _submit_three(ledger)

    assert [[c.incident_id for c in s.reclassified] for s in submitted] == [[], [ahrar], []]
    found, _ = queries.get_incident(ledger.db, army, EVERYTHING)
    assert found.classification.value == "undetermined"


def test_ground_held_by_a_group_newly_listed_is_classified_again(ledger: Ledger) -> None:
    load_scenario(ledger, _scenario("majority", follows=("territory",)))
    held = shapely.box(36.5, 35.8, 36.8, 36.0)
    area = {"actor": "ahrar", "valid_from": "2015-01-01", "source": "test"}
    feature = {"type": "Feature", "geometry": shapely.geometry.mapping(held), "properties": area}
    rows = area_rows({"type": "FeatureCollection", "features": [feature]})
    record_areas(ledger, rows, author="ru")
    strike = submit_report(ledger, report("1", lon=36.63, lat=35.93, actors=("Syrian Arab Army",)))

    _, us, _ = _submit_three(ledger)

    assert [(c.incident_id, c.after) for c in us.reclassified] == [
        (strike.incident_id, "excluded_actor")
    ]


def test_a_versions_count_is_what_its_comparison_with_the_one_before_lists(
    ledger: Ledger,
) -> None:
    """A version's changes, its count and the comparison with the version before are one
    computation: a note alone makes no version, and a position that moves without moving
    the level (a refusal of a group no member lists) is a change all the same."""
    load_scenario(ledger, _scenario())
    _submit_three(ledger)
    noted = service.submit(
        ledger,
        "issg",
        "ru",
        [Row(1, "nusra", note="the same list"), Row(2, "jaish"), Row(3, "ahrar")],
    )
    assert noted.version is None and [d.actor_id for d in noted.signed] == ["nusra"]
    assert noted.changes == [] and "no position moved; 1 note changed" in noted.line()
    refused = service.submit(
        ledger,
        "issg",
        "uk",
        [Row(1, "nusra"), Row(2, "jaish", Position.NOT_LISTED), Row(3, "saa", Position.NOT_LISTED)],
    )
    assert refused.version == 4
    assert [(c.actor_id, c.change.value, c.before, c.after) for c in refused.changes] == [
        ("saa", "held", "none", "none")
    ]
    made = service.versions(ledger.db, "issg")
    assert [(v.number, v.party_id, len(v.changes)) for v in made] == [
        (1, "ru", 3),
        (2, "us", 3),
        (3, "uk", 2),
        (4, "uk", 1),
    ]
    for version in made:
        assert service.compare(ledger.db, "issg", version.number - 1, version.number) == (
            version.changes
        )
    assert made[3].changes == refused.changes
    with pytest.raises(InvalidInputError, match=r"^from: 9: the list has versions 0 to 4"):
        service.compare(ledger.db, "issg", 9, 1)


def test_a_resubmission_without_notes_keeps_the_notes_of_the_groups_it_keeps(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, _scenario())
    service.submit(
        ledger,
        "issg",
        "ru",
        [Row(1, "nusra", note="everyone agrees"), Row(2, "ahrar", note="evidence given")],
    )
    again = service.submit(ledger, "issg", "ru", [Row(1, "nusra"), Row(2, "ahrar")])
    assert (again.version, again.signed, again.line()) == (
        None,
        [],
        "ru's list for issg: no change",
    )
    assert service.consolidated(ledger.db, "issg").notes == {
        ("nusra", "ru"): "everyone agrees",
        ("ahrar", "ru"): "evidence given",
    }
    # a position that moves drops the reason for the old one; a note "" removes one
    moved = service.submit(
        ledger, "issg", "ru", [Row(1, "nusra", note=""), Row(2, "ahrar", Position.NOT_LISTED)]
    )
    assert moved.version == 2 and service.consolidated(ledger.db, "issg").notes == {}
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_a_preview_says_what_a_submission_would_change_and_writes_nothing(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, _scenario())
    _submit_three(ledger)
    # uk's whole list: it adds Ahrar al-Sham; its refusal of Jaish al-Islam stays
    rows = [Row(1, "nusra"), Row(2, "Ahrar al-Sham", note="now listed")]
    plan = service.preview(ledger.db, "issg", "uk", rows)
    assert [(c.actor_id, c.change.value, c.before, c.after) for c in plan.changes] == [
        ("ahrar", "moved", "majority", "unanimous")
    ]
    assert len(service.versions(ledger.db, "issg")) == 3  # nothing written
    done = service.submit(ledger, "issg", "uk", rows)
    assert (done.changes, done.signed) == (plan.changes, plan.signed)
    with pytest.raises(InvalidInputError, match="'fr' is not a member"):
        service.preview(ledger.db, "issg", "fr", rows)
    with pytest.raises(RowsError) as raised:
        service.preview(ledger.db, "issg", "uk", [Row(4, "Jaysh al-Fatah")])
    assert (
        list(raised.value.rows) == [4] and raised.value.rows[4].values["name"] == "Jaysh al-Fatah"
    )
