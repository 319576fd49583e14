"""Loading a scenario again applies the file's own changes and never silently undoes a
signed change made since (an extension agreed over the API, a regime edited)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import box, mapping
from sqlalchemy import select

from builders import ending, following_a_list, report, scenario
from ceasefire.domain.actors import Actor, Affiliation
from ceasefire.domain.designations import Row
from ceasefire.domain.errors import ConflictError
from ceasefire.domain.regimes import Extension
from ceasefire.domain.scenarios import Reload, Scenario, reload_decision
from ceasefire.ingest.control_files import area_rows
from ceasefire.services import designations, queries
from ceasefire.services.control import record_areas
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.regimes import extend_regime
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.verification import verify_database
from ceasefire.services.writers import Writer
from ceasefire.store import tables as t
from ceasefire.store.upserts import Outcome

DAMASCUS = ZoneInfo("Asia/Damascus")
AGREED = Extension(datetime(2016, 12, 31, tzinfo=DAMASCUS), note="agreed by the co-chairs")


def declared() -> Scenario:
    """The builders' scenario, its cessation declared until 20 September 2016 (``AGREED``
    extends it)."""
    return ending(scenario(), datetime(2016, 9, 20, tzinfo=DAMASCUS))


def with_regime_description(base: Scenario, text: str) -> Scenario:
    (regime,) = base.regimes
    return replace(base, regimes=(replace(regime, description=text),))


def entries_about(ledger: Ledger, record: str) -> list[tuple[str, str]]:
    e = t.ledger_entries
    with ledger.db.read() as conn:
        rows = conn.execute(
            select(e.c.kind, e.c.author_party).where(e.c.record == record).order_by(e.c.sequence)
        )
        return [(kind, author) for kind, author in rows]


def test_loading_the_same_file_again_keeps_an_extension_agreed_since(ledger: Ledger) -> None:
    load_scenario(ledger, declared())
    extend_regime(ledger, "coh", AGREED, author="ru")
    again = load_scenario(ledger, declared())
    assert again.kept == ["regime:coh"] and not again.changed
    assert "kept as changed since the file's last load: regime:coh" in again.line()
    (regime,) = queries.list_regimes(ledger.db)
    assert regime.effective_end == AGREED.new_end  # not undone
    assert [k for k, _ in entries_about(ledger, "regime:coh")] == [
        "regime.created",
        "regime.extended",
    ]


def test_a_file_change_to_a_regime_nobody_changed_since_is_applied(ledger: Ledger) -> None:
    load_scenario(ledger, scenario())
    changed = load_scenario(ledger, with_regime_description(scenario(), "as amended"))
    assert changed.outcomes["regimes"]["updated"] == 1
    (regime,) = queries.list_regimes(ledger.db)
    assert regime.description == "as amended"


def test_a_file_that_would_undo_a_later_change_is_refused_and_writes_nothing(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, declared())
    extend_regime(ledger, "coh", AGREED, author="ru")
    size = verify_database(ledger.db, origin=None).size
    with pytest.raises(ConflictError) as raised:
        load_scenario(ledger, with_regime_description(declared(), "as amended"))
    message = str(raised.value)
    assert "would undo what was changed since the file was last loaded" in message
    assert "regime:coh ('description', 'extensions')" in message
    assert "--force" in message
    assert verify_database(ledger.db, origin=None).size == size  # nothing was signed
    (regime,) = queries.list_regimes(ledger.db)
    assert regime.effective_end == AGREED.new_end and regime.description == ""


def test_force_applies_the_file_and_signs_the_reversal(ledger: Ledger) -> None:
    load_scenario(ledger, declared())
    extend_regime(ledger, "coh", AGREED, author="ru")
    forced = load_scenario(ledger, with_regime_description(declared(), "as amended"), force=True)
    assert forced.reverted == ["regime:coh"]
    assert "reverted to the file (--force), undoing later changes: regime:coh" in forced.line()
    (regime,) = queries.list_regimes(ledger.db)
    assert regime.extensions == () and regime.description == "as amended"
    assert entries_about(ledger, "regime:coh")[-1] == ("regime.updated", "host")
    assert verify_database(ledger.db, origin="ceasefire.localhost/ledger").problems == []


def test_a_database_older_than_the_rule_refuses_only_where_a_party_changed_the_record(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, declared())
    with ledger.db.transaction() as conn:  # as a database from before scenario_records
        conn.execute(t.scenario_records.delete())
    amended = with_regime_description(declared(), "as amended")
    assert load_scenario(ledger, amended).outcomes["regimes"]["updated"] == 1  # host only
    with ledger.db.transaction() as conn:
        conn.execute(t.scenario_records.delete())
    extend_regime(ledger, "coh", AGREED, author="ru")
    with pytest.raises(ConflictError, match="regime:coh"):
        load_scenario(ledger, amended)


@pytest.mark.parametrize(
    ("before", "file", "previous", "only_loads", "decision"),
    [
        (None, {"a": 1}, None, True, Reload.APPLY),
        ({"a": 1}, {"a": 1}, {"a": 0}, True, Reload.SAME),
        ({"a": 2}, {"a": 1}, {"a": 1}, True, Reload.KEEP),
        ({"a": 1}, {"a": 3}, {"a": 1}, True, Reload.APPLY),
        ({"a": 2}, {"a": 3}, {"a": 1}, True, Reload.UNDO),
        ({"a": 2}, {"a": 3}, None, True, Reload.APPLY),
        ({"a": 2}, {"a": 3}, None, False, Reload.UNDO),
    ],
)
def test_the_reload_rule(
    before: dict[str, int] | None,
    file: dict[str, int],
    previous: dict[str, int] | None,
    only_loads: bool,
    decision: Reload,
) -> None:
    assert reload_decision(before, file, previous, only_loads=only_loads) is decision


def test_a_file_changing_only_an_actor_classifies_again_only_what_the_actor_can_change(
    ledger: Ledger,
) -> None:
    """A new alias moves no exclusion and resolves no name the reports give: no incident is
    read again (every incident was, after any change: ten minutes on a million), so those
    whose stored classification is out of date show it; a regime's change reads them all."""
    base = scenario()
    load_scenario(ledger, base)
    named = submit_report(ledger, report("1", lon=36.0, actors=("Syrian Arab Army",)))
    elsewhere = submit_report(ledger, report("2", lon=37.0, actors=("Jabhat al-Nusra",)))
    was = {i: _classification(ledger, i) for i in (named.incident_id, elsewhere.incident_id)}
    with ledger.db.transaction() as conn:
        conn.execute(t.incidents.update().values(classification="not_covered"))
    saa = next(a for a in base.actors if a.id == "saa")
    renamed = replace(saa, aliases=(*saa.aliases, "SAA"))
    actors = tuple(renamed if a.id == "saa" else a for a in base.actors)

    summary = load_scenario(ledger, replace(base, actors=actors))

    assert summary.outcomes["actors"][Outcome.UPDATED] == 1 and summary.reclassified == 0
    assert _classification(ledger, named.incident_id) == "not_covered"  # not read again
    regimes = replace(base.regimes[0], description="a regime changed too")
    again = load_scenario(ledger, replace(base, actors=actors, regimes=(regimes,)))
    assert again.reclassified == 2  # a regime changed: every incident
    assert {i: _classification(ledger, i) for i in was} == was


