"""A route served with one hand-off to the thread pool, for the write scripts call most.

FastAPI serves a route in steps, most of them on the event loop, which each of the
server's processes has one of: the access rule (``access.enforce``, a plain function: a
hand-off to the thread pool and back, since it reads the caller's token from the database),
the body read and validated, the other dependencies solved, the route (another hand-off),
and its answer validated and written as JSON. At 16 clients filing reports, the event loop
was the busiest thread of each process and the hand-offs cost it the most (the work of
waking a pool thread and being woken, docs/benchmarks.md section 7). ``OneHandOff`` does
the same steps in the same order, but all of them in one pool thread: the access rule
first (a caller who may not file gets 401 or 403 whatever the body), then the body (the
same validation, with the same 422), then the route, then its answer; the event loop only
reads the body's bytes and sends the answer's.

A route it serves is a plain function of ``body`` (its request model), ``ledger``,
``settings`` and ``user``, under the router's one dependency ``enforce``; the OpenAPI
description is FastAPI's, made from that signature. Anything else is refused when the app
is built, so a dependency added later cannot be skipped unnoticed.
"""

from __future__ import annotations

import email.message
import inspect
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from ceasefire.api.access import enforce
from ceasefire.api.auth import required, signed_in
from ceasefire.api.errors import not_utf8

PARAMETERS = ("body", "ledger", "settings", "user")


class OneHandOff(APIRoute):
    """An API route whose access rule, body, work and answer run in one pool thread."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        names = tuple(inspect.signature(endpoint).parameters)
        if inspect.iscoroutinefunction(endpoint) or names != PARAMETERS:
            raise TypeError(
                f"{self.path}: a route served in one hand-off is a plain function of "
                f"{', '.join(PARAMETERS)}, not of {', '.join(names)}"
            )
        others = [d.dependency for d in self.dependencies if d.dependency is not enforce]
        if others:
            raise TypeError(f"{self.path}: a route served in one hand-off depends on enforce only")
        if self.body_field is None or self.response_field is None:
            raise TypeError(f"{self.path}: a route served in one hand-off has a body and an answer")

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        async def handle(request: Request) -> Response:
            body = await request.body()
            answer: Response = await run_in_threadpool(self._answer, request, body)
            return answer

        return handle

    def _answer(self, request: Request, raw: bytes) -> Response:
        enforce(request)  # before the body is looked at, as a dependency of the route is
        user = required(signed_in(request))  # as enforce found it (a route anyone may call too)
        body = self._body(request, raw)
        state = request.app.state
        result = self.endpoint(body, state.ledger, state.settings, user)
        field = self.response_field
        assert field is not None
        value, errors = field.validate(result, {}, loc=("response",))
        if errors:
            raise ResponseValidationError(errors=errors, body=result)
        content = field.serialize_json(value, by_alias=True)
        status = self.status_code or 200
        return Response(content, status_code=status, media_type="application/json")

    def _body(self, request: Request, raw: bytes) -> Any:
        """The body validated as FastAPI validates one: JSON when it says it is, else the
        bytes (which the model refuses), and missing when empty."""
        field = self.body_field
        assert field is not None
        if not raw:
            if field.field_info.is_required():
                missing = {"type": "missing", "loc": ("body",), "msg": "Field required"}
                raise RequestValidationError([{**missing, "input": None}])
            return None
        value: Any = raw
        if _says_json(request.headers.get("content-type")):
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as error:
                problem = {"type": "json_invalid", "loc": ("body", error.pos)}
                detail = {"msg": "JSON decode error", "input": {}, "ctx": {"error": error.msg}}
                raise RequestValidationError([{**problem, **detail}], body=error.doc) from None
            except UnicodeDecodeError as error:  # not UTF-8 (nor UTF-16 or -32)
                raise not_utf8(error) from None
            except ValueError:  # as FastAPI answers any other body it cannot read
                raise HTTPException(400, "There was an error parsing the body") from None
        body, errors = field.validate(value, {}, loc=("body",))
        if errors:
            raise RequestValidationError(errors, body=value)
        return body


def _says_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )
