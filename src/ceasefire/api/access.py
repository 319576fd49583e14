"""Who may call which route: one rule per route, enforced for every request.

Each route of /api/v1 has an entry in ``RULES``: the least role it needs (``None``: no
sign-in), and, for routes about one party (``{party_id}`` in the path), whether the user
must belong to that party. ``enforce`` runs before every route; a route with no rule is
refused (fail closed), and a test checks that every route has one and that each rule
holds for every role, from the user's own party and from another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ceasefire.api.auth import required, signed_in
from ceasefire.domain.errors import PermissionDeniedError
from ceasefire.domain.workflow import Role

READ, REPORT, ANALYSE, OFFICE, ADMIN = (
    Role.OBSERVER,
    Role.REPORTER,
    Role.ANALYST,
    Role.OFFICER,
    Role.ADMIN,
)


@dataclass(frozen=True)
class Rule:
    role: Role | None  # None: anyone, signed in or not
    own_party: bool = False  # the path's {party_id} must be the user's party


RULES: dict[tuple[str, str], Rule] = {
    # signing in and out, and one's own tokens
    ("POST", "/api/v1/session"): Rule(None),
    ("DELETE", "/api/v1/session"): Rule(READ),
    ("GET", "/api/v1/me"): Rule(READ),
    ("POST", "/api/v1/tokens"): Rule(READ),
    ("DELETE", "/api/v1/tokens/{token_id}"): Rule(READ),
    # agreements and regimes
    ("GET", "/api/v1/agreements"): Rule(READ),
    ("GET", "/api/v1/agreements/{agreement_id}"): Rule(READ),
    ("GET", "/api/v1/agreements/{agreement_id}/reports/daily"): Rule(READ),
    ("POST", "/api/v1/agreements/{agreement_id}/reports/daily/issue"): Rule(OFFICE),
    ("GET", "/api/v1/regimes"): Rule(READ),
    ("GET", "/api/v1/regimes/{regime_id}"): Rule(READ),
    ("POST", "/api/v1/regimes"): Rule(OFFICE),
    ("POST", "/api/v1/regimes/{regime_id}/extensions"): Rule(OFFICE),
    ("POST", "/api/v1/regimes/{regime_id}/endings"): Rule(OFFICE),
    # the actor register
    ("GET", "/api/v1/actors/resolve"): Rule(READ),
    ("GET", "/api/v1/actors/unresolved"): Rule(READ),
    ("POST", "/api/v1/actors/mappings"): Rule(ANALYSE),
    ("GET", "/api/v1/actors/mappings/{mapping_id}"): Rule(READ),
    ("GET", "/api/v1/actors/{actor_id}"): Rule(READ),
    ("GET", "/api/v1/accessions"): Rule(READ),
    ("POST", "/api/v1/accessions"): Rule(OFFICE),
    ("GET", "/api/v1/accessions/counts"): Rule(READ),
    ("GET", "/api/v1/accessions/map"): Rule(READ),
    ("POST", "/api/v1/control-areas"): Rule(OFFICE),
    ("GET", "/api/v1/control-areas"): Rule(READ),
    ("GET", "/api/v1/control-areas/holder"): Rule(READ),
    ("GET", "/api/v1/designations"): Rule(READ),
    ("POST", "/api/v1/designations"): Rule(ADMIN),
    ("POST", "/api/v1/designations/{list_id}/submissions"): Rule(OFFICE),
    ("GET", "/api/v1/designations/{list_id}"): Rule(READ),
    ("GET", "/api/v1/designations/{list_id}/submissions/{party_id}"): Rule(READ),
    ("GET", "/api/v1/designations/{list_id}/versions"): Rule(READ),
    ("GET", "/api/v1/designations/{list_id}/diff"): Rule(READ),
    ("GET", "/api/v1/designations/{list_id}/export"): Rule(READ),
    # humanitarian access
    ("GET", "/api/v1/humanitarian/locations"): Rule(READ),
    ("POST", "/api/v1/humanitarian/locations"): Rule(ANALYSE),
    ("GET", "/api/v1/humanitarian/locations/{location_id}"): Rule(READ),
    ("POST", "/api/v1/humanitarian/locations/{location_id}/statuses"): Rule(REPORT),
    ("POST", "/api/v1/humanitarian/requests"): Rule(REPORT),
    ("POST", "/api/v1/humanitarian/requests/{request_id}/decision"): Rule(OFFICE),
    ("POST", "/api/v1/humanitarian/requests/{request_id}/deliveries"): Rule(REPORT),
    ("GET", "/api/v1/humanitarian/summary"): Rule(READ),
    ("GET", "/api/v1/humanitarian/map"): Rule(READ),
    # reports and incidents
    ("GET", "/api/v1/reports"): Rule(READ),
    ("GET", "/api/v1/reports/{report_id}"): Rule(READ),
    ("POST", "/api/v1/reports"): Rule(REPORT),
    ("POST", "/api/v1/reports/prepare"): Rule(REPORT),
    # a party's drafts: the store reads and writes them for the user's own party only
    ("POST", "/api/v1/drafts"): Rule(REPORT),
    ("GET", "/api/v1/drafts"): Rule(READ),
    ("GET", "/api/v1/drafts/{draft_id}"): Rule(READ),
    ("PUT", "/api/v1/drafts/{draft_id}"): Rule(REPORT),
    ("DELETE", "/api/v1/drafts/{draft_id}"): Rule(REPORT),
    ("POST", "/api/v1/drafts/{draft_id}/share"): Rule(REPORT),
    ("GET", "/api/v1/incidents"): Rule(READ),
    ("GET", "/api/v1/incidents/export"): Rule(READ),
    ("GET", "/api/v1/incidents/{incident_id}"): Rule(READ),
    ("GET", "/api/v1/map/incidents"): Rule(READ),
    ("GET", "/api/v1/map/tiles/{z}/{x}/{y}"): Rule(READ),
    ("GET", "/api/v1/map/list"): Rule(READ),
    ("GET", "/api/v1/places"): Rule(READ),
    ("POST", "/api/v1/incidents/merge"): Rule(ANALYSE),
    ("POST", "/api/v1/incidents/{incident_id}/split"): Rule(ANALYSE),
    ("GET", "/api/v1/correlation/candidates"): Rule(READ),
    ("POST", "/api/v1/correlation/candidates/{incident_id}/{other_id}/confirm"): Rule(ANALYSE),
    ("POST", "/api/v1/correlation/candidates/{incident_id}/{other_id}/reject"): Rule(ANALYSE),
    # assessments, the joint finding, response measures
    ("GET", "/api/v1/incidents/{incident_id}/findings"): Rule(READ),
    ("POST", "/api/v1/incidents/{incident_id}/assessments"): Rule(OFFICE),
    ("POST", "/api/v1/incidents/{incident_id}/assessments/prepare"): Rule(OFFICE),
    ("GET", "/api/v1/incidents/{incident_id}/measures"): Rule(READ),
    ("POST", "/api/v1/incidents/{incident_id}/measures"): Rule(OFFICE),
    ("GET", "/api/v1/measures"): Rule(READ),
    ("POST", "/api/v1/measures/{measure_id}/status"): Rule(OFFICE),
    ("POST", "/api/v1/measures/{measure_id}/comments"): Rule(REPORT),
    # the live feed
    ("GET", "/api/v1/stream"): Rule(READ),
    ("POST", "/api/v1/webhooks"): Rule(OFFICE),
    ("GET", "/api/v1/webhooks"): Rule(READ),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): Rule(READ),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): Rule(OFFICE),
    # monitors denied access
    ("GET", "/api/v1/restrictions"): Rule(READ),
    ("POST", "/api/v1/restrictions"): Rule(REPORT),
    # the ledger
    ("GET", "/api/v1/ledger/checkpoint"): Rule(READ),
    ("GET", "/api/v1/ledger/entries"): Rule(READ),
    ("GET", "/api/v1/ledger/bundle"): Rule(READ),
    # the openings of sealed entries: the store serves only those of the user's agreements
    ("GET", "/api/v1/ledger/openings"): Rule(READ),
    ("GET", "/api/v1/ledger/proof/inclusion"): Rule(READ),
    ("GET", "/api/v1/ledger/proof/consistency"): Rule(READ),
    ("POST", "/api/v1/ledger/cosign"): Rule(READ),
    ("POST", "/api/v1/parties/{party_id}/keys/prepare"): Rule(ADMIN, own_party=True),
    ("POST", "/api/v1/parties/{party_id}/keys"): Rule(ADMIN, own_party=True),
    ("POST", "/api/v1/parties/{party_id}/keys/rotate/prepare"): Rule(ADMIN, own_party=True),
    ("POST", "/api/v1/parties/{party_id}/keys/rotate"): Rule(ADMIN, own_party=True),
}


def rule_for(method: str, path: str) -> Rule | None:
    return RULES.get((method, path))


API_PREFIX = "/api/v1"


def _template(request: Request) -> str | None:
    """The path template of the route that serves the request: every API route sits in a
    router included once, under ``API_PREFIX``."""
    route = request.scope.get("route")
    return API_PREFIX + route.path if isinstance(route, APIRoute) else None


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="API token",
    description="A token from POST /api/v1/tokens or `ceasefire users token`.",
)


# what a witness needs to check the log, and nothing else: the checkpoint with its
# cosignatures, the leaves (a sealed entry's leaf commits to its state, never shows it),
# and the proofs; served without a token when the host sets CEASEFIRE_PUBLIC_LEDGER
PUBLIC_LEDGER = frozenset(
    {
        "/api/v1/ledger/checkpoint",
        "/api/v1/ledger/entries",
        "/api/v1/ledger/proof/inclusion",
        "/api/v1/ledger/proof/consistency",
    }
)


def enforce(
    request: Request,
    _token: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None,
) -> None:
    """Refuse the request unless the route's rule admits the caller. (``_token`` only
    declares the bearer scheme in the OpenAPI description, for /docs' Authorize button.)
    A plain function: FastAPI runs it in its thread pool, off the event loop."""
    path = _template(request)
    rule = None if path is None else rule_for(request.method, path)
    if rule is None:
        raise PermissionDeniedError(f"{request.method} {path} has no access rule")
    if rule.role is None:
        return
    found = signed_in(request)
    if found is None and path in PUBLIC_LEDGER and request.app.state.settings.public_ledger:
        return  # the host lets witnesses read the log's public parts without a token
    user = required(found)
    if user.role < rule.role:
        raise PermissionDeniedError(
            f"{request.method} {path} needs the role {rule.role.label}; "
            f"{user.username} is {user.role.label}"
        )
    if rule.own_party and request.path_params.get("party_id") != user.party_id:
        raise PermissionDeniedError(
            f"{user.username} acts for {user.party_id}, not {request.path_params.get('party_id')}"
        )
