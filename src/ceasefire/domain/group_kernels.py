"""The compiled grouping of a batch's links (``domain.groups``), with numba when it is
installed (``domain.kernels``): a union-find of the links, the rebuilding of a group that
holds a source twice link by link, and the rank of those links, best first."""

from __future__ import annotations

import numpy as np

from ceasefire.domain.kernels import Bools, Floats, Ints, compiled


def _find(parent: Ints, x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


_find_c = compiled(_find)


def _components(n: int, i: Ints, j: Ints, source: Ints) -> tuple[Ints, Bools]:
    """Connected components of the links (i, j): each node's label is its smallest node;
    and whether each component holds two nodes of one source (``source`` modulo 64, as
    ``groups.group_links`` tells them), by the component's label."""
    parent = np.arange(n)
    masks = np.zeros(n, dtype=np.uint64)
    for x in range(n):
        masks[x] = np.uint64(1) << np.uint64(source[x] % 64)
    clash = np.zeros(n, dtype=np.bool_)
    for k in range(len(i)):
        a, b = _find_c(parent, i[k]), _find_c(parent, j[k])
        if a != b:
            keep, gone = min(a, b), max(a, b)
            parent[gone] = keep
            clash[keep] = clash[keep] or clash[gone] or (masks[keep] & masks[gone]) != 0
            masks[keep] |= masks[gone]
    for x in range(n):
        parent[x] = parent[parent[x]]  # roots are smaller than their nodes: already found
    return parent, clash


_components_c = compiled(_components)


def components(n: int, i: Ints, j: Ints, source: Ints) -> tuple[Ints, Bools]:
    """Connected components of n nodes linked by (i, j): each node's label, the smallest
    node of its component (as ``groups._components`` gives them); and, by label, whether
    the component holds two nodes whose ``source`` is the same modulo 64."""
    labels, clash = _components_c(n, i, j, source)
    return labels, clash


def _regroup(n: int, a: Ints, b: Ints, source: Ints) -> Ints:
    masks = np.left_shift(np.uint64(1), source.astype(np.uint64))
    parent = np.arange(n)
    for k in range(len(a)):
        x, y = _find_c(parent, a[k]), _find_c(parent, b[k])
        if x != y and masks[x] & masks[y] == 0:
            keep, gone = min(x, y), max(x, y)
            parent[gone] = keep
            masks[keep] |= masks[gone]
    for x in range(n):
        parent[x] = parent[parent[x]]  # roots are smaller than their nodes: already found
    return parent


_regroup_c = compiled(_regroup)


def regroup(n: int, a: Ints, b: Ints, source: Ints) -> Ints:
    """n nodes joined by the links (a, b), best first, link by link, unless the two groups
    hold a source in common (``source``: codes 0 to 63): each node's group, as its
    smallest node."""
    groups: Ints = _regroup_c(n, a, b, source)
    return groups


def _first(x: int, y: int, score: Floats, distance: Floats, i: Ints, j: Ints) -> bool:
    """Whether link x ranks before link y: the higher score, then the shorter distance,
    then the smaller reports."""
    if score[x] != score[y]:
        return bool(score[x] > score[y])
    if distance[x] != distance[y]:
        return bool(distance[x] < distance[y])
    if i[x] != i[y]:
        return bool(i[x] < i[y])
    return bool(j[x] < j[y])


_first_c = compiled(_first)


def _rank(score: Floats, distance: Floats, i: Ints, j: Ints) -> Ints:
    order = np.argsort(-score)  # then each run of one score by distance and reports
    start = 0
    for end in range(1, len(order) + 1):
        if end < len(order) and score[order[end]] == score[order[start]]:
            continue
        for x in range(start + 1, end):
            link = order[x]
            y = x
            while y > start and _first_c(link, order[y - 1], score, distance, i, j):
                order[y] = order[y - 1]
                y -= 1
            order[y] = link
        start = end
    return order


_rank_c = compiled(_rank)


def rank(score: Floats, distance: Floats, i: Ints, j: Ints) -> Ints:
    """The links (i, j) best first: by score, then distance, then i, then j
    (``np.lexsort((j, i, distance, -score))``)."""
    order: Ints = _rank_c(score, distance, i, j)
    return order


def _sort_links(links: Ints, score: Floats, distance: Floats, i: Ints, j: Ints) -> None:
    """``links`` (indices of links) in rank order, in place: by insertion when they are a
    few, else by ``_rank``."""
    if len(links) > 32:
        links[:] = links[_rank_c(score[links], distance[links], i[links], j[links])]
        return
    for x in range(1, len(links)):
        link = links[x]
        y = x
        while y > 0 and _first_c(link, links[y - 1], score, distance, i, j):
            links[y] = links[y - 1]
            y -= 1
        links[y] = link


_sort_links_c = compiled(_sort_links)


def _by_component(labels: Ints, clash: Bools, i: Ints) -> tuple[Ints, Ints]:
    """The links of each component flagged in ``clash``, together: the links' indices,
    and where those of component c start (``starts[c]`` up to ``starts[c + 1]``)."""
    n = len(labels)
    starts = np.zeros(n + 1, dtype=np.int64)
    for k in range(len(i)):
        if clash[labels[i[k]]]:
            starts[labels[i[k]] + 1] += 1
    for c in range(n):
        starts[c + 1] += starts[c]
    fill = starts[:-1].copy()
    links = np.empty(starts[n], dtype=np.int64)
    for k in range(len(i)):
        c = labels[i[k]]
        if clash[c]:
            links[fill[c]] = k
            fill[c] += 1
    return links, starts


_by_component_c = compiled(_by_component)


def _rebuild(labels: Ints, clash: Bools, links: tuple[Ints, Ints, Floats, Floats],
             source: Ints) -> None:  # fmt: skip
    i, j, score, distance = links
    ranked, starts = _by_component_c(labels, clash, i)
    parent = np.arange(len(labels))
    masks = np.zeros(len(labels), dtype=np.uint64)
    for x in range(len(labels)):
        masks[x] = np.uint64(1) << np.uint64(source[x])
    for c in range(len(labels)):
        if starts[c + 1] > starts[c]:
            mine = ranked[starts[c] : starts[c + 1]]
            _sort_links_c(mine, score, distance, i, j)
            for k in mine:
                x, y = _find_c(parent, i[k]), _find_c(parent, j[k])
                if x != y and masks[x] & masks[y] == 0:
                    keep, gone = min(x, y), max(x, y)
                    parent[gone] = keep
                    masks[keep] |= masks[gone]
    for x in range(len(labels)):
        if clash[labels[x]]:  # its own label, not yet rewritten
            labels[x] = _find_c(parent, x)


_rebuild_c = compiled(_rebuild)


def rebuild(labels: Ints, clash: Bools, links: tuple[Ints, Ints, Floats, Floats],
            source: Ints) -> None:  # fmt: skip
    """Each component flagged in ``clash`` (by label) taken apart and joined again from its
    links (i, j, score, distance), best first (``rank``), link by link, unless the two
    groups hold a source in common (``source``: codes 0 to 63): ``labels`` of its nodes are
    rewritten, each the smallest node of its new group. Component by component, which
    gives the groups of ranking all the links at once (``regroup``)."""
    _rebuild_c(labels, clash, links, source)
