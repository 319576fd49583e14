"""Which incidents an analyst may merge: never two scopes; far apart in place or time only
when the analyst confirms it, far being several times what correlation compares."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.domain.comparisons import compare
from ceasefire.domain.correlation import CorrelationSettings, Footprint
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.merges import (
    CONFIRM_FAR,
    FarApartError,
    Side,
    apart,
    check_merge,
)
from ceasefire.domain.precision import LocationPrecision, TimePrecision

SETTINGS = CorrelationSettings()  # 10 km, 24 h
DAY = timedelta(days=1)


def side(
    id: int,
    *,
    lon: float = 37.80,
    lat: float = 48.00,
    day: datetime = datetime(2015, 2, 16, tzinfo=UTC),
    days: int = 1,
    agreement: str | None = None,
    precision: LocationPrecision = LocationPrecision.EXACT,
    place: str | None = None,
) -> Side:
    return Side(
        id=id,
        agreement_id=agreement,
        lon=lon,
        lat=lat,
        location_precision=precision,
        start=day,
        end=day + days * DAY,
        time_precision=TimePrecision.DAY if days == 1 else TimePrecision.MONTH,
        place=place,
    )


DONBAS = side(385, place="Debaltseve", agreement="minsk-ii-2015")
ALEPPO = side(
    2412, lon=37.16, lat=36.20, day=datetime(2016, 2, 29, tzinfo=UTC), agreement="syria-coh-2016"
)


def test_incidents_of_two_agreements_are_refused_naming_both_and_their_agreements() -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_merge([ALEPPO, DONBAS], SETTINGS, confirmed=True)  # no confirmation lifts it
    assert refused.value.field == "incident_ids"
    assert "incidents 385 (minsk-ii-2015) and 2412 (syria-coh-2016)" in refused.value.message
    assert "different scopes" in refused.value.message


def test_an_open_incident_is_never_merged_with_one_under_an_agreement() -> None:
    with pytest.raises(InvalidInputError, match=r"1 \(open\) and 2 \(minsk-ii-2015\)"):
        check_merge([side(1), side(2, agreement="minsk-ii-2015")], SETTINGS)
    assert refused_values(side(1), side(2, agreement="a"))["first_scope"] == "open"


def refused_values(*sides: Side) -> dict[str, object]:
    with pytest.raises(InvalidInputError) as refused:
        check_merge(sides, SETTINGS)
    return dict(refused.value.values)


def test_incidents_of_one_scope_close_in_place_and_time_merge_unasked() -> None:
    near = side(7, lon=37.85, day=datetime(2015, 2, 18, tzinfo=UTC))  # 3.7 km, a day between
    assert check_merge([DONBAS, replace(near, agreement_id="minsk-ii-2015")], SETTINGS) == []


def test_far_in_place_needs_the_analysts_confirmation_and_names_both_incidents() -> None:
    syria = replace(ALEPPO, agreement_id=None)
    with pytest.raises(FarApartError) as refused:
        check_merge([syria, replace(DONBAS, agreement_id=None)], SETTINGS)
    error = refused.value
    assert error.field == CONFIRM_FAR and error.apart.into.id == 385
    assert error.message.startswith(
        "confirm_far: incidents 385 (Debaltseve, 2015-02-16) and 2412 (36.2000, 37.1600, "
        "2016-02-29) are far apart (1313 km; days between them: 377)"
    )
    (confirmed,) = check_merge(
        [syria, replace(DONBAS, agreement_id=None)], SETTINGS, confirmed=True
    )
    assert confirmed.km == 1313 and confirmed.days == 377


def test_a_hundred_km_between_exact_places_is_far_and_widens_with_imprecise_places() -> None:
    # a degree of latitude is 111 km
    assert not apart(side(1), side(2, lat=48.89), SETTINGS).far  # 99 km
    assert apart(side(1), side(2, lat=48.91), SETTINGS).far  # 101 km
    # known only to its oblast (a centroid), a place may lie further from the event:
    # correlation's tolerance grows by half of each radius (up to 25 km), and far with it
    oblast = side(2, lat=49.5, precision=LocationPrecision.ADM1)
    assert not apart(side(1), oblast, SETTINGS).far  # 167 km, far from 225 km on
    assert apart(side(1), side(2, lat=49.5), SETTINGS).far


def test_more_than_a_week_between_their_times_is_far() -> None:
    feb = datetime(2015, 2, 16, tzinfo=UTC)
    week = apart(side(1, day=feb), side(2, day=feb + 8 * DAY), SETTINGS)
    assert week.days == 7 and not week.far  # the 17th to the 23rd lie between them
    assert apart(side(1, day=feb), side(2, day=feb + 9 * DAY), SETTINGS).far
    # an account known only to the month overlaps every day of it
    month = side(2, day=datetime(2015, 2, 1, tzinfo=UTC), days=28)
    assert apart(side(1, day=feb), month, SETTINGS).gap == timedelta(0)


def test_far_follows_the_settings_correlation_uses() -> None:
    wide = CorrelationSettings(max_distance_m=20_000.0, max_gap=timedelta(hours=48))
    pair = (side(1), side(2, lat=49.5, day=datetime(2015, 2, 28, tzinfo=UTC)))  # 167 km, 11 d
    assert apart(*pair, SETTINGS).far
    assert not apart(*pair, wide).far  # 200 km, 14 days


def test_several_incidents_are_each_judged_against_the_one_they_merge_into() -> None:
    near, far = side(5, lat=48.3), side(9, lat=50.0)
    with pytest.raises(FarApartError) as refused:
        check_merge([far, near, side(3)], SETTINGS)
    assert (refused.value.apart.into.id, refused.value.apart.other.id) == (3, 9)


@given(
    north_km=st.floats(0, 2_000),  # wide enough that many pairs are far
    hours=st.floats(0, 24 * 30),
    precision=st.sampled_from(list(LocationPrecision)),
)
def test_a_pair_correlation_would_compare_is_never_far(
    north_km: float, hours: float, precision: LocationPrecision
) -> None:
    a = side(1, precision=precision)
    b = replace(side(2, precision=precision), lat=48.0 + north_km / 111.2)
    b = replace(b, start=b.start + timedelta(hours=hours), end=b.end + timedelta(hours=hours))
    if compare(footprint(a), footprint(b), SETTINGS.max_distance_m, 86_400.0) is not None:
        assert not apart(a, b, SETTINGS).far


def footprint(s: Side) -> Footprint:
    return Footprint(
        key=s.id,
        lon=s.lon,
        lat=s.lat,
        start=s.start.timestamp(),
        end=s.end.timestamp(),
        precision=s.time_precision,
        event_type=None,
        actor_ids=frozenset(),
        radius_m=s.radius_m,
    )
