"""Request bodies larger than the configured limit are refused with 413, before they are read
whole: by their Content-Length, or, when they are streamed without one, as they arrive. The
API says so in JSON; a page's form (any path outside the API's), with a page of its own
(``page``, given by the app: ``web.errors.too_large_page``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ceasefire.api.access import API_PREFIX


class _TooLarge(Exception):
    pass


PageOf = Callable[[Request, int], Response]  # the page saying a body is over the limit


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int, page: PageOf | None = None) -> None:
        self.app = app
        self.limit = limit
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.page is not None and not str(scope.get("path", "")).startswith(API_PREFIX + "/"):
            # the page reads the reader's session and language: in a thread, as pages do
            found = await run_in_threadpool(self.page, Request(scope), self.limit)
            await found(scope, receive, send)
            return
        body: dict[str, Any] = {
            "error": "InvalidInputError",
            "message": f"the request body is larger than {self.limit} bytes",
            "field": "body",
        }
        await JSONResponse(body, status_code=413)(scope, receive, send)


def install(app: FastAPI, limit: int, page: PageOf | None = None) -> None:
    app.add_middleware(BodyLimit, limit=limit, page=page)
