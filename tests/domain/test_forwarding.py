"""The client's address behind trusted proxies: X-Forwarded-For believed from them alone."""

from __future__ import annotations

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.forwarding import client_address, parse_networks

PROXIES = parse_networks("10.0.0.5, 10.1.0.0/16 ::1")


def test_no_trusted_proxy_means_the_header_is_ignored() -> None:
    assert client_address("10.0.0.5", ["203.0.113.7"], ()) == "10.0.0.5"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_address("198.51.100.9", ["203.0.113.7"], PROXIES) == "198.51.100.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() -> None:
    # the client wrote 1.2.3.4 itself; the proxy appended the address it saw
    assert client_address("10.0.0.5", ["1.2.3.4, 203.0.113.7"], PROXIES) == "203.0.113.7"


def test_trusted_hops_are_skipped_across_header_lines() -> None:
    lines = ["1.2.3.4", "203.0.113.7, 10.1.4.2"]
    assert client_address("10.0.0.5", lines, PROXIES) == "203.0.113.7"


def test_ports_brackets_and_mapped_addresses_are_read() -> None:
    assert client_address("::1", ["[2001:db8::7]:4431"], PROXIES) == "2001:db8::7"
    assert client_address("10.0.0.5", ["203.0.113.7:5000"], PROXIES) == "203.0.113.7"
    assert client_address("::ffff:10.0.0.5", ["203.0.113.7"], PROXIES) == "203.0.113.7"


def test_garbage_in_the_header_stops_at_the_last_trusted_hop() -> None:
    assert client_address("10.0.0.5", ["203.0.113.7, not-an-address"], PROXIES) == "10.0.0.5"
    assert client_address("10.0.0.5", [], PROXIES) == "10.0.0.5"
    assert client_address("10.0.0.5", ["10.1.0.9"], PROXIES) == "10.1.0.9"  # all trusted


def test_a_peer_that_is_no_address_is_taken_as_it_is() -> None:
    assert client_address("testclient", ["203.0.113.7"], PROXIES) == "testclient"
    assert client_address(None, ["203.0.113.7"], PROXIES) == "unknown"


def test_a_setting_that_is_not_an_address_names_the_item() -> None:
    with pytest.raises(InvalidInputError, match=r"'10\.0\.0\.300' is not an IP address or network"):
        parse_networks("10.0.0.5, 10.0.0.300")
