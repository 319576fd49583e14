"""The shared record kinds new since release 0.1.0: the registers, humanitarian access and
the issued daily report. Each starts at version 1, always tagged (``domain.records`` holds
the kinds release 0.1.0 wrote, their upgrades, and ``KINDS``, every kind by name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ceasefire.domain.states import (
    Field,
    State,
    StateKind,
    Type,
    Version,
    integer,
    items,
    number,
    text,
    time,
)

_GEOMETRY = Field("geometry", Type.GEOMETRY)

# the registers (new kinds: version 1, always tagged)
DESIGNATION_LIST = StateKind(
    "designation_list",
    (Version(1, (text("name"), text("description"), Field("members", Type.TEXTS))),),
)
# one member's word on one actor (designation:<list>/<party>/<actor>), signed by the member
DESIGNATION = StateKind(
    "designation",
    (Version(1, (text("position"), text("note"), time("submitted"))),),
)

# humanitarian access (docs/humanitarian.md): open to every party, whatever agreement
# a location falls under
_DAY = Type.DATE
HUMANITARIAN_LOCATION = StateKind(
    "humanitarian_location",
    (
        Version(
            1,
            (
                text("name"),
                number("lon"),
                number("lat"),
                text("place_id", optional=True),
                text("agreement_id", optional=True),
                items(
                    "statuses",
                    [text("status"), Field("since", _DAY), text("source"), text("note")],
                    order=["since"],
                ),
            ),
        ),
    ),
)
HUMANITARIAN_REQUEST = StateKind(
    "humanitarian_request",
    (
        Version(
            1,
            (
                text("location_id"),
                text("kind"),
                text("requested_by"),
                Field("requested", _DAY),
                integer("people", optional=True),
                integer("trucks", optional=True),
                text("destination", optional=True),
                Field("destination_lon", Type.NUMBER, optional=True),
                Field("destination_lat", Type.NUMBER, optional=True),
                text("decision"),
                Field("decided", _DAY, optional=True),
                text("decided_by", optional=True),
                text("reason"),
                integer("approved_people", optional=True),
                integer("approved_trucks", optional=True),
                text("source"),
                text("source_id", optional=True),
                text("source_status", optional=True),
                text("note"),
                text("recorded_by"),
            ),
        ),
    ),
)
HUMANITARIAN_DELIVERY = StateKind(
    "humanitarian_delivery",
    (
        Version(
            1,
            (
                integer("request_id"),
                Field("delivered", _DAY),
                integer("people_reached", optional=True),
                integer("trucks", optional=True),
                text("items"),
                text("note"),
                text("recorded_by"),
            ),
        ),
    ),
)

# a day's report as issued (domain.daily): what the file's bytes hash to, the checkpoint it
# was built from and (version 2) what drew it, so anyone can check a copy and rebuild it.
# Open to every party, as the report is issued for the world to check: only its hash is in
# the ledger.
_DAILY_REPORT_1 = (
    text("agreement_id"),
    Field("day", Type.DATE),
    text("cutoff"),
    text("language"),
    text("format"),
    text("sha256"),
    integer("checkpoint_size"),
    text("checkpoint_root"),
    text("issued_by"),
    text("issued_by_user", optional=True),
    time("created"),
)


def _daily_report_2(state: Mapping[str, Any]) -> State:
    """Version 2: an issued report names what drew its file (``reports.renderers``: the
    release, a digest of its templates, code, catalogue and fonts, and the libraries that
    set the text); one issued before does not say (null)."""
    return {**state, "renderer": None}


DAILY_REPORT = StateKind(
    "daily_report",
    (
        Version(1, _DAILY_REPORT_1),
        Version(
            2, (*_DAILY_REPORT_1, Field("renderer", Type.JSON, optional=True)), _daily_report_2
        ),
    ),
)

# an actor or a settlement joining or leaving a regime, recorded by a party
ACCESSION = StateKind(
    "accession",
    (
        Version(
            1,
            (
                text("regime_id"),
                text("actor_id", optional=True),
                text("place_id", optional=True),
                text("change"),
                Field("day", Type.DATE),
                text("channel"),
                text("evidence"),
                text("recorded_by"),
                time("created"),
            ),
        ),
    ),
)

# who holds which ground over a dated span, recorded by a party
CONTROL_AREA = StateKind(
    "control_area",
    (
        Version(
            1,
            (
                text("actor_id"),
                _GEOMETRY,
                Field("valid_from", Type.DATE),
                Field("valid_to", Type.DATE, optional=True),
                text("source"),
                text("note"),
                text("recorded_by"),
                time("created"),
            ),
        ),
    ),
)

# an analyst's word that a name as reports give it is this actor (or no actor of the register)
NAME_MAPPING = StateKind(
    "name_mapping",
    (
        Version(
            1,
            (text("name"), text("actor_id", optional=True), text("mapped_by"), time("created")),
        ),
    ),
)

# an analyst's word that two incidents correlation proposed as one event are two events
# (docs/correlation.md): the pair is not proposed again; scoped as the incidents are
CANDIDATE_REJECTION = StateKind(
    "candidate_rejection",
    (
        Version(
            1,
            (
                integer("incident_id"),
                integer("other_id"),
                number("score"),
                text("reasons"),
                text("agreement_id", optional=True),
                text("rejected_by"),
                time("created"),
            ),
        ),
    ),
    scope="agreement_id",
)
