"""Whose address a request comes from, behind reverse proxies the host trusts.

A proxy in front of the server makes every client seem to come from the proxy's address,
so the sign-in throttle would count everyone as one. A proxy says whom it forwards in
``X-Forwarded-For``, appending the address it received the request from; a client can put
anything in the header before that. So the header is believed only when the peer itself
is a **trusted proxy** (``CEASEFIRE_TRUSTED_PROXIES``), and then read from the right: each
address that is itself a trusted proxy is skipped, and the first that is not is the
client's. From any other peer the header is ignored: the peer's address is the client's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from ceasefire.domain.errors import InvalidInputError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(text: str, *, field: str = "trusted_proxies") -> tuple[Network, ...]:
    """Addresses and networks, separated by commas or spaces (``10.0.0.5, 10.1.0.0/16,
    ::1``); an address alone is a network of one."""
    found: list[Network] = []
    for item in text.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise InvalidInputError(
                field, f"{item!r} is not an IP address or network (10.0.0.5, 10.1.0.0/16)"
            ) from None
    return tuple(found)


def _address(text: str) -> Address | None:
    """An address as a header gives it: bare, ``[v6]`` or ``[v6]:port``, or ``v4:port``."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address in network for network in trusted)


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]
) -> str:
    """The client's address: the ``peer``'s, unless the peer is a trusted proxy; then the
    rightmost address of the ``X-Forwarded-For`` headers (``forwarded_for``: each header
    line, in order) that is not itself a trusted proxy. An entry that is not an address
    stops the walk: the last trusted hop before it is the client as far as anyone knows."""
    if peer is None:
        return "unknown"
    current = _address(peer)
    if current is None or not trusted or not _trusted(current, trusted):
        return peer
    hops = [hop for line in forwarded_for for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        found = _address(hop)
        if found is None:
            break
        current = found
        if not _trusted(found, trusted):
            break
    return str(current)
