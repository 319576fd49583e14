"""The openings of sealed ledger entries: the salt and state each one commits to.

An entry about a record scoped to an agreement is sealed (``ledger.sealing``): its change
is a commitment. The host keeps the opening here, written in the same transaction as the
entry, and serves it only to the agreement's parties (``audiences.within``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.visibility import Audience
from ceasefire.ledger import Opening, canonical_json, parse_canonical
from ceasefire.store import tables as t
from ceasefire.store.audiences import within
from ceasefire.store.bulk import insert_many

_CHUNK = 500
MAX_SEQUENCE = 2**53


@dataclass(frozen=True)
class StoredOpening:
    agreement_id: str
    opening: Opening


def save_openings(conn: Connection, openings: Sequence[StoredOpening]) -> None:
    rows = [
        {
            "sequence": o.opening.sequence,
            "agreement_id": o.agreement_id,
            "salt": o.opening.salt,
            "state": canonical_json(dict(o.opening.state), field="state"),
        }
        for o in openings
    ]
    if rows:
        insert_many(conn, t.ledger_openings, rows)


def _opening(sequence: int, salt: bytes, data: bytes) -> Opening:
    state = parse_canonical(bytes(data), field=f"opening {sequence}")
    if not isinstance(state, dict):
        raise InvalidInputError(f"opening {sequence}", "the stored state is not a JSON object")
    return Opening(int(sequence), bytes(salt), state)


def openings_for(conn: Connection, sequences: Iterable[int]) -> dict[int, Opening]:
    """The openings of these entries (those that have one)."""
    wanted = sorted(set(sequences))
    o = t.ledger_openings
    found: dict[int, Opening] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = select(o.c.sequence, o.c.salt, o.c.state).where(o.c.sequence.in_(chunk))
        for sequence, salt, data in conn.execute(query):
            found[int(sequence)] = _opening(sequence, salt, data)
    return found


def openings_between(
    conn: Connection, start: int, end: int, audience: Audience, *, limit: int | None = None
) -> list[StoredOpening]:
    """The openings of entries ``start``…``end - 1`` that the audience may read."""
    o = t.ledger_openings
    query = (
        select(o.c.sequence, o.c.agreement_id, o.c.salt, o.c.state)
        .where(o.c.sequence >= start, o.c.sequence < end, within(o.c.agreement_id, audience))
        .order_by(o.c.sequence)
        .limit(limit)
    )
    return [
        StoredOpening(agreement, _opening(sequence, salt, data))
        for sequence, agreement, salt, data in conn.execute(query)
    ]


def all_openings(
    conn: Connection, audience: Audience, *, batch: int = 5_000
) -> Iterator[StoredOpening]:
    """Every opening the audience may read, in sequence order, a batch at a time."""
    after = -1
    while found := openings_between(conn, after + 1, MAX_SEQUENCE, audience, limit=batch):
        yield from found
        after = found[-1].opening.sequence
