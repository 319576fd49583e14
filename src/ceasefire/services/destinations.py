"""Where a webhook may deliver: never inside the host's own network unless the host says so.

A party registers a URL; the server resolves its name and refuses an address that is
loopback, private (RFC 1918, unique local), link-local (the cloud metadata service at
169.254.169.254 among them), multicast, reserved or unspecified — at registration, and again
at every delivery, because a name can be made to resolve elsewhere later. The delivery then
connects to the very address that was checked (the name is kept for the Host header and for
TLS), so the name cannot be switched between the check and the connection, and a redirect
is an answer like any other, never followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from ceasefire.domain.errors import InvalidInputError

TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Destination:
    scheme: str
    host: str  # the name, as the URL gives it
    port: int
    path: str
    address: str  # the address checked, which the delivery connects to


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for why, found in (
        ("loopback", address.is_loopback),
        ("link-local (the metadata service's range)", address.is_link_local),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("unspecified", address.is_unspecified),
    ):
        if found:
            return why
    return None


def destination(url: str, *, allow_private: bool) -> Destination:
    """The URL's destination, resolved and checked; ``InvalidInputError`` on ``url`` when
    it is not http(s), does not resolve, or resolves to an address inside the host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError("url", f"{url!r} is not an http(s) URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidInputError("url", f"{url!r} has no valid port") from None
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise InvalidInputError("url", f"{parts.hostname!r} does not resolve ({error})") from None
    addresses = [str(info[4][0]) for info in found]
    if not allow_private:
        for address in addresses:
            why = _refused(ipaddress.ip_address(address.split("%")[0]))
            if why is not None:
                raise InvalidInputError(
                    "url",
                    f"{parts.hostname!r} resolves to {address}, a {why} address: webhooks "
                    "deliver outside the host's network (CEASEFIRE_WEBHOOK_PRIVATE_ADDRESSES "
                    "allows it)",
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Destination(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Destination) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Destination) -> None:
        super().__init__(
            target.host, target.port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post_to(target: Destination, body: bytes, headers: dict[str, str]) -> int:
    """POST to the checked address; the status (a redirect is a status like another), or
    ``OSError`` when there is no answer."""
    connection: http.client.HTTPConnection = (
        _PinnedHTTPS(target) if target.scheme == "https" else _PinnedHTTP(target)
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return int(response.status)
    except http.client.HTTPException as error:
        raise OSError(f"a broken answer: {error!r}") from None
    finally:
        connection.close()
