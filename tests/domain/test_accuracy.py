"""The accuracy rules of classification: claims, not votes; what counts as a hostility; the
possible area clipped to what the source also says."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import box

from ceasefire.domain.classification import Classification, RegimeIndex, Subject, classify_one
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import EventLocation, EventTime
from ceasefire.domain.precision import LocationPrecision
from ceasefire.domain.regimes import Agreement, Regime
from ceasefire.domain.taxonomy import check_hostilities

DAMASCUS = ZoneInfo("Asia/Damascus")
COH = Regime(
    id="syria-coh",
    agreement_id="syria",
    name="Cessation of hostilities – Syria",
    geometry=box(35.7, 32.3, 42.4, 37.3),
    start=datetime(2016, 2, 27, tzinfo=DAMASCUS),
    end=None,
    time_zone="Asia/Damascus",
    excluded_actor_ids=frozenset({"nusra"}),
)
DAY = EventTime.dates(date(2016, 3, 2), date(2016, 3, 2))
ALEPPO = EventLocation(37.16, 36.2, LocationPrecision.EXACT)
NAMES = (("nusra", "Jabhat al-Nusra"), ("saa", "Syrian Arab Army"))


def claimed(*claims: tuple[str, tuple[str, ...]]) -> Subject:
    actors = frozenset(a for _, ids in claims for a in ids)
    return Subject(
        DAY,
        ALEPPO,
        actors,
        actor_names=NAMES,
        claims=tuple((source, frozenset(ids)) for source, ids in claims),
    )


def test_a_disputed_attribution_stays_a_potential_violation_with_both_claims() -> None:
    subject = claimed(("us-centre", ("saa",)), ("ru-centre", ("nusra",)))
    assessment = RegimeIndex([COH]).assess([subject])
    (result,) = RegimeIndex([COH]).classify([subject])
    assert result.classification is Classification.POTENTIAL_VIOLATION
    assert assessment.outcomes()[0].attribution_disputed
    assert result.reasons[0].endswith(
        "no excluded actor; attribution disputed, each source's claim of who was involved: "
        "ru-centre: Jabhat al-Nusra; us-centre: Syrian Arab Army"
    )


def test_sources_that_agree_on_an_excluded_actor_make_it_excluded_and_not_disputed() -> None:
    subject = claimed(("us-centre", ("nusra",)), ("ru-centre", ("nusra", "saa")))
    assessment = RegimeIndex([COH]).assess([subject])
    assert assessment.outcomes()[0].classification is Classification.EXCLUDED_ACTOR
    assert not assessment.outcomes()[0].attribution_disputed


def test_a_source_that_names_no_one_makes_no_claim() -> None:
    subject = claimed(("us-centre", ("nusra",)), ("ucdp-ged", ()))
    assert classify_one(subject, [COH]).classification is Classification.EXCLUDED_ACTOR


def test_a_strategic_development_is_not_covered_with_a_reason() -> None:
    subject = Subject(DAY, ALEPPO, event_type="Strategic developments")
    result = classify_one(subject, [COH])
    assert result.classification is Classification.NOT_COVERED
    assert result.reasons[0] == (
        "2016-03-02 (known to the day), at its reported point: Strategic developments, which "
        "'Cessation of hostilities – Syria' (from 2016-02-27 00:00) does not cover (its "
        "agreement prohibits Battles, Explosions/Remote violence, Violence against civilians)"
    )


def test_an_agreement_may_prohibit_other_types_and_an_untyped_event_counts() -> None:
    protests = replace(COH, hostilities=frozenset({"Battles", "Protests"}))
    for event_type, expected in (
        ("Protests", Classification.POTENTIAL_VIOLATION),
        ("Violence against civilians", Classification.NOT_COVERED),
        (None, Classification.POTENTIAL_VIOLATION),
    ):
        subject = Subject(DAY, ALEPPO, event_type=event_type)
        assert classify_one(subject, [protests]).classification is expected, event_type


def test_a_type_outside_the_window_is_still_outside_regime() -> None:
    before = EventTime.dates(date(2016, 2, 1), date(2016, 2, 1))
    subject = Subject(before, ALEPPO, event_type="Protests")
    assert classify_one(subject, [COH]).classification is Classification.OUTSIDE_REGIME


def test_hostilities_are_checked_against_the_acled_types() -> None:
    assert check_hostilities(("battles", "Riots")) == ("Battles", "Riots")
    with pytest.raises(InvalidInputError) as refused:
        Agreement("a", "A", "UTC", hostilities=("Battles", "Skirmishes"))
    assert refused.value.field == "agreement 'a': hostilities[1]"
    assert "'Skirmishes' is not an ACLED event type" in refused.value.message


ZONE = box(0.0, 0.0, 1.0, 1.0)  # a regime whose area is the whole of one unit
UNIT = box(0.0, 0.0, 1.0, 1.0)
TRUCE = Regime("t", "a", "Truce", ZONE, datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC")), None, "UTC")
COAST = EventLocation(0.95, 0.5, LocationPrecision.NEAR, place="Shore", admin1="Unit")
LATER = EventTime.dates(date(2020, 3, 1), date(2020, 3, 1))


def test_a_circle_that_reaches_past_the_unit_its_source_names_is_clipped_to_it() -> None:
    bare = classify_one(Subject(LATER, COAST), [TRUCE])
    clipped = classify_one(Subject(LATER, COAST, bounds=UNIT, within="Unit"), [TRUCE])
    assert bare.classification is Classification.UNDETERMINED  # 25 km reach past x = 1
    assert clipped.classification is Classification.POTENTIAL_VIOLATION
    assert "located only to Shore (near, 25 km), within Unit" in clipped.reasons[0]


def test_a_point_outside_the_unit_it_names_keeps_its_whole_circle() -> None:
    elsewhere = box(5.0, 5.0, 6.0, 6.0)
    result = classify_one(Subject(LATER, COAST, bounds=elsewhere, within="Far"), [TRUCE])
    assert result.classification is Classification.UNDETERMINED


def test_a_clipped_area_with_no_place_name_says_so_without_a_gap() -> None:
    unnamed = EventLocation(0.95, 0.5, LocationPrecision.NEAR)
    result = classify_one(Subject(LATER, unnamed, bounds=UNIT, within="Unit"), [TRUCE])
    assert "located only to (near, 25 km), within Unit" in result.reasons[0]
