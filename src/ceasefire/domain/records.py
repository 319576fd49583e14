"""The shared record kinds and their states, version by version (``domain.states``).

Version 0 of each kind is what release 0.1.0 wrote: every column of its table row but the
key, child rows as lists of objects, untagged. Version 1 is the first declared state: the
same facts, without what is storage (the search keys of aliases, which are derived from
the alias), with geometries as GeoJSON objects rather than text, and exclusions and
aliases as sorted lists of names. A new kind starts at version 1 with no version 0.

To change a kind's state: add a version with its fields and an ``upgrade`` that makes it
from the version before, a pure function of that state (a new fact gets a declared
default, and the release writes ordinary signed updates where the default is not true).
``ceasefire init`` then writes a ``<kind>.migrated`` entry for each record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ceasefire.domain.new_records import (
    ACCESSION,
    CANDIDATE_REJECTION,
    CONTROL_AREA,
    DAILY_REPORT,
    DESIGNATION,
    DESIGNATION_LIST,
    HUMANITARIAN_DELIVERY,
    HUMANITARIAN_LOCATION,
    HUMANITARIAN_REQUEST,
    NAME_MAPPING,
)
from ceasefire.domain.states import (
    Field,
    State,
    StateKind,
    Type,
    Version,
    integer,
    items,
    number,
    ordered,
    text,
    time,
    unordered,
)
from ceasefire.domain.taxonomy import HOSTILITIES

# --- release 0.1.0's states (version 0) ------------------------------------------------

_ALIASES_0 = items("aliases", [text("alias"), text("key")], order=())

_PARTY = (text("name"), text("kind"))
_KEY = (text("name"), text("public_key"), time("created"), time("revoked", optional=True))
_ACTOR_0 = (text("name"), text("kind", optional=True), text("parent_id", optional=True))
_PLACE_0 = (
    text("name"),
    text("level"),
    text("country", optional=True),
    text("code", optional=True),
)
_AGREEMENT = (
    text("name"),
    text("time_zone"),
    time("signed", optional=True),
    text("description"),
    text("source"),
    items("parties", [text("party_id"), text("role")], order=["party_id"]),
)
_EXTENSIONS = items(
    "extensions",
    [
        integer("seq"),
        time("new_end", optional=True),
        time("decided", optional=True),
        text("note"),
    ],
    order=["seq"],
)
_REGIME_0 = (
    text("agreement_id"),
    text("name"),
    time("start"),
    time("end", optional=True),
    text("area_name", optional=True),
    text("description"),
    _EXTENSIONS,
)
_REPORT = (
    text("source"),
    text("source_id"),
    integer("incident_id"),
    time("time_start"),
    time("time_end"),
    text("time_precision"),
    text("time_precision_code", optional=True),
    number("lon"),
    number("lat"),
    text("location_precision"),
    text("location_precision_code", optional=True),
    text("place", optional=True),
    text("admin1", optional=True),
    text("admin2", optional=True),
    text("country", optional=True),
    text("event_type", optional=True),
    text("sub_event_type", optional=True),
    integer("fatalities_low", optional=True),
    integer("fatalities_best", optional=True),
    integer("fatalities_high", optional=True),
    text("narrative"),
    Field("citations", Type.JSON),
    Field("attributes", Type.JSON),
    Field("actors", Type.JSON),  # [{"name", "role", "actor_id"}] as the report names them
    text("agreement_id", optional=True),
)
_ASSESSMENT = (
    integer("incident_id"),
    text("agreement_id"),
    text("party_id"),
    text("finding"),
    text("attributed_actor_id", optional=True),
    text("confidence"),
    text("reasoning"),
    text("assessed_by"),
    time("created"),
)
_COMMENTS = items(
    "comments",
    [text("party_id"), text("author"), text("text"), time("created")],
    order=["created"],
)
_MEASURE = (
    integer("incident_id"),
    text("agreement_id"),
    text("kind"),
    text("description"),
    text("owner_party"),
    Field("due", Type.DATE, optional=True),
    text("status"),
    text("proposed_by"),
    time("created"),
    _COMMENTS,
)
_RESTRICTION = (
    text("reported_by"),
    text("patrol"),
    time("time"),
    number("lon"),
    number("lat"),
    text("place", optional=True),
    text("denied_by"),
    text("actor_id", optional=True),
    text("reason"),
    integer("duration_minutes", optional=True),
    time("created"),
    text("agreement_id", optional=True),
)

# --- upgrades to version 1 -------------------------------------------------------------


def _same(fields: tuple[Field, ...]) -> Version:
    """Version 1 with the fields of version 0, lists in their declared order."""

    def upgrade(state: Mapping[str, Any]) -> State:
        new = dict(state)
        for f in fields:
            if f.type is Type.ITEMS:
                new[f.name] = ordered(f, new[f.name])
        return new

    return Version(1, fields, upgrade)


def _both(fields: tuple[Field, ...]) -> tuple[Version, Version]:
    """Release 0.1.0's version and version 1, of the same fields."""
    return Version(0, unordered(fields)), _same(fields)


