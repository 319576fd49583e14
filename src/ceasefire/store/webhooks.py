"""Webhooks and their delivery log in the database; always read for one party, except by
the dispatcher, which serves them all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from ceasefire.domain.errors import NotFoundError
from ceasefire.store import tables as t


@dataclass(frozen=True)
class Webhook:
    id: int
    party_id: str
    url: str
    secret: str
    filter: dict[str, Any]
    cursor: int
    failures: int
    active: bool
    created: datetime


@dataclass(frozen=True)
class Delivery:
    id: int
    sequence: int
    incident_id: int
    attempts: int
    status_code: int | None
    error: str | None
    created: datetime
    delivered: datetime | None


def _webhook(row: Row[Any]) -> Webhook:
    return Webhook(
        int(row.id),
        row.party_id,
        row.url,
        row.secret,
        dict(row.filter),
        int(row.cursor),
        int(row.failures),
        bool(row.active),
        row.created,
    )


def add_webhook(conn: Connection, values: dict[str, Any]) -> Webhook:
    inserted = conn.execute(t.webhooks.insert().values(**values).returning(t.webhooks.c.id))
    return get_webhook(conn, values["party_id"], int(inserted.scalar_one()))


def get_webhook(conn: Connection, party_id: str, webhook_id: int) -> Webhook:
    w = t.webhooks
    row = conn.execute(select(w).where(w.c.id == webhook_id, w.c.party_id == party_id)).first()
    if row is None:
        raise NotFoundError(f"webhook {webhook_id} does not exist")
    return _webhook(row)


def webhooks_of(conn: Connection, party_id: str) -> list[Webhook]:
    w = t.webhooks
    return [
        _webhook(r)
        for r in conn.execute(select(w).where(w.c.party_id == party_id).order_by(w.c.id))
    ]


def active_webhooks(conn: Connection) -> list[Webhook]:
    w = t.webhooks
    return [_webhook(r) for r in conn.execute(select(w).where(w.c.active == 1).order_by(w.c.id))]


def delete_webhook(conn: Connection, party_id: str, webhook_id: int) -> None:
    w = t.webhooks
    done = conn.execute(w.delete().where(w.c.id == webhook_id, w.c.party_id == party_id))
    if done.rowcount != 1:
        raise NotFoundError(f"webhook {webhook_id} does not exist")


def update_webhook(conn: Connection, webhook_id: int, **values: Any) -> None:
    conn.execute(t.webhooks.update().where(t.webhooks.c.id == webhook_id).values(**values))


def log_delivery(conn: Connection, webhook_id: int, values: dict[str, Any]) -> None:
    conn.execute(t.webhook_deliveries.insert().values(webhook_id=webhook_id, **values))


def deliveries(conn: Connection, webhook_id: int, limit: int = 100) -> list[Delivery]:
    d = t.webhook_deliveries
    rows = conn.execute(
        select(d).where(d.c.webhook_id == webhook_id).order_by(d.c.id.desc()).limit(limit)
    )
    return [
        Delivery(
            int(r.id),
            int(r.sequence),
            int(r.incident_id),
            int(r.attempts),
            r.status_code,
            r.error,
            r.created,
            r.delivered,
        )
        for r in rows
    ]
