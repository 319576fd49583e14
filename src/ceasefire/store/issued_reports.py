"""Daily reports as issued, in the database (``daily_report`` records)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from ceasefire.ledger import parse_time
from ceasefire.store import tables as t


@dataclass(frozen=True)
class IssuedReport:
    id: int
    agreement_id: str
    day: date
    cutoff: str  # HH:MM
    language: str
    format: str
    sha256: str
    checkpoint_size: int
    checkpoint_root: str
    issued_by: str
    issued_by_user: str | None
    created: datetime
    renderer: dict[str, str] | None  # what drew the file (``reports.renderers``)


def _issued(row: Row[Any]) -> IssuedReport:
    return IssuedReport(
        id=int(row.id),
        agreement_id=row.agreement_id,
        day=row.day,
        cutoff=row.cutoff,
        language=row.language,
        format=row.format,
        sha256=row.sha256,
        checkpoint_size=int(row.checkpoint_size),
        checkpoint_root=row.checkpoint_root,
        issued_by=row.issued_by,
        issued_by_user=row.issued_by_user,
        created=row.created,
        renderer=row.renderer,
    )


def issued_of_state(issued_id: int, state: Mapping[str, Any]) -> IssuedReport:
    """An issued report as its ``daily_report/2`` state says it (the ledger's word, where
    ``_issued`` reads the row)."""
    return IssuedReport(
        id=issued_id,
        agreement_id=state["agreement_id"],
        day=date.fromisoformat(state["day"]),
        cutoff=state["cutoff"],
        language=state["language"],
        format=state["format"],
        sha256=state["sha256"],
        checkpoint_size=int(state["checkpoint_size"]),
        checkpoint_root=state["checkpoint_root"],
        issued_by=state["issued_by"],
        issued_by_user=state["issued_by_user"],
        created=parse_time(state["created"]),
        renderer=state["renderer"],
    )


def add_issued(conn: Connection, new_id: int, values: dict[str, Any]) -> IssuedReport:
    conn.execute(t.daily_reports.insert().values(id=new_id, **values))
    (found,) = conn.execute(select(t.daily_reports).where(t.daily_reports.c.id == new_id))
    return _issued(found)


def issued_with_hash(conn: Connection, sha256: str) -> IssuedReport | None:
    r = t.daily_reports
    row = conn.execute(select(r).where(r.c.sha256 == sha256)).first()
    return None if row is None else _issued(row)


def issued_for(
    conn: Connection, agreement_id: str, day: date, language: str, form: str
) -> IssuedReport | None:
    """The report of that day issued in that language and format, if one was."""
    r = t.daily_reports
    row = conn.execute(
        select(r).where(
            r.c.agreement_id == agreement_id,
            r.c.day == day,
            r.c.language == language,
            r.c.format == form,
        )
    ).first()
    return None if row is None else _issued(row)
