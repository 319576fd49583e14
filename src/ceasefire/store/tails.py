"""The log's tail: its size and the hashes of its right edge, all that appending a leaf and
computing the root need (docs/ledger.md §1, "Subtree addressing").

A write group (``services.commits``) reads the tail once when it takes the log's lock and
keeps it as its members append, so an append needs no query to learn where the log ends
or what the leaves it completes subtrees with hash to, and a checkpoint's root is folded
from memory: the edge is the complete subtrees of ``range_subtrees(0, size)``, largest
first, and the root is their right fold. A process that committed the group before knows
the tail as that group left it, and follows it with the entries appended since by others
(``follow``: one query, where reading the tail afresh takes two).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select

from ceasefire.domain.errors import NotFoundError
from ceasefire.ledger import EMPTY_ROOT, node_hash, range_subtrees, subtrees_completed_by
from ceasefire.store import tables as t


@dataclass
class Tail:
    """The log's size and its right edge's hashes, largest subtree first."""

    size: int
    edge: list[bytes] = field(default_factory=list)
    last: bytes | None = None  # its last leaf's hash (None: empty, or not known)

    def root(self) -> bytes:
        """The root of the whole log (the right fold of the edge)."""
        if not self.edge:
            return EMPTY_ROOT
        folded = self.edge[-1]
        for left in reversed(self.edge[:-1]):
            folded = node_hash(left, folded)
        return folded

    def copy(self) -> Tail:
        return Tail(self.size, list(self.edge), self.last)

    def become(self, other: Tail) -> None:
        """Take ``other``'s size, edge and last leaf (a group's tail, kept in place)."""
        self.size, self.edge, self.last = other.size, other.edge, other.last

    def grown(self, hashes: Sequence[bytes]) -> tuple[Tail, list[int], list[int], list[bytes]]:
        """The tail after appending these leaf hashes, and the levels, indices and hashes of
        the subtrees they complete."""
        edge = list(self.edge)
        levels: list[int] = []
        indices: list[int] = []
        found: list[bytes] = []
        for offset, hashed in enumerate(hashes):
            edge.append(hashed)
            for subtree in subtrees_completed_by(self.size + offset):
                right = edge.pop()
                left = edge.pop()
                edge.append(node_hash(left, right))
                levels.append(subtree.level)
                indices.append(subtree.index)
                found.append(edge[-1])
        last = hashes[-1] if hashes else self.last
        return Tail(self.size + len(hashes), edge, last), levels, indices, found


def read_tail(conn: Connection) -> Tail:
    """The tail as the database holds it: its size, then its edge and last leaf in one
    query."""
    last = conn.exec_driver_sql("SELECT max(sequence) FROM ledger_entries").scalar()
    size = 0 if last is None else int(last) + 1
    if size == 0:
        return Tail(0)
    wanted = list(range_subtrees(0, size))
    parts = [f"SELECT -1, {size - 1}, leaf_hash FROM ledger_entries WHERE sequence = {size - 1}"]
    for subtree in wanted:
        level, index = int(subtree.level), int(subtree.index)
        if level == 0:
            parts.append(
                f"SELECT 0, {index}, leaf_hash FROM ledger_entries WHERE sequence = {index}"
            )
        else:
            parts.append(
                f"SELECT {level}, {index}, hash FROM ledger_subtrees WHERE level = {level} "
                f'AND "index" = {index}'
            )
    hashes = {
        (int(level), int(index)): bytes(hashed)
        for level, index, hashed in conn.exec_driver_sql(" UNION ALL ".join(parts))
    }
    missing = [s for s in wanted if (s.level, s.index) not in hashes]
    if missing:
        raise NotFoundError(f"the ledger holds no subtree ({missing[0].level}, {missing[0].index})")
    return Tail(size, [hashes[(s.level, s.index)] for s in wanted], hashes.get((-1, size - 1)))


@dataclass(frozen=True, slots=True)
class Followed:
    """The tail followed from an earlier one, and the kinds of the entries appended since."""

    tail: Tail
    kinds: frozenset[str]


def follow(conn: Connection, known: Tail, at_most: int) -> Followed | None:
    """The tail now, grown from ``known`` (the tail as this process last left it) by the
    entries appended since, with their kinds, in one query; None where more than
    ``at_most`` were (an import ran: reading the tail afresh costs less), or where the log
    is not the one ``known`` was read from: its entry at ``known``'s last sequence is
    missing or not ``known``'s last leaf (a database restored or replaced under a running
    server), or the entries since leave a gap."""
    return followed(known, conn.execute(_SINCE, since(known, at_most)).all(), at_most)


def since(known: Tail, at_most: int) -> dict[str, int]:
    """``_SINCE``'s parameters for following ``known``."""
    return {"start": known.size - 1 if known.size else 0, "rows": at_most + 2}


def followed(known: Tail, rows: Sequence[Any], at_most: int) -> Followed | None:
    """``follow``'s answer from the rows ``_SINCE`` read (sequence, leaf hash, kind)."""
    start = known.size - 1 if known.size else 0
    if known.size:
        if not rows or rows[0][0] != start or bytes(rows[0][1]) != known.last:
            return None
        rows = rows[1:]
    if len(rows) > at_most:
        return None
    if any(row[0] != known.size + i for i, row in enumerate(rows)):
        return None  # not contiguous: not a log this process knows
    grown = known.grown([bytes(row[1]) for row in rows])[0] if rows else known.copy()
    return Followed(grown, frozenset(row[2] for row in rows))


_e = t.ledger_entries.c
_SINCE = (
    select(_e.sequence, _e.leaf_hash, _e.kind)
    .where(_e.sequence >= bindparam("start"))
    .order_by(_e.sequence)
    .limit(bindparam("rows"))
)  # built once: every write group asks
# the same for the driver's own cursor (PostgreSQL's pipelines: store.ledger.lock_and_follow)
SINCE_DRIVER_SQL = (
    "SELECT sequence, leaf_hash, kind FROM ledger_entries WHERE sequence >= %(start)s"
    " ORDER BY sequence LIMIT %(rows)s"
)
