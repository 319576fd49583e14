"""Webhooks: the live feed pushed to a party's own system, signed, retried, logged.

Each webhook follows the ledger from where it was made (``services.feed``): every incident
that changes and passes its filter is POSTed to its URL as JSON, with

    X-Ceasefire-Event: incident
    X-Ceasefire-Delivery: <ledger sequence>
    X-Ceasefire-Signature: sha256=<hex HMAC-SHA256 of the body with the webhook's secret>

A webhook delivers outside the host's network only, checked at registration and at every
delivery, and follows no redirect (``services.destinations``).

A delivery that fails (no answer in 5 s, or a status other than 2xx) is tried again after
0.5, 1 and 2 seconds; every delivery is logged with its attempts and outcome. After
``MAX_FAILURES`` deliveries in a row fail, the webhook is disabled; the party makes a new
one when its receiver is back. The dispatcher runs in the server (one thread).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import secrets
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from ceasefire.domain.classification import Classification
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.filters import BBox, IncidentFilter
from ceasefire.domain.workflow import Role
from ceasefire.services.destinations import destination, post_to
from ceasefire.services.feed import Change, changes_since, latest_sequence, wanted
from ceasefire.services.findings import require_role
from ceasefire.services.scopes import audience
from ceasefire.services.views import incident_json
from ceasefire.store import webhooks as store
from ceasefire.store.database import Database
from ceasefire.store.users import User
from ceasefire.store.webhooks import Delivery, Webhook

MAX_FAILURES = 5  # deliveries failed in a row before a webhook is disabled
BACKOFF = (0.5, 1.0, 2.0)  # seconds before the second, third and fourth attempts
SECRET_PREFIX = "cfw_"
log = logging.getLogger(__name__)

Send = Callable[[str, bytes, dict[str, str]], int]  # url, body, headers -> HTTP status


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def poster(allow_private: bool) -> Send:
    """POST the body to the URL's address, checked again at each delivery (a name may
    resolve elsewhere by now); the status, or ``OSError`` when there is no answer or the
    address is refused."""

    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        try:
            target = destination(url, allow_private=allow_private)
        except InvalidInputError as error:
            raise OSError(f"refused: {error.reason}") from None
        return post_to(target, body, headers)

    return post


def filter_of(spec: dict[str, Any]) -> IncidentFilter:
    bbox = spec.get("bbox")
    classification = spec.get("classification")
    return IncidentFilter(
        bbox=BBox(*bbox) if bbox else None,
        classification=Classification(classification) if classification else None,
        regime_id=spec.get("regime"),
        event_type=spec.get("event_type"),
    )


def create(
    db: Database,
    user: User,
    url: str,
    *,
    bbox: str | None = None,
    classification: Classification | None = None,
    regime: str | None = None,
    event_type: str | None = None,
    allow_private: bool = False,
) -> tuple[Webhook, str]:
    """A new webhook for the user's party; its secret is returned only now. Its URL must
    resolve outside the host's network unless ``allow_private`` (``services.destinations``)."""
    require_role(user, Role.OFFICER, "making a webhook")
    destination(url, allow_private=allow_private)
    spec: dict[str, Any] = {
        "bbox": list(dataclasses.astuple(BBox.parse(bbox))) if bbox else None,
        "classification": classification.value if classification else None,
        "regime": regime,
        "event_type": event_type,
    }
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    cursor = latest_sequence(db)
    with db.transaction() as conn:
        made = store.add_webhook(
            conn,
            {
                "party_id": user.party_id,
                "url": url,
                "secret": secret,
                "filter": spec,
                "cursor": cursor,
                "failures": 0,
                "active": 1,
                "created": datetime.now(UTC),
            },
        )
    return made, secret


def webhooks(db: Database, user: User) -> list[Webhook]:
    with db.read() as conn:
        return store.webhooks_of(conn, user.party_id)


def delivery_log(db: Database, user: User, webhook_id: int) -> list[Delivery]:
    with db.read() as conn:
        store.get_webhook(conn, user.party_id, webhook_id)  # the party's own, or 404
        return store.deliveries(conn, webhook_id)


def remove(db: Database, user: User, webhook_id: int) -> None:
    require_role(user, Role.OFFICER, "removing a webhook")
    with db.transaction() as conn:
        store.delete_webhook(conn, user.party_id, webhook_id)


