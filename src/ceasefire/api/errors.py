"""One table from error type to HTTP status, and the one set of handlers: the API's errors
as JSON; any other path's (a page's) through the hooks the pages set (``web/errors.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ceasefire.domain.errors import (
    AuthenticationError,
    CeasefireError,
    ConflictError,
    GoneError,
    InvalidInputError,
    InvalidInputsError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    TooManyRequestsError,
)

STATUS: dict[type[CeasefireError], int] = {
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    GoneError: 410,
    NotFoundError: 404,
    PreconditionFailedError: 412,
    ConflictError: 409,
    InvalidInputError: 422,
    TooManyRequestsError: 429,
    CeasefireError: 400,
}


class Problem(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    """Every error the API answers: the error's kind, a sentence naming the value and the
    rule, and for bad input the field (``problems``: each field a validation refused)."""

    error: str = Field(description="AuthenticationError, PermissionDeniedError, ...")
    message: str
    field: str | None = Field(default=None, description="The field at fault (422).")
    problems: list[Problem] | None = None
    moved_to: str | None = Field(default=None, description="Where a merged incident went (410).")


# what any route of /api/v1 may answer besides its own success (declared in the OpenAPI)
def _error(description: str) -> dict[str, Any]:
    # JSON whatever the route's own answer is (a checkpoint's text, a report's PDF)
    return {"model": ErrorOut, "description": description, "content": {"application/json": {}}}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("A request the server cannot act on."),
    401: _error("Not signed in, or the token is not valid."),
    403: _error("The caller's role or party may not do this."),
    404: _error("No such record (or not one the caller reads)."),
    405: _error("The path does not take this method."),
    409: _error("It conflicts with what is there."),
    410: _error("It was merged into another record."),
    412: _error("The record changed since the version `If-Match` names."),
    413: _error("The body is larger than the server accepts."),
    422: _error("A field is wrong; `field` names it."),
    429: _error("Too many attempts: wait, then try again."),
}


def status_of(error: CeasefireError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def field_of(loc: tuple[object, ...]) -> str:
    """The field a validation error's location names: ``lat``, ``actors[0].name``;
    ``body`` for the body as a whole."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text or ("body" if tuple(loc) == ("body",) else "")


def problem_of(error: Mapping[str, Any]) -> tuple[str, str]:
    """A validation error as (field, message). JSON that does not parse names the body and
    where it stops parsing (its location is the character's position, not a field)."""
    loc = tuple(error["loc"])
    if error.get("type") == "json_invalid" and loc[:1] == ("body",):
        at = f" at character {loc[1]}" if len(loc) > 1 else ""
        reason = (error.get("ctx") or {}).get("error")
        return "body", f"is not valid JSON{at}" + (f": {reason}" if reason else "")
    return field_of(loc), str(error["msg"])


def not_utf8(error: UnicodeDecodeError) -> RequestValidationError:
    """A JSON body whose bytes are not UTF-8 (RFC 8259 §8.1), as a validation error naming
    the body and the first byte that is not, as FastAPI's own routes answer it too."""
    byte = error.object[error.start : error.start + 1].hex()
    message = f"is not UTF-8: byte 0x{byte} at position {error.start} (JSON is sent in UTF-8)"
    return RequestValidationError([{"type": "body_not_utf8", "loc": ("body",), "msg": message}])


async def _ceasefire_error(request: Request, error: Exception) -> Response:
    page_error = getattr(request.app.state, "page_error", None)
    if page_error is not None and not request.url.path.startswith("/api/"):
        assert isinstance(error, CeasefireError)
        found: Response = await run_in_threadpool(page_error, request, error, status_of(error))
        return found
    return _json_error(error)


def _json_error(error: Exception) -> JSONResponse:
    assert isinstance(error, CeasefireError)
    body: dict[str, object] = {"error": type(error).__name__, "message": error.message}
    if isinstance(error, InvalidInputError):
        body["field"] = error.field
    if isinstance(error, InvalidInputsError):  # every wrong field, each with its message
        body["problems"] = [{"field": e.field, "message": e.reason} for e in error.errors]
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, AuthenticationError) else None
    if isinstance(error, GoneError):
        body["moved_to"] = error.moved_to
        headers = {"Location": f"/api/v1/{error.moved_to}"}
    return JSONResponse(body, status_code=status_of(error), headers=headers)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    page_error = getattr(request.app.state, "page_error", None)
    if page_error is not None and not request.url.path.startswith("/api/"):
        # the page says which parameter, and why, in its reader's language
        found: Response = await run_in_threadpool(page_error, request, error, None)
        return found
    return _problems(error)


def _problems(error: RequestValidationError) -> JSONResponse:
    problems = [dict(zip(("field", "message"), problem_of(e), strict=True)) for e in error.errors()]
    first = problems[0] if problems else {"field": "", "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return JSONResponse(
        {
            "error": "InvalidInputError",
            "message": message,
            "field": first["field"],
            "problems": problems,
        },
        status_code=422,
    )


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's and FastAPI's own refusals (a body that is not JSON, a method not
    allowed) in the API's one error shape; outside the API (an address with no page, a
    method a page does not take), as a page (``page_refusal``)."""
    assert isinstance(error, StarletteHTTPException)
    if not request.url.path.startswith("/api/"):
        page_refusal = getattr(request.app.state, "page_refusal", None)
        if page_refusal is not None:
            found: Response = await run_in_threadpool(
                page_refusal, request, error.status_code, error.headers
            )
            return found
        return await http_exception_handler(request, error)
    if isinstance(error.__cause__, UnicodeDecodeError):  # FastAPI's "error parsing the body"
        return _problems(not_utf8(error.__cause__))
    body = {"error": "HTTPError", "message": str(error.detail)}
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


async def _server_error(request: Request, _error: Exception) -> Response:
    """A failure of the server's own (500): the API's answer as Starlette gives it; a page,
    as a page (``page_failure``). Starlette logs the error and raises it on after this."""
    page_failure = getattr(request.app.state, "page_failure", None)
    if page_failure is not None and not request.url.path.startswith("/api/"):
        try:
            found: Response = await run_in_threadpool(page_failure, request)
            return found
        except Exception:  # failing to say it: say it as the API does
            pass
    return PlainTextResponse("Internal Server Error", status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(CeasefireError, _ceasefire_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
