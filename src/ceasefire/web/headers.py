"""Security headers on every response the app sends, pages and API alike.

- ``Content-Security-Policy``: scripts, styles, fonts and images from this server only, no
  inline script or style, no plugins, forms post only here, and no page may frame ours
  (``frame-ancestors 'none'``, and ``X-Frame-Options: DENY`` for older browsers);
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``;
- ``Cache-Control: no-store`` on what a signed-in caller asked for (party-scoped answers
  must not sit in a shared cache), unless the route set its own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:{tiles}; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
FIXED = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def policy(tiles: str | None) -> str:
    """The Content-Security-Policy; a configured tile server (``CEASEFIRE_MAP_TILES``) may
    serve images, from its origin only (``{s}`` subdomains as a wildcard)."""
    if not tiles:
        return POLICY.format(tiles="")
    parts = urlsplit(tiles.replace("{s}.", "*."))
    return POLICY.format(tiles=f" {parts.scheme}://{parts.netloc}")


def headers_of(tiles: str | None) -> dict[str, str]:
    """The headers above as this middleware adds them to a signed-in caller's answer: for
    an answer made outside it (a failure's page, made by Starlette's outermost handler)."""
    fixed = [(b"content-security-policy", policy(tiles).encode()), *FIXED]
    return {n.decode(): v.decode() for n, v in fixed} | {"cache-control": "no-store"}


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp, tiles: str | None = None) -> None:
        self.app = app
        self.fixed = [(b"content-security-policy", policy(tiles).encode()), *FIXED]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {name.lower() for name, _ in scope.get("headers", [])}
        credentials = b"authorization" in names or any(
            name == b"cookie" and b"ceasefire_session=" in value
            for name, value in scope.get("headers", [])
        )

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in self.fixed if n not in present]
                if credentials and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
