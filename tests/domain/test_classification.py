from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from ceasefire.domain.classification import (
    NO_REGIME_REASON,
    Classification,
    RegimeIndex,
    Subject,
    classify_one,
)
from ceasefire.domain.events import EventLocation, EventTime
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.regimes import Extension, Regime

DAMASCUS = ZoneInfo("Asia/Damascus")
SYRIA = box(35.7, 32.3, 42.4, 37.3)
COH = Regime(
    id="syria-coh",
    agreement_id="syria",
    name="Cessation of hostilities – Syria",
    geometry=SYRIA,
    start=datetime(2016, 2, 27, tzinfo=DAMASCUS),
    end=None,
    time_zone="Asia/Damascus",
    excluded_actor_ids=frozenset({"isil", "nusra"}),
)
DAMASCUS_POINT = EventLocation(36.29, 33.51, LocationPrecision.EXACT)


def subject(
    time: EventTime, where: EventLocation = DAMASCUS_POINT, actors: tuple[str, ...] = ()
) -> Subject:
    return Subject(
        time, where, frozenset(actors), actor_names=(("isil", "ISIL"), ("nusra", "Jabhat al-Nusra"))
    )


def on_day(day: date) -> EventTime:
    return EventTime.dates(day, day)


def test_exact_time_inside_nationwide_truce_is_potential_violation_with_the_reason() -> None:
    result = classify_one(
        subject(EventTime.at(datetime(2016, 2, 27, 3, 10, tzinfo=DAMASCUS))), [COH]
    )
    assert result.classification is Classification.POTENTIAL_VIOLATION
    assert result.reasons == (
        "2016-02-27 03:10 Damascus time, inside 'Cessation of hostilities – Syria' "
        "(from 2016-02-27 00:00), no excluded actor",
    )
    assert result.regime_ids == ("syria-coh",)


def test_exact_time_a_minute_before_the_start_is_outside_regime() -> None:
    result = classify_one(
        subject(EventTime.at(datetime(2016, 2, 26, 23, 59, tzinfo=DAMASCUS))), [COH]
    )
    assert result.classification is Classification.OUTSIDE_REGIME
    assert "before 'Cessation of hostilities – Syria'" in result.reasons[0]


def test_a_day_dated_event_on_a_midnight_start_day_is_inside() -> None:
    # the cessation began at 00:00 Damascus time on 27 February: the whole day is inside
    result = classify_one(subject(on_day(date(2016, 2, 27))), [COH])
    assert result.classification is Classification.POTENTIAL_VIOLATION
    assert result.reasons[0].startswith("2016-02-27 (known to the day), inside")


def test_event_known_only_to_the_day_a_truce_starts_within_is_undetermined() -> None:
    noon = Regime(
        id="noon",
        agreement_id="local",
        name="Noon truce",
        geometry=SYRIA,
        start=datetime(2016, 2, 27, 12, 0, tzinfo=DAMASCUS),
        end=None,
        time_zone="Asia/Damascus",
    )
    result = classify_one(subject(on_day(date(2016, 2, 27))), [noon])
    assert result.classification is Classification.UNDETERMINED
    assert "starts within that day" in result.reasons[0]


def test_a_day_dated_event_on_a_midnight_end_day_is_after_and_the_day_before_inside() -> None:
    truce = Regime(
        id="until-midnight",
        agreement_id="local",
        name="Truce",
        geometry=SYRIA,
        start=datetime(2016, 5, 1, tzinfo=DAMASCUS),
        end=datetime(2016, 5, 6, tzinfo=DAMASCUS),
        time_zone="Asia/Damascus",
    )
    on = classify_one(subject(on_day(date(2016, 5, 6))), [truce])
    before = classify_one(subject(on_day(date(2016, 5, 5))), [truce])
    straddling = EventTime.dates(date(2016, 5, 4), date(2016, 5, 8), TimePrecision.WEEK)
    assert on.classification is Classification.OUTSIDE_REGIME
    assert before.classification is Classification.POTENTIAL_VIOLATION
    assert classify_one(subject(straddling), [truce]).classification is (
        Classification.UNDETERMINED
    )


def test_event_known_to_the_day_before_the_start_is_outside_and_the_day_after_inside() -> None:
    before = classify_one(subject(on_day(date(2016, 2, 26))), [COH])
    after = classify_one(subject(on_day(date(2016, 2, 28))), [COH])
    assert before.classification is Classification.OUTSIDE_REGIME
    assert after.classification is Classification.POTENTIAL_VIOLATION


