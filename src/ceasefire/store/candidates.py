"""Correlation candidates (pairs of incidents proposed as one event) and the rejections
that keep a pair from being proposed again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from ceasefire.domain.errors import NotFoundError
from ceasefire.domain.visibility import Audience
from ceasefire.store import tables as t
from ceasefire.store.audiences import visible

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Candidate:
    incident_id: int  # the smaller id of the pair
    other_id: int
    score: float
    reasons: str
    agreement_id: str | None
    proposed: datetime


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _absorbed(conn: Connection, ids: Iterable[int]) -> dict[int, set[int]]:
    """Each incident with the ids of the incidents merged into it (through later merges)."""
    found = {i: {i} for i in ids}
    m = t.incident_merges.c
    wanted = sorted(found)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for merged, into in conn.execute(
            select(m.incident_id, m.merged_into).where(m.merged_into.in_(chunk))
        ):
            found[int(into)].add(int(merged))
    return found


def rejected(conn: Connection, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of the pairs (each smaller id first) an analyst has rejected, themselves or as
    incidents merged into them since."""
    wanted = sorted(set(pairs))
    absorbed = _absorbed(conn, {i for p in wanted for i in p})
    asked = {
        pair(x, y): p for p in wanted for x in absorbed[p[0]] for y in absorbed[p[1]] if x != y
    }
    keys = sorted(asked)
    r = t.candidate_rejections.c
    found: set[tuple[int, int]] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        query = select(r.incident_id, r.other_id).where(
            tuple_(r.incident_id, r.other_id).in_(chunk)
        )
        found |= {asked[(int(a), int(b))] for a, b in conn.execute(query)}
    return found


def propose(conn: Connection, candidates: Sequence[Candidate]) -> int:
    """Keep the candidates of pairs neither proposed nor rejected before (a pair proposed
    again keeps its higher score); returns how many are new."""
    best: dict[tuple[int, int], Candidate] = {}
    for c in candidates:
        key = (c.incident_id, c.other_id)
        if key not in best or c.score > best[key].score:
            best[key] = c
    if not best:
        return 0
    gone = rejected(conn, best)
    cc = t.correlation_candidates.c
    held: dict[tuple[int, int], float] = {}
    keys = sorted(best)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        query = select(cc.incident_id, cc.other_id, cc.score).where(
            tuple_(cc.incident_id, cc.other_id).in_(chunk)
        )
        held |= {(a, b): s for a, b, s in conn.execute(query)}
    new = [c for k, c in best.items() if k not in gone and k not in held]
    for k, c in best.items():
        if k in held and c.score > held[k]:
            conn.execute(
                t.correlation_candidates.update()
                .where(cc.incident_id == k[0], cc.other_id == k[1])
                .values(score=c.score, reasons=c.reasons)
            )
    if new:
        conn.execute(
            t.correlation_candidates.insert(),
            [
                {"incident_id": c.incident_id, "other_id": c.other_id, "score": c.score,
                 "reasons": c.reasons, "agreement_id": c.agreement_id, "proposed": c.proposed}
                for c in new
            ],
        )  # fmt: skip
    return len(new)


def _candidate(row: Any) -> Candidate:
    return Candidate(
        int(row.incident_id), int(row.other_id), float(row.score), str(row.reasons),
        row.agreement_id, row.proposed,
    )  # fmt: skip


def _pending(audience: Audience) -> Select[Any]:
    """The candidates whose two incidents both exist, not rejected, that the audience reads."""
    cc, r = t.correlation_candidates.c, t.candidate_rejections.c
    one, other = aliased(t.incidents), aliased(t.incidents)
    return (
        select(t.correlation_candidates)
        .join(one, one.c.id == cc.incident_id)
        .join(other, other.c.id == cc.other_id)
        .where(
            visible(cc.agreement_id, audience),
            ~exists().where(and_(r.incident_id == cc.incident_id, r.other_id == cc.other_id)),
        )
    )


def pending(
    conn: Connection, audience: Audience, *, limit: int, offset: int = 0, min_score: float = 0.0
) -> tuple[list[Candidate], int]:
    """The pending candidates the audience may read, best first, and how many there are."""
    cc = t.correlation_candidates.c
    base = _pending(audience).where(cc.score >= min_score)
    count = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    query = base.order_by(cc.score.desc(), cc.incident_id, cc.other_id).limit(limit).offset(offset)
    return [_candidate(row) for row in conn.execute(query)], int(count)


def get_candidate(conn: Connection, a: int, b: int, audience: Audience) -> Candidate:
    """A pending candidate the audience may read; NotFoundError otherwise."""
    low, high = pair(a, b)
    cc = t.correlation_candidates.c
    row = conn.execute(_pending(audience).where(cc.incident_id == low, cc.other_id == high)).first()
    if row is None:
        raise NotFoundError(f"no pending candidate pairs incidents {low} and {high}")
    return _candidate(row)


def save_rejection(
    conn: Connection, rejection_id: int, candidate: Candidate, by: str, at: datetime
) -> None:
    conn.execute(
        t.candidate_rejections.insert().values(
            id=rejection_id,
            incident_id=candidate.incident_id,
            other_id=candidate.other_id,
            score=candidate.score,
            reasons=candidate.reasons,
            agreement_id=candidate.agreement_id,
            rejected_by=by,
            created=at,
        )
    )


def forget(conn: Connection, incident_ids: Sequence[int]) -> None:
    """Drop the candidates of incidents that are no more (merged into another)."""
    cc = t.correlation_candidates.c
    ids = list(incident_ids)
    if ids:
        conn.execute(
            delete(t.correlation_candidates).where(
                or_(cc.incident_id.in_(ids), cc.other_id.in_(ids))
            )
        )