def test_a_designation_filed_while_a_load_waits_for_the_lock_is_not_missed(
    ledger: Ledger,
) -> None:
    """The rules the load compares with are those under the log's lock: a list's new
    version filed just before excludes the group two links below Liwa al-Aqsa, and the
    file then unties the link between them; compared with the rules read before that
    version, the group's exclusion would not seem to move, and it would stay excluded."""
    load_scenario(ledger, _tied_file(tied=True))
    filed = submit_report(ledger, report("1", actors=("Sariyat al-Nur",)))
    assert _classification(ledger, filed.incident_id) == "potential_violation"
    write = ledger.write

    @contextmanager
    def first_another(author: str | None = None) -> Iterator[Writer]:
        ledger.write = write  # type: ignore[method-assign]
        designations.submit(ledger, "issg", "ru", [Row(1, "liwa")])
        assert _classification(ledger, filed.incident_id) == "excluded_actor"
        with write(author) as writer:
            yield writer

    ledger.write = first_another  # type: ignore[method-assign]
    load_scenario(ledger, _tied_file(tied=False))  # the battalion is no part of Liwa

    assert ledger.write == write
    assert _classification(ledger, filed.incident_id) == "potential_violation"


def _tied_file(*, tied: bool) -> Scenario:
    liwa = Actor("liwa", "Liwa al-Aqsa")
    link = (Affiliation("part_of", "liwa"),) if tied else ()
    battalion = Actor("katiba", "Katibat al-Fajr", affiliations=link)
    company = Actor("sariya", "Sariyat al-Nur", affiliations=(Affiliation("part_of", "katiba"),))
    return following_a_list("any", ("part_of",), (liwa, battalion, company))


