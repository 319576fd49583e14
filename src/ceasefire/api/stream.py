"""/api/v1/stream: incidents as they change, as Server-Sent Events, with the incidents
list's filters. Each event's id is the ledger sequence of the change, so a client that
reconnects with ``Last-Event-ID`` misses nothing."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ceasefire.api.auth import Reader, still_valid
from ceasefire.api.convert import incident_out
from ceasefire.api.deps import Config, Db
from ceasefire.api.incidents import Filter
from ceasefire.domain.errors import InvalidInputError
from ceasefire.services.feed import changes_since, latest_sequence, wanted

router = APIRouter(tags=["live feed"])
KEEP_ALIVE = 15.0  # seconds between comments that keep proxies from closing the stream
RECHECK = 2.0  # seconds between checks that the stream's token or session still holds


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "event: incident"}},
)
async def stream(
    request: Request,
    filters: Filter,
    db: Db,
    audience: Reader,
    settings: Config,
    last_event_id: str | None = Header(default=None),
    max_seconds: float | None = Query(
        default=None, gt=0, le=86_400, description="End the stream after this long."
    ),
) -> StreamingResponse:
    """Every incident a new or moved report changes, once it passes the filters: `event:
    incident`, `data:` the incident as the list gives it, `id:` the ledger sequence. When
    the token or session the stream was opened with is revoked, expires or ends, the stream
    ends within seconds with `event: closed` and the reason."""
    if last_event_id is not None and not last_event_id.isdigit():
        raise InvalidInputError("Last-Event-ID", f"{last_event_id!r} is not an event id")
    after = (
        int(last_event_id)
        if last_event_id is not None
        else await run_in_threadpool(latest_sequence, db)
    )

    async def events() -> AsyncIterator[str]:
        cursor = after
        started = quiet = checked = time.monotonic()
        yield ": connected\n\n"
        while not await request.is_disconnected():
            if time.monotonic() - checked >= RECHECK:
                checked = time.monotonic()
                ended = await run_in_threadpool(still_valid, request)
                if ended is not None:  # revoked or signed out: the stream ends now
                    yield f"event: closed\ndata: {json.dumps({'reason': ended})}\n\n"
                    return
            cursor, changes = await run_in_threadpool(changes_since, db, cursor, audience)
            for change in changes:
                if wanted(filters, change.incident):
                    body = incident_out(change.incident).model_dump_json()
                    yield f"id: {change.sequence}\nevent: incident\ndata: {body}\n\n"
                    quiet = time.monotonic()
            now = time.monotonic()
            if max_seconds is not None and now - started >= max_seconds:
                return
            if now - quiet >= KEEP_ALIVE:
                yield ": keep-alive\n\n"
                quiet = now
            await asyncio.sleep(settings.feed_poll_seconds)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
