"""Reports linked in pairs grouped into incidents, never two reports of one source in one.

The links are the pairs of reports whose score reaches ``join_at`` (``domain.batches``).
Their connected components are the incidents, except where one would hold two reports of
one source (a source never reports one event twice): such a component is taken apart and
built again from its links, best first (score, then distance), joining two groups only
when they hold no source in common. Either in numpy (components by label propagation,
the rebuilding in rounds: two groups whose best remaining link is each other's best are
joined) or compiled (``domain.group_kernels``: a union-find, the rebuilding link by link in
rank order, one such component at a time); both give the same groups.
"""

from __future__ import annotations

import numpy as np

from ceasefire.domain import group_kernels
from ceasefire.domain.kernels import Bools, Floats, Ints

Links = tuple[Ints, Ints, Floats, Floats]  # (i, j, score, distance)


def group_links(n: int, links: Links, source: Ints, *, compiled: bool) -> Ints:
    """The group of each of n reports linked by ``links``, as the smallest report of its
    group; ``source``: each report's source code."""
    i, j, score, distance = links
    if compiled:
        labels, flagged = group_kernels.components(n, i, j, source)
    else:
        labels = _components(n, i, j)
        flagged = _clashes(labels, source)
    if compiled and flagged.any() and source.min() >= 0 and source.max() < 64:
        group_kernels.rebuild(labels, flagged, links, source)
    elif flagged.any():
        bad = flagged[labels[i]]
        nodes = np.flatnonzero(flagged[labels])
        bad_links = (i[bad], j[bad], score[bad], distance[bad])
        _rebuild(labels, nodes, bad_links, source, compiled=compiled)
    return labels


def _clashes(labels: Ints, source: Ints) -> Bools:
    """By label, whether the group holds two reports whose source is the same modulo 64
    (more sources than that may flag a group in vain: it is then rebuilt as it was)."""
    n = len(labels)
    sizes = np.bincount(labels, minlength=n)
    masks = np.zeros(n, dtype=np.uint64)
    np.bitwise_or.at(masks, labels, np.left_shift(np.uint64(1), (source % 64).astype(np.uint64)))
    flagged: Bools = sizes > np.bitwise_count(masks)
    return flagged


def _components(n: int, i: Ints, j: Ints) -> Ints:
    """Connected components of the links (i, j): each node's label is its smallest node."""
    labels = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(labels[i], labels[j])
        before = labels.copy()
        np.minimum.at(labels, i, low)
        np.minimum.at(labels, j, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels


def _rebuild(labels: Ints, nodes: Ints, links: Links, source: Ints, *, compiled: bool) -> None:
    """Group ``nodes`` again from their links, never putting two reports of one source
    together: in rounds, two groups whose best remaining link (score, then distance) is
    each other's best are joined, unless they hold a source in common. ``labels`` of the
    nodes are rewritten."""
    i, j, score, distance = links
    order = (
        group_kernels.rank(score, distance, i, j)
        if compiled
        else np.lexsort((j, i, distance, -score))
    )
    compact = np.full(len(labels), -1, dtype=np.int64)
    compact[nodes] = np.arange(len(nodes))
    a, b = compact[i[order]], compact[j[order]]
    codes, inverse = np.unique(source[nodes], return_inverse=True)
    if len(codes) > 64:
        _rebuild_one_by_one(labels, nodes, a, b, inverse)
        return
    if compiled:
        labels[nodes] = nodes[group_kernels.regroup(len(nodes), a, b, inverse)]
        return
    mask = np.left_shift(np.uint64(1), inverse.astype(np.uint64))
    group = np.arange(len(nodes), dtype=np.int64)
    rank = np.arange(len(a), dtype=np.int64)
    while len(rank):
        ga, gb = group[a], group[b]
        open_ = (ga != gb) & ((mask[ga] & mask[gb]) == 0)
        a, b, rank, ga, gb = a[open_], b[open_], rank[open_], ga[open_], gb[open_]
        if not len(rank):
            break
        best = np.full(len(nodes), len(order), dtype=np.int64)
        np.minimum.at(best, ga, rank)
        np.minimum.at(best, gb, rank)
        mutual = (best[ga] == rank) & (best[gb] == rank)  # each group in one such link at most
        keep, gone = np.minimum(ga[mutual], gb[mutual]), np.maximum(ga[mutual], gb[mutual])
        mask[keep] |= mask[gone]
        parent = np.arange(len(nodes), dtype=np.int64)
        parent[gone] = keep
        group = parent[group]
    labels[nodes] = nodes[group]


def _rebuild_one_by_one(labels: Ints, nodes: Ints, a: Ints, b: Ints, source: Ints) -> None:
    """``_rebuild`` for groups of more than 64 sources: link by link, in rank order."""
    parent = list(range(len(nodes)))
    sources = [1 << int(s) for s in source.tolist()]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        rx, ry = find(x), find(y)
        if rx != ry and not sources[rx] & sources[ry]:
            keep, gone = (rx, ry) if rx < ry else (ry, rx)
            parent[gone] = keep
            sources[keep] |= sources[gone]
    labels[nodes] = nodes[[find(k) for k in range(len(nodes))]]