def test_event_known_only_to_the_day_a_truce_ends_is_undetermined() -> None:
    truce = Regime(
        id="aleppo",
        agreement_id="local",
        name="Aleppo",
        geometry=SYRIA,
        start=datetime(2016, 5, 4, 0, 1, tzinfo=DAMASCUS),
        end=datetime(2016, 5, 6, 0, 1, tzinfo=DAMASCUS),
        time_zone="Asia/Damascus",
    )
    assert (
        classify_one(subject(on_day(date(2016, 5, 5))), [truce]).classification
        is Classification.POTENTIAL_VIOLATION
    )
    assert (
        classify_one(subject(on_day(date(2016, 5, 6))), [truce]).classification
        is Classification.UNDETERMINED
    )
    assert (
        classify_one(subject(on_day(date(2016, 5, 7))), [truce]).classification
        is Classification.OUTSIDE_REGIME
    )


def test_week_precision_straddling_the_start_is_undetermined() -> None:
    week = EventTime.dates(date(2016, 2, 24), date(2016, 3, 1), TimePrecision.WEEK)
    assert classify_one(subject(week), [COH]).classification is Classification.UNDETERMINED


def test_excluded_actor_makes_an_otherwise_covered_incident_excluded() -> None:
    result = classify_one(subject(on_day(date(2016, 3, 2)), actors=("nusra",)), [COH])
    assert result.classification is Classification.EXCLUDED_ACTOR
    assert "Jabhat al-Nusra is excluded" in result.reasons[0]


def test_excluded_actor_outside_the_window_is_still_outside_regime() -> None:
    result = classify_one(subject(on_day(date(2016, 2, 1)), actors=("nusra",)), [COH])
    assert result.classification is Classification.OUTSIDE_REGIME


def test_point_outside_every_regime_is_outside_with_the_no_regime_reason() -> None:
    result = classify_one(
        subject(on_day(date(2016, 3, 2)), EventLocation(30.0, 30.0, LocationPrecision.EXACT)), [COH]
    )
    assert result.classification is Classification.OUTSIDE_REGIME
    assert result.reasons == (NO_REGIME_REASON,)


def test_area_straddling_the_zone_boundary_is_undetermined_and_inside_area_is_not() -> None:
    straddling = Subject(
        on_day(date(2016, 3, 2)),
        EventLocation(35.8, 33.0, LocationPrecision.ADM1, admin1="Quneitra"),
        area=box(35.5, 32.8, 36.0, 33.2),
    )
    inside = Subject(
        on_day(date(2016, 3, 2)),
        EventLocation(38.0, 35.0, LocationPrecision.ADM1, admin1="Ar-Raqqa"),
        area=box(37.5, 34.5, 38.5, 35.5),
    )
    assert classify_one(straddling, [COH]).classification is Classification.UNDETERMINED
    assert "straddles the boundary" in classify_one(straddling, [COH]).reasons[0]
    assert classify_one(inside, [COH]).classification is Classification.POTENTIAL_VIOLATION


def test_coarse_point_without_a_known_area_uses_the_precision_radius() -> None:
    near_border = EventLocation(
        35.75, 33.0, LocationPrecision.NEAR
    )  # 25 km around, zone edge 4 km away
    deep_inside = EventLocation(38.0, 35.0, LocationPrecision.NEAR)
    day = on_day(date(2016, 3, 2))
    assert (
        classify_one(subject(day, near_border), [COH]).classification is Classification.UNDETERMINED
    )
    assert (
        classify_one(subject(day, deep_inside), [COH]).classification
        is Classification.POTENTIAL_VIOLATION
    )


def test_extension_moves_the_end_in_force() -> None:
    truce = Regime(
        id="ghouta",
        agreement_id="local",
        name="Eastern Ghouta",
        geometry=SYRIA,
        start=datetime(2016, 4, 30, 0, 1, tzinfo=DAMASCUS),
        end=datetime(2016, 5, 1, 0, 1, tzinfo=DAMASCUS),
        time_zone="Asia/Damascus",
    )
    day = subject(on_day(date(2016, 5, 3)))
    assert classify_one(day, [truce]).classification is Classification.OUTSIDE_REGIME
    extended = truce.extended(Extension(new_end=datetime(2016, 5, 4, 0, 1, tzinfo=DAMASCUS)))
    assert classify_one(day, [extended]).classification is Classification.POTENTIAL_VIOLATION
    forever = extended.extended(Extension(new_end=None))
    assert forever.effective_end is None
    assert (
        classify_one(subject(on_day(date(2017, 1, 1))), [forever]).classification
        is Classification.POTENTIAL_VIOLATION
    )


