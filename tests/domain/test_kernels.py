"""The compiled batch correlation (``domain.kernels``, numba) scores and groups reports as
the numpy path does. Without numba the same kernels run as plain Python, so these tests
hold either way."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.domain import batches, group_kernels, kernels, layout_kernels, layouts
from ceasefire.domain.batches import Batch, batch_of, group_batch, score_pairs
from ceasefire.domain.correlation import CorrelationSettings, Footprint
from ceasefire.domain.groups import group_links
from ceasefire.domain.precision import TimePrecision

DAY = 86_400.0
SETTINGS = CorrelationSettings()
KINDS = [
    ("Battles", "Armed clash"),
    ("Battles", None),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    (None, None),
]


@st.composite
def accounts(draw: st.DrawFn) -> list[Footprint]:
    """Accounts of a few events near one place, from a few sources, told differently."""
    lat0, lon0 = draw(st.floats(-70.0, 70.0)), draw(st.floats(-170.0, 170.0))
    found = []
    for _ in range(draw(st.integers(2, 30))):
        lat = lat0 + draw(st.floats(-0.3, 0.3))
        hours = draw(st.one_of(st.none(), st.floats(0.0, 71.0)))
        day = draw(st.integers(0, 2))
        start = day * DAY if hours is None else hours * 3600
        kind = draw(st.sampled_from(KINDS))
        found.append(Footprint(
            key=None, lon=lon0 + draw(st.floats(-0.3, 0.3)), lat=lat, start=start,
            end=start + draw(st.sampled_from([DAY, DAY, 7 * DAY])) if hours is None else start,
            precision=TimePrecision.DAY if hours is None else TimePrecision.EXACT,
            event_type=kind[0], sub_event_type=kind[1],
            actor_ids=frozenset(draw(st.sets(st.sampled_from(["ua-gov", "dpr", "lpr"])))),
            sources={draw(st.sampled_from(["ucdp-ged", "monitor", "press"]))},
            scope=draw(st.sampled_from([None, None, "syria"])),
            radius_m=draw(st.sampled_from([0.0, 5_000.0, 25_000.0, 50_000.0])),
        ))  # fmt: skip
    return found


def compiled_scores(batch: Batch, i: np.ndarray, j: np.ndarray, floor: float = 0.0) -> list[float]:
    order = np.arange(len(batch))
    kinds = (batch.event_type, batch.sub_event_type, batch.hostile, batch.fighting)
    floats, codes = kernels.tables(order, (batch.lat, batch.lon, batch.radius_m, batch.start,
                                           batch.end), batch.source, batch.scope, kinds,
                                   np.ascontiguousarray(batch.actors))  # fmt: skip
    limits = (SETTINGS.max_distance_m, SETTINGS.max_gap.total_seconds())
    return [kernels._score_c(a, b, floats, codes, *limits)[0] for a, b in zip(i, j, strict=True)]


@settings(max_examples=100, deadline=None)
@given(accounts())
def test_the_compiled_score_is_the_numpy_score(group: list[Footprint]) -> None:
    batch = batch_of(group)
    i, j = np.triu_indices(len(group), 1)
    expected, _ = score_pairs(batch, i, j, SETTINGS)
    for found, wanted in zip(compiled_scores(batch, i, j), expected.tolist(), strict=True):
        if math.isnan(wanted):
            assert found == -1.0
        else:
            assert math.isclose(found, wanted, rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=150, deadline=None)
@given(accounts())
def test_the_compiled_path_groups_reports_as_the_numpy_path(group: list[Footprint]) -> None:
    batch = batch_of(group)
    compiled = group_batch(batch, SETTINGS, compiled=True)
    assert np.array_equal(compiled, group_batch(batch, SETTINGS, compiled=False))


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 40).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                       st.sampled_from([0.65, 0.7, 0.8, 0.9]), st.floats(0.0, 30_000.0)),
             max_size=80),
    st.lists(st.integers(0, 3), min_size=n, max_size=n),
)))  # fmt: skip
def test_rebuilding_a_group_link_by_link_is_rebuilding_it_in_rounds(
    case: tuple[int, list[tuple[int, int, float, float]], list[int]],
) -> None:
    n, pairs, sources = case
    pairs = [(min(a, b), max(a, b), s, d) for a, b, s, d in pairs if a != b]
    links = (np.array([p[0] for p in pairs], dtype=np.int64),
             np.array([p[1] for p in pairs], dtype=np.int64),
             np.array([p[2] for p in pairs]), np.array([p[3] for p in pairs]))  # fmt: skip
    source = np.array(sources, dtype=np.int64)
    one_by_one = group_links(n, links, source, compiled=True)
    assert np.array_equal(one_by_one, group_links(n, links, source, compiled=False))
    for label in set(one_by_one.tolist()):
        members = source[one_by_one == label]
        assert len(members) == len(set(members.tolist()))


def dense_reports(n: int, seed: int) -> Batch:
    """n reports of n/3 events, three to a place and day, ten a day within 100 km: many
    links cross events, so many groups hold a source twice and are rebuilt."""
    rng = np.random.default_rng(seed)
    k = n // 3
    rep = np.repeat(np.arange(k), 3)
    lat0, lon0 = rng.uniform(47.0, 49.0, k), rng.uniform(36.0, 40.0, k) + 40 * (k % 2)
    day0 = rng.integers(0, k // 10 + 1, k)
    start = day0[rep] * DAY + np.where(rng.random(3 * k) < 0.2, rng.uniform(0, DAY, 3 * k), 0)
    exact = start % DAY > 0
    radius = rng.choice([0.0, 5_000.0, 25_000.0, 150_000.0], k)[rep]
    actors = rng.integers(-1, 4, (3 * k, 2))
    actors[:, 1] = np.where(actors[:, 1] == actors[:, 0], -1, actors[:, 1])
    kind = rng.integers(-1, 4, 3 * k)  # none; two types of fighting, another hostile, another
    return Batch(
        lon=lon0[rep] + rng.normal(0, 0.05, 3 * k), lat=lat0[rep] + rng.normal(0, 0.05, 3 * k),
        radius_m=radius, start=start, end=np.where(exact, start, start + DAY),
        correlatable=rng.random(3 * k) < 0.97, source=np.tile(np.arange(3), k),
        scope=np.zeros(3 * k, dtype=np.int64), event_type=kind,
        sub_event_type=np.where(kind >= 0, kind + 10 * rng.integers(0, 2, 3 * k), -1),
        hostile=kind < 3, fighting=kind < 2, actors=actors,
    )  # fmt: skip


def test_thirty_thousand_dense_reports_are_grouped_alike_by_both_paths() -> None:
    batch = dense_reports(30_000, 5)
    compiled = group_batch(batch, SETTINGS, compiled=True)
    assert np.array_equal(compiled, group_batch(batch, SETTINGS, compiled=False))
    layout = layouts.layout(batch, SETTINGS, compiled=True)
    (i, j, _, _), source = batches._compiled_links(layout, batch, SETTINGS)
    _, clash = group_kernels.components(len(layout.order), i, j, source)
    assert clash.sum() > 500  # links made many groups hold a source twice: they were rebuilt
    assert 15_000 < len(set(compiled.tolist())) < 25_000  # reports were joined, not all


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 400), max_size=300), st.sampled_from([1, 3, 50, 1000]))
def test_keys_sorted_cell_by_cell_are_sorted_stably(values: list[int], step: int) -> None:
    key = np.array(values, dtype=np.int64) * 7  # cells of one key, of a few, of many
    cell = key // step
    order, held = layout_kernels.sort_keys(key, cell, int(cell.max(initial=0)) + 1)
    assert np.array_equal(order, np.argsort(key, kind="stable"))
    assert np.array_equal(held, key[order])


def test_keys_spread_over_many_more_cells_than_keys_are_sorted_stably() -> None:
    key = np.random.default_rng(3).integers(0, 10**12, 5_000) // 10**6 * 10**6
    for step in (1, 10**6, 10**8):  # by key; by more cells than a pass sorts; by one pass
        cell = key // step
        order, held = layout_kernels.sort_keys(key, cell, int(cell.max()) + 1)
        assert np.array_equal(order, np.argsort(key, kind="stable"))
        assert np.array_equal(held, key[order])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.65, 0.7, 0.7000000000000001, 0.9]),
                          st.sampled_from([0.0, 10.0, 2_500.5]), st.integers(0, 5),
                          st.integers(0, 5)), max_size=60))  # fmt: skip
def test_links_rank_best_first_as_numpy_sorts_them(
    links: list[tuple[float, float, int, int]],
) -> None:
    score = np.array([link[0] for link in links], dtype=np.float64)
    distance = np.array([link[1] for link in links], dtype=np.float64)
    i = np.array([link[2] for link in links], dtype=np.int64)
    j = np.array([link[3] for link in links], dtype=np.int64)
    found = group_kernels.rank(score, distance, i, j)
    wanted = np.lexsort((j, i, distance, -score))
    keys = [(-score[k], distance[k], i[k], j[k]) for k in range(len(links))]
    assert [keys[k] for k in found] == [keys[k] for k in wanted]  # duplicates: either first


def same_layout(batch: Batch) -> None:
    compiled = layouts.layout(batch, SETTINGS, compiled=True)
    numpy = layouts.layout(batch, SETTINGS, compiled=False)
    for field in layouts.Layout.__slots__:
        assert np.array_equal(getattr(compiled, field), getattr(numpy, field)), field


@settings(max_examples=150, deadline=None)
@given(accounts(), st.integers(-30_000, 30_000))
def test_the_compiled_layout_is_the_numpy_layout(group: list[Footprint], days: int) -> None:
    batch = batch_of(group)
    same_layout(batch)
    moved = DAY * days  # before 1970 too
    same_layout(Batch(*(getattr(batch, f) + moved if f in ("start", "end") else getattr(batch, f)
                        for f in Batch.__slots__)))  # fmt: skip


def test_a_dense_batch_is_laid_out_alike_by_both_paths() -> None:
    same_layout(dense_reports(30_000, 7))


def test_a_crowd_linking_more_pairs_than_a_table_holds_is_grouped_alike_by_both_paths() -> None:
    # 300 sources at one place on one day: 44,850 links, more than the rows the compiled
    # scan's first table has (its reports and 1,024), so it goes on in tables of its own
    rng = np.random.default_rng(11)
    crowd = [Footprint(key=None, lon=37.8 + rng.normal(0, 0.01), lat=48.0 + rng.normal(0, 0.01),
                       start=0.0, end=DAY, precision=TimePrecision.DAY, event_type="Battles",
                       actor_ids=frozenset({"dpr"}), sources={f"s{k}"}, radius_m=5_000.0)
             for k in range(300)]  # fmt: skip
    batch = batch_of(crowd)
    layout = layouts.layout(batch, SETTINGS, compiled=True)
    (i, _, _, _), _ = batches._compiled_links(layout, batch, SETTINGS)
    assert len(i) == 300 * 299 // 2
    compiled = group_batch(batch, SETTINGS, compiled=True)
    assert np.array_equal(compiled, group_batch(batch, SETTINGS, compiled=False))