def dispatch_once(
    db: Database,
    *,
    send: Send | None = None,
    backoff: Sequence[float] = BACKOFF,
    stop: threading.Event | None = None,
    allow_private: bool = False,
    party: str | None = None,
) -> int:
    """Deliver what every active webhook has not had yet; how many deliveries were made.
    When ``stop`` is set (the server is shutting down) it ends at once, even between the
    retries of a delivery; each webhook's cursor stays at the last change it was sent, so
    the next server sends the rest."""
    stop = stop or threading.Event()
    send = send or poster(allow_private)
    with db.read() as conn:
        hooks = [h for h in store.active_webhooks(conn) if party is None or h.party_id == party]
    made = 0
    for hook in hooks:
        # a webhook is its party's: it gets only what the party's users may read
        cursor, changes = changes_since(db, hook.cursor, audience(db, hook.party_id))
        wanted_filter = filter_of(hook.filter)
        failures = hook.failures
        for change in changes:
            if not wanted(wanted_filter, change.incident):
                continue
            ok = _deliver(db, hook, change, send, backoff, stop)
            if ok is None:  # stopped before the change was delivered or given up on
                cursor = _before(change, hook)
                break
            made += 1
            failures = 0 if ok else failures + 1
            if failures >= MAX_FAILURES:
                break
        active = failures < MAX_FAILURES
        with db.transaction() as conn:
            store.update_webhook(
                conn, hook.id, cursor=cursor, failures=failures, active=1 if active else 0
            )
        if stop.is_set():
            break
    return made


def _before(change: Change, hook: Webhook) -> int:
    """The cursor that has the feed send ``change`` again."""
    return max(hook.cursor, change.sequence - 1)


def _deliver(
    db: Database,
    hook: Webhook,
    change: Change,
    send: Send,
    backoff: Sequence[float],
    stop: threading.Event,
) -> bool | None:
    """Send one change, retrying after each ``backoff``; whether it was delivered, and
    logged (None: ``stop`` was set first, and nothing is logged)."""
    message = {
        "event": "incident",
        "sequence": change.sequence,
        "incident": incident_json(change.incident),
    }
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ceasefire-webhook",
        "X-Ceasefire-Event": "incident",
        "X-Ceasefire-Delivery": str(change.sequence),
        "X-Ceasefire-Signature": signature(hook.secret, body),
    }
    status: int | None = None
    error: str | None = None
    attempts = 0
    for delay in (0.0, *backoff):
        if stop.wait(delay):
            return None
        attempts += 1
        try:
            status = send(hook.url, body, headers)
            error = None if 200 <= status < 300 else f"answered {status}"
        except OSError as failure:
            status, error = None, f"no answer: {failure}"
        if error is None:
            break
    now = datetime.now(UTC)
    with db.transaction() as conn:
        store.log_delivery(
            conn,
            hook.id,
            {
                "sequence": change.sequence,
                "incident_id": change.incident.id,
                "attempts": attempts,
                "status_code": status,
                "error": error,
                "created": now,
                "delivered": now if error is None else None,
            },
        )
    return error is None


class Dispatcher:
    """Runs the deliveries in threads of the server, one for each party with active
    webhooks, every ``interval`` seconds: a party's dead or slow receiver delays only that
    party's deliveries. With several server processes on one database, one process at a
    time delivers a party's (``Database.exclusive``), so no delivery is made twice."""

    def __init__(self, db: Database, interval: float, *, allow_private: bool = False) -> None:
        self.db = db
        self.interval = interval
        self.allow_private = allow_private
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._parties: dict[str, threading.Thread] = {}

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for thread in list(self._parties.values()):
            thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.db.read() as conn:
                    parties = sorted({h.party_id for h in store.active_webhooks(conn)})
            except Exception:  # a database hiccup must not end the deliveries for good
                log.exception("webhook dispatch failed; trying again")
                continue
            for party in parties:
                running = self._parties.get(party)
                if running is None or not running.is_alive():
                    thread = threading.Thread(
                        target=self._deliver_for,
                        args=(party,),
                        name=f"webhooks {party}",
                        daemon=True,
                    )
                    self._parties[party] = thread
                    thread.start()

    def _deliver_for(self, party: str) -> None:
        try:
            with self.db.exclusive(f"webhooks-{party}") as mine:
                if mine:  # one server process delivers a party's; the others wait their turn
                    dispatch_once(
                        self.db, stop=self._stop, allow_private=self.allow_private, party=party
                    )
        except Exception:
            log.exception("webhook delivery for %s failed; trying again", party)
