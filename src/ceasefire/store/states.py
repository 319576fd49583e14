"""What the record contract reads of the store: the version every kind's records are
written at (migration 0010), each record's latest entry, and leaves by sequence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Connection, Select, exists, func, select

from ceasefire.store import tables as t

_CHUNK = 500


def stored_versions(conn: Connection) -> dict[str, int]:
    """The version of its declared state each kind's records are all written at (a kind
    with no row has not been looked at since the upgrade that brought the table)."""
    sv = t.state_versions
    return {kind: int(version) for kind, version in conn.execute(select(sv.c.kind, sv.c.version))}


def set_version(conn: Connection, kind: str, version: int) -> None:
    sv = t.state_versions
    updated = conn.execute(sv.update().where(sv.c.kind == kind).values(version=version))
    if not updated.rowcount:
        conn.execute(sv.insert().values(kind=kind, version=version))


def _in_kind(kind: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """``<kind>:…`` records, as a range on the record index (";" follows ":")."""
    record = t.ledger_entries.c.record
    return record >= f"{kind}:", record < f"{kind};"


def has_entries(conn: Connection, kind: str) -> bool:
    e = t.ledger_entries
    return conn.execute(select(e.c.sequence).where(*_in_kind(kind)).limit(1)).first() is not None


def latest_sequences(conn: Connection, kind: str) -> list[int]:
    """The sequence of every ``<kind>:…`` record's latest entry, in order."""
    e = t.ledger_entries
    latest = select(func.max(e.c.sequence)).where(*_in_kind(kind)).group_by(e.c.record)
    return sorted(int(s) for s in conn.execute(latest).scalars())


def leaves_at(conn: Connection, sequences: Iterable[int]) -> dict[int, bytes]:
    """The leaves at these sequences (those the log holds), in sequence order."""
    e = t.ledger_entries
    wanted = sorted(set(sequences))
    found: dict[int, bytes] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(e.c.sequence, e.c.leaf).where(
            e.c.sequence.in_(wanted[start : start + _CHUNK])
        )
        found.update({int(s): bytes(leaf) for s, leaf in conn.execute(query)})
    return dict(sorted(found.items()))


def latest_below(kind: str, size: int, records: Sequence[str] | None = None) -> Select[tuple[int]]:
    """The sequence of every ``<kind>:…`` record's latest entry among the log's first
    ``size`` entries (or of these records'): the entries that hold their states then."""
    e = t.ledger_entries
    where = [*_in_kind(kind), e.c.sequence < size]
    if records is not None:
        where.append(e.c.record.in_(list(records)))
    return select(func.max(e.c.sequence)).where(*where).group_by(e.c.record)


def changed_since(conn: Connection, kind: str, size: int) -> set[str]:
    """The ``<kind>:…`` records that the log's first ``size`` entries hold and a later
    entry wrote again (their rows may not be what they were at that size)."""
    e = t.ledger_entries
    earlier = t.ledger_entries.alias("earlier")
    held = exists().where(earlier.c.record == e.c.record, earlier.c.sequence < size)
    query = select(e.c.record).where(*_in_kind(kind), e.c.sequence >= size, held).distinct()
    return {str(r) for r in conn.execute(query).scalars()}