def _classification(ledger: Ledger, incident_id: int) -> str:
    with ledger.db.read() as conn:
        found = conn.execute(
            select(t.incidents.c.classification).where(t.incidents.c.id == incident_id)
        ).scalar()
    assert isinstance(found, str)
    return found


def test_a_file_tying_an_actor_to_an_excluded_one_reclassifies_the_groups_under_it(
    ledger: Ledger,
) -> None:
    """Only Liwa al-Aqsa changes (it is now part of Jabhat al-Nusra), but the battalion
    under it, named by the incident, is now connected to an excluded group too."""
    base = scenario()
    base = replace(base, regimes=(replace(base.regimes[0], exclusion_follows=("part_of",)),))
    liwa = Actor("liwa", "Liwa al-Aqsa")
    battalion = Actor("katiba", "Katibat al-Fajr", affiliations=(Affiliation("part_of", "liwa"),))
    load_scenario(ledger, replace(base, actors=(*base.actors, liwa, battalion)))
    filed = submit_report(ledger, report("1", actors=("Katibat al-Fajr",)))
    assert _classification(ledger, filed.incident_id) == "potential_violation"

    tied = replace(liwa, affiliations=(Affiliation("part_of", "nusra"),))
    summary = load_scenario(ledger, replace(base, actors=(*base.actors, tied, battalion)))

    assert _classification(ledger, filed.incident_id) == "excluded_actor"
    assert summary.reclassified == 1


def test_a_file_listing_an_actor_reclassifies_the_ground_the_group_under_it_holds(
    ledger: Ledger,
) -> None:
    """A regime excluding UN-listed groups and those part of them, and strikes on ground
    they hold: Liwa al-Aqsa's new UN listing excludes the battalion under it and so its
    ground, where an incident names nobody excluded."""

    def file(un_reference: str | None) -> Scenario:
        base = _tied_file(tied=True)
        regime = replace(
            base.regimes[0], exclusion_rule="un_listed", exclusion_follows=("part_of", "territory")
        )
        actors = tuple(
            replace(a, un_reference=un_reference) if a.id == "liwa" else a for a in base.actors
        )
        return replace(base, actors=actors, regimes=(regime,))

    load_scenario(ledger, file(None))
    held = {"actor": "katiba", "valid_from": "2015-01-01", "source": "monitors"}
    area = {"type": "Feature", "geometry": mapping(box(36.5, 35.8, 36.8, 36.0)), "properties": held}
    record_areas(ledger, area_rows({"type": "FeatureCollection", "features": [area]}), author="ru")
    filed = submit_report(ledger, report("1", lon=36.63, lat=35.93, actors=("Syrian Arab Army",)))
    assert _classification(ledger, filed.incident_id) == "potential_violation"

    load_scenario(ledger, file("QDe.999"))

    assert _classification(ledger, filed.incident_id) == "excluded_actor"
