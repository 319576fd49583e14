"""The words the workspace shows for the domain's codes (classifications, findings, roles,
precisions, event types...), marked for translation here once: templates and scripts get
them translated into the reader's language."""

from __future__ import annotations

from ceasefire.domain.words import (
    CLASSIFICATION,
    EVENT_TYPE,
    JOINT,
    MEASURE_KIND,
    MEASURE_STATUS,
    N_,
    ROLE,
)
from ceasefire.web.i18n import Language

FINDING = {
    "violation": N_("Violation"),
    "no_violation": N_("No violation"),
    "insufficient_information": N_("Insufficient information"),
}
CONFIDENCE = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}
TIME_PRECISION = {
    "exact": N_("exact time"),
    "day": N_("to the day"),
    "week": N_("to the week"),
    "month": N_("to the month"),
    "year": N_("to the year"),
}
LOCATION_PRECISION = {
    "exact": N_("exact point"),
    "settlement": N_("a settlement"),
    "near": N_("near a place"),
    "adm2": N_("district"),
    "adm1": N_("province"),
    "region": N_("region"),
    "country": N_("country"),
    "water": N_("over water"),
}
REGIME_STATE = {
    "not_started": N_("Not yet started"),
    "in_force": N_("In force"),
    "expired": N_("Expired"),
    "extended": N_("In force, extended"),
    "ended": N_("Ended early"),
}
LAYER = {
    "regimes": N_("Regimes"),
    "restrictions": N_("Monitors denied access"),
    "accessions": N_("Settlements that joined"),
    "control": N_("Areas of control"),
    "humanitarian": N_("Humanitarian access"),
    "incidents": N_("Incidents"),
}
HUMANITARIAN_STATUS = {
    "besieged": N_("Besieged"),
    "hard_to_reach": N_("Hard to reach"),
    "accessible": N_("Accessible"),
}
DESIGNATION_LEVEL = {
    "unanimous": N_("Unanimous"),
    "majority": N_("Majority"),
    "some": N_("Some members"),
    "disputed": N_("Disputed"),
    "none": N_("Listed by none"),
}
# how a group's place in a designation list moved (domain.list_changes.Change)
DESIGNATION_CHANGE = {
    "added": N_("Added"),
    "removed": N_("Removed"),
    "moved": N_("Level moved"),
    "held": N_("Level held"),
}
# a member's position on a group, and its silence (as a state: "us: silent → listed")
DESIGNATION_POSITION = {
    "listed": N_("listed"),
    "not_listed": N_("not listed"),
    "silent": N_("silent"),
}
LIST_RULE = {
    "unanimous": N_("every member lists it"),
    "majority": N_("more than half the members list it"),
    "any": N_("any member lists it"),
    "un_listed": N_("on the UN list"),
}
RELATION = {
    "part_of": N_("part of"),
    "offshoot_of": N_("offshoot of"),
    "allied_with": N_("allied with"),
    "renamed_to": N_("renamed to"),
}
REQUEST_KIND = {"convoy": N_("convoy"), "corridor": N_("corridor")}
ACCESSION_CHANGE = {"joined": N_("joined"), "left": N_("left")}
GROUPS = {
    "classification": CLASSIFICATION,
    "joint": JOINT,
    "finding": FINDING,
    "confidence": CONFIDENCE,
    "role": ROLE,
    "time_precision": TIME_PRECISION,
    "location_precision": LOCATION_PRECISION,
    "event_type": EVENT_TYPE,
    "measure_status": MEASURE_STATUS,
    "measure_kind": MEASURE_KIND,
    "regime_state": REGIME_STATE,
    "layer": LAYER,
    "humanitarian_status": HUMANITARIAN_STATUS,
    "designation_level": DESIGNATION_LEVEL,
    "designation_change": DESIGNATION_CHANGE,
    "designation_position": DESIGNATION_POSITION,
    "list_rule": LIST_RULE,
    "relation": RELATION,
    "accession_change": ACCESSION_CHANGE,
    "request_kind": REQUEST_KIND,
}


def label(language: Language, group: str, code: str | None) -> str:
    """The word for a code, translated (an unknown code is shown as it is: it is data)."""
    if code is None:
        return ""
    found = GROUPS[group].get(code)
    return code if found is None else language.gettext(found)


def translated(language: Language) -> dict[str, dict[str, str]]:
    """Every group of labels in the reader's language, for the page's scripts."""
    return {
        group: {code: language.gettext(text) for code, text in labels.items()}
        for group, labels in GROUPS.items()
    }


# the reason of an incident no regime's area reaches (domain.verdicts.NO_REGIME_REASON)
REASON_NO_REGIME = N_("not inside the area of any regime")
