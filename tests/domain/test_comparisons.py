"""The score of two accounts of an event: place against both precisions, time, type and
actors, and the reasons an analyst reads."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain.batches import batch_of, group_batch, score_pairs
from ceasefire.domain.comparisons import (
    JOIN_AT,
    PROPOSE_AT,
    Thresholds,
    actor_agreement,
    compare,
    kind_similarity,
    reasons,
)
from ceasefire.domain.correlation import CorrelationSettings, Correlator, Footprint
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.precision import TimePrecision

DAY = 86_400.0
SETTINGS = CorrelationSettings()
KM_PER_DEGREE_LAT = 111.2


def account(
    lon: float = 37.8,
    lat: float = 48.0,
    *,
    day: int = 0,
    radius: float = 0.0,
    kind: tuple[str | None, str | None] = ("Battles", "Armed clash"),
    actors: tuple[str, ...] = ("ua-gov", "dpr"),
    source: str = "a",
    hours: float | None = None,
) -> Footprint:
    start = day * DAY if hours is None else hours * 3600
    return Footprint(
        key=None,
        lon=lon,
        lat=lat,
        start=start,
        end=start + DAY if hours is None else start,
        precision=TimePrecision.DAY if hours is None else TimePrecision.EXACT,
        event_type=kind[0],
        actor_ids=frozenset(actors),
        sources={source},
        radius_m=radius,
        sub_event_type=kind[1],
    )


def score(a: Footprint, b: Footprint) -> float:
    found = compare(a, b, SETTINGS.max_distance_m, SETTINGS.max_gap.total_seconds())
    assert found is not None
    return found.score


def test_the_same_account_scores_one() -> None:
    assert score(account(), account(source="b")) == 1.0


def test_another_wording_of_the_type_lowers_the_score_but_still_joins() -> None:
    shelling = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    near = account(lon=37.83)  # about 2.2 km east
    told_otherwise = score(account(), replace(near, event_type=shelling[0],
                                              sub_event_type=shelling[1]))  # fmt: skip
    assert told_otherwise < score(account(), near)
    assert told_otherwise >= JOIN_AT


def test_a_clash_told_as_shelling_at_one_oblast_centroid_joins_in_both_paths() -> None:
    # one oblast-level event, UCDP's account with its sides, a monitor's as shelling
    # naming no actor the register knows: place, half; time, the same day; the two types
    # of fighting as two sub-event types of one type
    ucdp = account(37.74, 48.14, radius=150_000)
    shelling = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    monitor = account(37.7441, 48.1423, radius=150_000, kind=shelling, actors=(), source="b")
    assert score(ucdp, monitor) >= JOIN_AT
    assert group_batch(batch_of([ucdp, monitor]), SETTINGS).tolist() == [0, 0]
    civilians = replace(monitor, event_type="Violence against civilians", sub_event_type=None)
    assert PROPOSE_AT <= score(ucdp, civilians) < JOIN_AT  # another kind of claim: proposed


def test_no_actor_in_common_is_proposed_never_joined() -> None:
    disputed = score(account(actors=("saa",)), account(actors=("nusra",), source="b"))
    assert PROPOSE_AT <= disputed < JOIN_AT


def test_a_riot_and_a_battle_of_the_same_sides_in_one_place_are_only_proposed() -> None:
    riot = account(kind=("Riots", "Mob violence"), source="b")
    assert PROPOSE_AT <= score(account(), riot) < JOIN_AT
    assert score(account(), replace(riot, actor_ids=frozenset({"saa"}))) < PROPOSE_AT


def test_imprecise_locations_widen_the_distance_tolerance() -> None:
    exact = account(lat=48.0 + 15 / KM_PER_DEGREE_LAT)  # 15 km north
    near = compare(account(radius=25_000), replace(exact, radius_m=25_000), 10_000, DAY)
    assert compare(account(), exact, 10_000, DAY) is None
    assert near is not None and near.score >= PROPOSE_AT


def test_a_centroid_counts_half_in_place() -> None:
    oblast = score(account(radius=150_000), account(radius=150_000, source="b"))
    assert oblast < score(account(), account(source="b"))


def test_beyond_the_time_tolerance_there_is_no_score() -> None:
    assert compare(account(hours=0), account(hours=25), 10_000, DAY) is None
    assert compare(account(hours=0), account(hours=23), 10_000, DAY) is not None


def test_unknown_parts_neither_count_for_nor_against() -> None:
    unknown = account(kind=(None, None), actors=(), source="b")
    assert score(account(), unknown) == 1.0


def test_kind_and_actor_parts() -> None:
    assert kind_similarity("Battles", "Armed clash", "Battles", None) == 0.9
    assert kind_similarity("Battles", None, "Violence against civilians", "Attack") == 0.4
    shelling = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert kind_similarity("Battles", "Armed clash", *shelling) == 0.7  # as another sub-type
    assert kind_similarity(*shelling, "Battles", None) == 0.7
    assert kind_similarity(*shelling, "Violence against civilians", None) == 0.4
    assert kind_similarity("Battles", None, "Protests", None) == 0.0
    assert kind_similarity(None, None, "Battles", None) is None
    assert actor_agreement(frozenset({"a", "b"}), frozenset({"a"})) == 1.0
    assert actor_agreement(frozenset({"a", "b"}), frozenset({"a", "c"})) == 0.5
    assert actor_agreement(frozenset(), frozenset({"a"})) is None


def test_the_reasons_say_distance_day_types_and_actors() -> None:
    a = account()
    shelling = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    b = account(lon=37.843, kind=shelling, actors=("dpr",), source="b")
    found = compare(a, b, 10_000, DAY)
    assert found is not None
    assert reasons(a, b, found) == (
        "3.2 km apart, same day, 'Armed clash' vs 'Shelling/artillery/missile attack', "
        "actors in common: dpr"
    )


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(InvalidInputError, match=r"propose_at 0\.6 and join_at 0\.4"):
        Thresholds(join_at=0.4, propose_at=0.6)


def test_a_report_joins_the_best_and_is_proposed_with_the_rest() -> None:
    correlator = Correlator(SETTINGS)
    same = account(source="a")
    same.key = "same"
    disputed = account(lon=37.81, actors=("saa",), source="c")
    disputed.key = "disputed"
    correlator.add(same)
    correlator.add(disputed)
    joined, proposed = correlator.consider(account(source="b"))
    assert joined is same
    assert [p.key for p, _ in proposed] == ["disputed"]


accounts = st.builds(
    account,
    lon=st.floats(37.5, 38.0),
    lat=st.floats(47.8, 48.1),
    day=st.integers(0, 2),
    radius=st.sampled_from([0.0, 5_000.0, 25_000.0, 150_000.0]),
    kind=st.sampled_from(
        [
            ("Battles", "Armed clash"),
            ("Battles", None),
            (None, None),
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
            ("Riots", "Mob violence"),
        ]
    ),
    actors=st.sampled_from([(), ("ua-gov",), ("dpr",), ("ua-gov", "dpr")]),
    source=st.sampled_from("abc"),
)


@settings(max_examples=200, deadline=None)
@given(accounts, accounts)
def test_the_score_is_symmetric_and_between_zero_and_one(a: Footprint, b: Footprint) -> None:
    ab = compare(a, b, 10_000, DAY)
    ba = compare(b, a, 10_000, DAY)
    assert (ab is None) == (ba is None)
    if ab is not None and ba is not None:
        assert 0.0 <= ab.score <= 1.0
        assert math.isclose(ab.score, ba.score)


@settings(max_examples=100, deadline=None)
@given(accounts, accounts)
def test_moving_two_accounts_apart_never_raises_their_score(a: Footprint, b: Footprint) -> None:
    near = compare(a, b, 10_000, DAY)
    far = compare(a, replace(b, lat=b.lat + 0.05), 10_000, DAY)
    if near is not None and far is not None and far.distance_m > near.distance_m:
        assert far.score <= near.score + 1e-12


@settings(max_examples=100, deadline=None)
@given(st.lists(accounts, min_size=2, max_size=12))
def test_the_numpy_score_is_the_same_as_the_one_at_a_time_score(group: list[Footprint]) -> None:
    batch = batch_of(group)
    i, j = np.triu_indices(len(group), 1)
    found, _ = score_pairs(batch, i, j, SETTINGS)
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        one = compare(group[a], group[b], 10_000, DAY)
        same_source = group[a].sources == group[b].sources
        if one is None or same_source:
            assert np.isnan(found[k])
        else:
            assert math.isclose(found[k], one.score, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(accounts, min_size=1, max_size=15))
def test_a_batch_never_puts_two_reports_of_one_source_together(group: list[Footprint]) -> None:
    labels = group_batch(batch_of(group), SETTINGS).tolist()
    for label in set(labels):
        members = [g for g, lab in zip(group, labels, strict=True) if lab == label]
        sources = [min(m.sources) for m in members]
        assert len(sources) == len(set(sources))


def test_settings_keep_their_tolerances() -> None:
    assert CorrelationSettings(max_gap=timedelta(hours=6)).widest_m == 35_000.0