def test_one_covering_regime_outweighs_an_undetermined_one() -> None:
    local = Regime(
        id="local",
        agreement_id="local",
        name="Local",
        geometry=box(36.0, 33.0, 37.0, 34.0),
        start=datetime(2016, 3, 2, 12, tzinfo=DAMASCUS),
        end=None,
        time_zone="Asia/Damascus",
    )
    result = classify_one(subject(on_day(date(2016, 3, 2))), [COH, local])
    assert result.classification is Classification.POTENTIAL_VIOLATION
    assert len(result.reasons) == 2


def test_no_regimes_at_all_is_outside_regime() -> None:
    assert (
        classify_one(subject(on_day(date(2016, 3, 2))), []).classification
        is Classification.OUTSIDE_REGIME
    )


POLYGONS = [box(0, 0, 10, 10), box(5, 5, 15, 15), box(-20, -5, -10, 5)]
BASE = datetime(2020, 1, 1, tzinfo=UTC)
REGIMES = [
    Regime(
        f"r{i}",
        "a",
        f"R{i}",
        g,
        BASE + timedelta(days=10 * i),
        BASE + timedelta(days=10 * i + 30),
        "UTC",
    )
    for i, g in enumerate(POLYGONS)
]

exact_points = st.tuples(
    st.floats(-25, 20, allow_nan=False),
    st.floats(-10, 20, allow_nan=False),
    st.integers(0, 80 * 86400),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(exact_points, min_size=1, max_size=40))
def test_exact_events_match_an_independent_point_in_polygon_and_window_check(
    events: list[tuple[float, float, int]],
) -> None:
    subjects = [
        Subject(
            EventTime.at(BASE + timedelta(seconds=s)), EventLocation(x, y, LocationPrecision.EXACT)
        )
        for x, y, s in events
    ]
    results = RegimeIndex(REGIMES).classify(subjects)
    for (x, y, s), result in zip(events, results, strict=True):
        when = BASE + timedelta(seconds=s)
        covering = [
            r.id
            for r in REGIMES
            if r.geometry.intersects(Point(x, y))
            and r.start <= when < (r.effective_end or when + timedelta(1))
        ]
        expected = Classification.POTENTIAL_VIOLATION if covering else Classification.OUTSIDE_REGIME
        assert result.classification is expected
        assert [v.regime_id for v in result.verdicts if v.verdict.value == "covered"] == covering


@settings(max_examples=100, deadline=None)
@given(st.lists(exact_points, min_size=1, max_size=20), st.sampled_from(list(TimePrecision)[1:]))
def test_classifying_one_at_a_time_equals_classifying_in_bulk(
    events: list[tuple[float, float, int]], precision: TimePrecision
) -> None:
    subjects = [
        Subject(
            EventTime.dates(
                (BASE + timedelta(seconds=s)).date(),
                (BASE + timedelta(seconds=s)).date(),
                precision,
            ),
            EventLocation(x, y, LocationPrecision.SETTLEMENT),
        )
        for x, y, s in events
    ]
    index = RegimeIndex(REGIMES)
    assert index.classify(subjects) == [index.classify([s])[0] for s in subjects]


def test_an_oblast_of_a_regime_made_of_oblasts_is_inside_though_their_edges_meet() -> None:
    donetsk, luhansk = box(36.5, 46.9, 39.0, 49.2), box(38.0, 47.8, 40.2, 50.1)
    minsk = Regime(
        id="minsk",
        agreement_id="minsk-ii",
        name="Minsk II",
        geometry=donetsk.union(luhansk),
        start=datetime(2015, 2, 15, tzinfo=ZoneInfo("Europe/Kyiv")),
        end=None,
        time_zone="Europe/Kyiv",
    )
    somewhere_in_donetsk = Subject(
        on_day(date(2015, 3, 1)),
        EventLocation(37.8, 48.0, LocationPrecision.ADM1, admin1="Donetsk oblast"),
        area=donetsk,
    )
    assert (
        classify_one(somewhere_in_donetsk, [minsk]).classification
        is Classification.POTENTIAL_VIOLATION
    )
