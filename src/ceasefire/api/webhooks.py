"""/api/v1/webhooks: a party's webhooks and their delivery logs (its own only)."""

from __future__ import annotations

from fastapi import APIRouter

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller
from ceasefire.api.deps import Config, Db, Id
from ceasefire.services import webhooks as service
from ceasefire.store.webhooks import Webhook

router = APIRouter(tags=["live feed"])


def webhook_out(hook: Webhook) -> s.WebhookOut:
    return s.WebhookOut(
        id=hook.id,
        party_id=hook.party_id,
        url=hook.url,
        filter=hook.filter,
        active=hook.active,
        failures=hook.failures,
        created=hook.created,
    )


@router.post("/webhooks", response_model=s.WebhookMade, status_code=201)
def create_webhook(body: s.WebhookIn, db: Db, user: Caller, settings: Config) -> s.WebhookMade:
    """POST every incident that changes and passes the filter to `url`, signed with the
    secret this answer shows once (X-Ceasefire-Signature: sha256=<HMAC of the body>). The URL
    must resolve outside the server's network (a loopback, private or link-local address is
    a 422) unless the host allows it; redirects are never followed."""
    hook, secret = service.create(
        db,
        user,
        body.url,
        bbox=body.bbox,
        classification=body.classification,
        regime=body.regime,
        event_type=body.event_type,
        allow_private=settings.webhook_private_addresses,
    )
    return s.WebhookMade(**webhook_out(hook).model_dump(), secret=secret)


@router.get("/webhooks", response_model=list[s.WebhookOut])
def list_webhooks(db: Db, user: Caller) -> list[s.WebhookOut]:
    return [webhook_out(h) for h in service.webhooks(db, user)]


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[s.DeliveryOut])
def deliveries(webhook_id: Id, db: Db, user: Caller) -> list[s.DeliveryOut]:
    """The latest 100 deliveries, newest first: attempts, status, error."""
    return [
        s.DeliveryOut(
            id=d.id,
            sequence=d.sequence,
            incident_id=d.incident_id,
            attempts=d.attempts,
            status_code=d.status_code,
            error=d.error,
            created=d.created,
            delivered=d.delivered,
        )
        for d in service.delivery_log(db, user, webhook_id)
    ]


@router.delete("/webhooks/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: Id, db: Db, user: Caller) -> None:
    service.remove(db, user, webhook_id)
