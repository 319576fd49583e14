"""The authorization matrix, generated from the app's routes: every route has a rule, and
each rule holds for every role, signed in for the user's own party or another."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.conftest import SignAs
from ceasefire.api.access import API_PREFIX, RULES
from ceasefire.app import API_MODULES
from ceasefire.domain.workflow import Role

DENIED = {401, 403}


def api_routes() -> list[tuple[str, str]]:
    found = []
    for module in API_MODULES:
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            found += [(method, API_PREFIX + route.path) for method in sorted(route.methods)]
    return found


def test_every_route_has_a_rule_and_every_rule_a_route() -> None:
    routes = set(api_routes())
    missing = sorted(routes - set(RULES))
    stale = sorted(set(RULES) - routes)
    assert missing == [], f"routes with no access rule: {missing}"
    assert stale == [], f"rules for routes that do not exist: {stale}"


def concrete(path: str, party: str) -> str:
    path = path.replace("{party_id}", party)
    return re.sub(r"\{[a-z_]+\}", "999999", path)  # no such record: never revoke a token


@pytest.mark.parametrize("party", ["us", "ru"])  # us: the signed-in users' own party
def test_each_route_admits_exactly_the_roles_and_parties_its_rule_names(
    anonymous: TestClient, sign_as: SignAs, party: str
) -> None:
    tokens = {role: sign_as("us", role) for role in Role}
    wrong = []
    for method, path in api_routes():
        rule = RULES[(method, path)]
        url = concrete(path, party)
        callers: list[tuple[str, Role | None, dict[str, str]]] = [("anonymous", None, {})]
        callers += [(role.label, role, headers) for role, headers in tokens.items()]
        for name, role, headers in callers:
            # max_seconds ends the live feed at once; other routes ignore it
            response = anonymous.request(
                method, url, headers=headers, json={}, params={"max_seconds": "0.01"}
            )
            allowed = rule.role is None or (
                role is not None and role >= rule.role and (not rule.own_party or party == "us")
            )
            denied = response.status_code in DENIED
            if allowed == denied:
                wrong.append(f"{method} {url} as {name}: {response.status_code}")
            if denied and response.status_code == 401:
                assert role is None, f"{method} {url} as {name}: 401 for a signed-in user"
    assert wrong == []