def _names(state: Mapping[str, Any], field: str, column: str) -> list[str]:
    return sorted(str(item[column]) for item in state[field])


def _actor_1(state: Mapping[str, Any]) -> State:
    return {**state, "aliases": _names(state, "aliases", "alias")}


_REFERENCES = items("references", [text("system"), text("name")], order=["system", "name"])
_AFFILIATIONS = items(
    "affiliations",
    [
        text("relation"),
        text("related_id"),
        Field("since", Type.DATE, optional=True),
        Field("until", Type.DATE, optional=True),
    ],
    order=["relation", "related_id", "since"],
)
_ACTOR_2 = (
    text("name"),
    text("kind", optional=True),
    Field("aliases", Type.TEXTS),
    text("un_reference", optional=True),
    Field("un_listed_on", Type.DATE, optional=True),
    _REFERENCES,
    _AFFILIATIONS,
)


def _actor_2(state: Mapping[str, Any]) -> State:
    """Version 2: the parent becomes a ``part_of`` affiliation (undated); no UN reference
    and no external names yet (the release adds them with ordinary signed updates)."""
    parent = state["parent_id"]
    affiliations = (
        []
        if parent is None
        else [{"relation": "part_of", "related_id": parent, "since": None, "until": None}]
    )
    return {
        "name": state["name"],
        "kind": state["kind"],
        "aliases": state["aliases"],
        "un_reference": None,
        "un_listed_on": None,
        "references": [],
        "affiliations": affiliations,
    }


def _place_1(state: Mapping[str, Any]) -> State:
    new = {k: v for k, v in state.items() if k != "geojson"}
    new["geometry"] = json.loads(state["geojson"])
    new["aliases"] = _names(state, "aliases", "alias")
    return new


def _regime_1(state: Mapping[str, Any]) -> State:
    new = {k: v for k, v in state.items() if k not in ("geojson", "exclusions")}
    new["geometry"] = json.loads(state["geojson"])
    new["excluded_actor_ids"] = _names(state, "exclusions", "actor_id")
    new["extensions"] = ordered(_EXTENSIONS, state["extensions"])
    return new


def _report_1(state: Mapping[str, Any]) -> State:
    """Fatalities are always low <= best <= high: a range release 0.1.0 kept out of order is
    widened to hold every figure, the figures as given kept in the attribute
    ``fatalities_as_given`` (as importers do since; frozen here, whatever they do later)."""
    names = ("fatalities_low", "fatalities_best", "fatalities_high")
    low, best, high = (state[n] for n in names)
    known = [v for v in (low, best, high) if v is not None]
    widened = (None if low is None else min(known), best, None if high is None else max(known))
    if widened == (low, best, high):
        return dict(state)
    figures = (("low", low), ("best", best), ("high", high))
    given = ", ".join(f"{name} {value}" for name, value in figures if value is not None)
    attributes = {**state["attributes"], "fatalities_as_given": given}
    return {**state, **dict(zip(names, widened, strict=True)), "attributes": attributes}


