"""One table from error type to HTTP status, and the handlers that render them as JSON."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from ceasefire.domain.errors import (
    AuthenticationError,
    CeasefireError,
    ConflictError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    TooManyRequestsError,
)

STATUS: dict[type[CeasefireError], int] = {
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    GoneError: 410,
    NotFoundError: 404,
    ConflictError: 409,
    InvalidInputError: 422,
    TooManyRequestsError: 429,
    CeasefireError: 400,
}


def status_of(error: CeasefireError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def field_of(loc: tuple[object, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text


async def _ceasefire_error(request: Request, error: Exception) -> Response:
    page_error = getattr(request.app.state, "page_error", None)
    if page_error is not None and not request.url.path.startswith("/api/"):
        assert isinstance(error, CeasefireError)
        found: Response = page_error(request, error, status_of(error))
        return found
    return _json_error(error)


def _json_error(error: Exception) -> JSONResponse:
    assert isinstance(error, CeasefireError)
    body: dict[str, object] = {"error": type(error).__name__, "message": error.message}
    if isinstance(error, InvalidInputError):
        body["field"] = error.field
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, AuthenticationError) else None
    if isinstance(error, GoneError):
        body["moved_to"] = error.moved_to
        headers = {"Location": f"/api/v1/{error.moved_to}"}
    return JSONResponse(body, status_code=status_of(error), headers=headers)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    page_error = getattr(request.app.state, "page_error", None)
    if page_error is not None and not request.url.path.startswith("/api/"):
        found: Response = page_error(request, _page_problem(error), None)
        return found
    problems = [
        {"field": field_of(tuple(e["loc"])), "message": str(e["msg"])} for e in error.errors()
    ]
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


def _page_problem(error: RequestValidationError) -> CeasefireError:
    """A page's form that fails its types: a missing CSRF token is a refusal (403), the
    rest an input error naming the first field."""
    fields = [field_of(tuple(e["loc"])) for e in error.errors()]
    if "csrf" in fields:
        return PermissionDeniedError("the form has expired: reload the page and try again")
    first = error.errors()[0] if error.errors() else {"msg": "invalid request"}
    return InvalidInputError(fields[0] if fields else "", str(first["msg"]))


def install(app: FastAPI) -> None:
    app.add_exception_handler(CeasefireError, _ceasefire_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
