"""Merging incidents: ids are never used again, a merged id points to the survivor, and the
findings of merged incidents move with their reports, signed and verifiable; incidents of
two agreements are never merged, nor incidents far apart unless the analyst confirms it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from builders import report, scenario
from ceasefire.domain.errors import GoneError, InvalidInputError, PermissionDeniedError
from ceasefire.domain.measures import MeasureKind
from ceasefire.domain.merges import FarApartError
from ceasefire.domain.regimes import Agreement
from ceasefire.domain.visibility import Audience
from ceasefire.domain.workflow import Confidence, Finding, JointStatus, Role
from ceasefire.services import findings, queries
from ceasefire.services.accounts import Accounts
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.merges import merge_incidents, split_incident
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.verification import verify_database
from ceasefire.store import tables as t
from ceasefire.store.users import User
from conftest import PASSWORD_MEMORY_KIB

ORIGIN = "ceasefire.localhost/ledger"


@pytest.fixture
def officers(ledger: Ledger) -> tuple[User, User]:
    load_scenario(ledger, scenario())
    accounts = Accounts(ledger.db, memory_kib=PASSWORD_MEMORY_KIB)
    us = accounts.add_user("us", "us-officer", role=Role.OFFICER, password=None)
    ru = accounts.add_user("ru", "ru-officer", role=Role.OFFICER, password=None)
    return us, ru


def assess(ledger: Ledger, user: User, incident: int, finding: Finding) -> None:
    findings.assess(ledger, user, incident, findings.Assessing(finding, Confidence.HIGH, "seen"))


def test_merging_incidents_with_findings_moves_them_to_the_survivor(
    ledger: Ledger, officers: tuple[User, User]
) -> None:
    us, ru = officers
    a = submit_report(ledger, report("a", source="us"), author="us").incident_id
    b = submit_report(ledger, report("b", source="ru", lon=36.9), author="ru").incident_id
    assess(ledger, us, a, Finding.VIOLATION)  # each co-chair assessed its own sighting
    assess(ledger, ru, b, Finding.NO_VIOLATION)
    measure = findings.propose_measure(
        ledger, ru, b, kind=MeasureKind.DEMARCHE, description="d", owner_party="us"
    )

    merged = merge_incidents(ledger, [b, a], author="us")

    keep, gone = min(a, b), max(a, b)
    assert merged.incident.id == keep and merged.merged_ids == (gone,)
    assert len(merged.reports) == 1 and len(merged.assessments) == 1
    assert merged.measures == ((measure.id,) if gone == b else ())
    joint = findings.findings(ledger.db, keep, EVERYTHING)
    assert joint.joint.status is JointStatus.DISPUTED  # both findings now bear on one incident
    assert [m.incident_id for m in findings.measures_of(ledger.db, keep, EVERYTHING)] == [keep]
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_a_merged_id_answers_gone_pointing_to_the_survivor_through_later_merges(
    ledger: Ledger, officers: tuple[User, User]
) -> None:
    ids = [
        submit_report(
            ledger, report(str(n), source=f"s{n}", lon=36 + n, day=date(2016, 3, 2 + 5 * n))
        ).incident_id
        for n in range(3)
    ]
    merge_incidents(ledger, [ids[1], ids[2]])
    merge_incidents(ledger, [ids[0], ids[1]])
    with pytest.raises(GoneError) as raised:
        queries.get_incident(ledger.db, ids[2], EVERYTHING)
    assert raised.value.moved_to == f"incidents/{ids[0]}"
    assert f"incident {ids[2]} was merged into incident {ids[0]}" in str(raised.value)


def test_incident_ids_are_never_used_again(ledger: Ledger, officers: tuple[User, User]) -> None:
    first = submit_report(ledger, report("1", source="s1")).incident_id
    last = submit_report(ledger, report("2", source="s2", lon=37.2)).incident_id  # 84 km
    merged = merge_incidents(ledger, [first, last]).incident  # the largest id goes
    kept, split = split_incident(ledger, merged.id, [submit_id(ledger, "2")])
    assert kept.id == first
    fresh = submit_report(ledger, report("3", source="s3", lon=38.5)).incident_id
    assert len({first, last, split.id, fresh}) == 4
    assert split.id > last and fresh > split.id


def submit_id(ledger: Ledger, source_id: str) -> int:
    (stored,) = [
        r for r in queries.list_reports(ledger.db, EVERYTHING) if r.report.source_id == source_id
    ]
    return stored.id


def test_a_party_cannot_merge_away_findings_under_an_agreement_it_is_not_in(
    ledger: Ledger, officers: tuple[User, User]
) -> None:
    us, _ = officers
    a = submit_report(ledger, report("a", source="s1"), scope=None).incident_id
    b = submit_report(ledger, report("b", source="s2", lon=38.0, day=date(2016, 3, 9)), scope=None)
    assess(ledger, us, b.incident_id, Finding.VIOLATION)
    outsider = Audience.of_party("osce", [])
    with pytest.raises(PermissionDeniedError, match="carry findings under syria"):
        merge_incidents(ledger, [a, b.incident_id], audience=outsider)


def test_a_joint_attribution_settles_the_claims_and_the_feed_hears_of_it(
    ledger: Ledger, officers: tuple[User, User]
) -> None:
    us, ru = officers
    ours = submit_report(ledger, report("u", source="us", actors=("Syrian Arab Army",)))
    theirs = submit_report(ledger, report("r", source="ru", actors=("Al-Nusrah Front",)))
    incident = merge_incidents(ledger, [ours.incident_id, theirs.incident_id]).incident.id
    disputed, _ = queries.get_incident(ledger.db, incident, EVERYTHING)
    assert disputed.attribution_disputed

    def attribute(user: User, actor: str) -> None:
        findings.assess(
            ledger,
            user,
            incident,
            findings.Assessing(Finding.NO_VIOLATION, Confidence.HIGH, "seen", actor),
        )

    attribute(us, "nusra")  # one co-chair's attribution settles nothing
    assert queries.get_incident(ledger.db, incident, EVERYTHING)[0].attribution_disputed
    attribute(ru, "nusra")
    settled, _ = queries.get_incident(ledger.db, incident, EVERYTHING)
    assert settled.classification.value == "excluded_actor"
    assert not settled.attribution_disputed
    assert "the co-chairs' joint finding attributes it to Jabhat al-Nusra" in settled.reasons[0]
    with ledger.db.read() as conn:
        noted = conn.execute(
            t.reclassifications.select().where(t.reclassifications.c.incident_id == incident)
        ).all()
    assert [(n.before, n.after) for n in noted] == [("potential_violation", "excluded_actor")]
    attribute(us, "saa")  # the co-chairs differ again: the sources' claims count again
    again, _ = queries.get_incident(ledger.db, incident, EVERYTHING)
    assert again.classification.value == "potential_violation" and again.attribution_disputed
    assert verify_database(ledger.db, origin=ORIGIN).problems == []


def test_a_joint_attribution_to_an_actor_no_report_names_gives_its_name(
    ledger: Ledger, officers: tuple[User, User]
) -> None:
    filed = submit_report(ledger, report("u", source="us", actors=("Syrian Arab Army",)))
    for user in officers:
        findings.assess(
            ledger,
            user,
            filed.incident_id,
            findings.Assessing(Finding.NO_VIOLATION, Confidence.HIGH, "seen", "nusra"),
        )
    settled, _ = queries.get_incident(ledger.db, filed.incident_id, EVERYTHING)
    assert "the co-chairs' joint finding attributes it to Jabhat al-Nusra" in settled.reasons[0]


MINSK = Agreement("minsk", "Package of measures", "Europe/Kyiv", co_chairs=("us", "ru"))


def test_incidents_under_two_agreements_are_never_merged_and_both_are_named(
    ledger: Ledger,
) -> None:
    load_scenario(ledger, replace(scenario(), agreements=(*scenario().agreements, MINSK)))
    syrian = submit_report(ledger, report("s", source="s1"), author="us", scope="syria")
    donbas = submit_report(
        ledger, report("d", source="s2", lon=37.8, lat=48.0), author="us", scope="minsk"
    )
    ids = [donbas.incident_id, syrian.incident_id]
    with pytest.raises(InvalidInputError) as refused:
        merge_incidents(ledger, ids, confirm_far=True)  # no confirmation lifts it
    first, second = sorted(ids)
    scope = {syrian.incident_id: "syria", donbas.incident_id: "minsk"}
    assert refused.value.field == "incident_ids"
    assert (
        f"incidents {first} ({scope[first]}) and {second} ({scope[second]}) are of different "
        "scopes" in refused.value.message
    )
    incidents = [queries.get_incident(ledger.db, i, EVERYTHING)[0] for i in ids]
    assert [(i.agreement_id, i.report_count) for i in incidents] == [("minsk", 1), ("syria", 1)]


def test_incidents_far_apart_are_merged_only_when_the_analyst_confirms_it(
    ledger: Ledger, officers: tuple[User, User]
) -> None:
    damascus = submit_report(ledger, report("a", source="s1", day=date(2016, 3, 2)))
    aleppo = submit_report(
        ledger, report("b", source="s2", lon=37.16, lat=36.2, day=date(2016, 3, 20))
    )
    ids = [damascus.incident_id, aleppo.incident_id]
    with pytest.raises(FarApartError) as refused:
        merge_incidents(ledger, ids)
    assert refused.value.field == "confirm_far"
    assert (
        f"incidents {min(ids)} (33.5100, 36.2900, 2016-03-02) and {max(ids)} (36.2000, 37.1600, "
        "2016-03-20) are far apart (309 km; days between them: 17)" in refused.value.message
    )
    assert queries.get_incident(ledger.db, max(ids), EVERYTHING)[0].report_count == 1

    merged = merge_incidents(ledger, ids, confirm_far=True)

    assert merged.incident.id == min(ids) and merged.incident.report_count == 2
    with pytest.raises(GoneError):
        queries.get_incident(ledger.db, max(ids), EVERYTHING)
    assert verify_database(ledger.db, origin=ORIGIN).problems == []