_GEOMETRY = Field("geometry", Type.GEOMETRY)
_ALIASES = Field("aliases", Type.TEXTS)
_REGIME_1 = (*_REGIME_0, _GEOMETRY, Field("excluded_actor_ids", Type.TEXTS))
_REGIME_2 = (
    *_REGIME_1,
    text("exclusion_list", optional=True),
    text("exclusion_rule", optional=True),
    Field("exclusion_follows", Type.TEXTS),
)


def _regime_2(state: Mapping[str, Any]) -> State:
    """Version 2: a regime may also exclude by a designation list and follow affiliations;
    one written before excludes only the actors it names."""
    return {**state, "exclusion_list": None, "exclusion_rule": None, "exclusion_follows": []}


_HOSTILITIES = Field("hostilities", Type.TEXTS)


def _agreement_2(state: Mapping[str, Any]) -> State:
    """Version 2: an agreement names the event types it prohibits; one written before
    prohibits the default ones (``domain.taxonomy.HOSTILITIES``)."""
    return {**state, "hostilities": list(HOSTILITIES)}


PARTY = StateKind("party", _both(_PARTY))
KEY = StateKind("key", _both(_KEY))
ACTOR = StateKind(
    "actor",
    (
        Version(0, (*_ACTOR_0, _ALIASES_0)),
        Version(1, (*_ACTOR_0, _ALIASES), _actor_1),
        Version(2, _ACTOR_2, _actor_2),
    ),
)
PLACE = StateKind(
    "place",
    (
        Version(0, (*_PLACE_0, text("geojson"), _ALIASES_0)),
        Version(1, (*_PLACE_0, _GEOMETRY, _ALIASES), _place_1),
    ),
)
AGREEMENT = StateKind(
    "agreement",
    (*_both(_AGREEMENT), Version(2, (*_AGREEMENT, _HOSTILITIES), _agreement_2)),
)
REGIME = StateKind(
    "regime",
    (
        Version(
            0,
            unordered(
                (*_REGIME_0, text("geojson"), items("exclusions", [text("actor_id")], ["actor_id"]))
            ),
        ),
        Version(1, _REGIME_1, _regime_1),
        Version(2, _REGIME_2, _regime_2),
    ),
)
# records an agreement's parties alone read: reports and restrictions filed under it
# (null: open), and every assessment and measure
REPORT = StateKind(
    "report", (Version(0, _REPORT), Version(1, _REPORT, _report_1)), scope="agreement_id"
)
# each revision of a finding is a record of its own: the history stays
ASSESSMENT = StateKind("assessment", _both(_ASSESSMENT), scope="agreement_id")
MEASURE = StateKind("measure", _both(_MEASURE), scope="agreement_id")
RESTRICTION = StateKind("restriction", _both(_RESTRICTION), scope="agreement_id")
# the kinds new since release 0.1.0 (each starts at version 1) are declared in
# ``domain.new_records``; every kind, by name:
KINDS: dict[str, StateKind] = {
    k.name: k
    for k in (
        PARTY,
        KEY,
        ACTOR,
        PLACE,
        AGREEMENT,
        REGIME,
        REPORT,
        ASSESSMENT,
        MEASURE,
        RESTRICTION,
        DESIGNATION_LIST,
        DESIGNATION,
        ACCESSION,
        CONTROL_AREA,
        NAME_MAPPING,
        HUMANITARIAN_LOCATION,
        HUMANITARIAN_REQUEST,
        HUMANITARIAN_DELIVERY,
        DAILY_REPORT,
        CANDIDATE_REJECTION,
    )
}
