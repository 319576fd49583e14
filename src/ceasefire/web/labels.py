"""The words the workspace shows for the domain's codes (classifications, findings, roles,
precisions, event types...), marked for translation here once: templates and scripts get
them translated into the reader's language."""

from __future__ import annotations

from ceasefire.web.i18n import Language


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where shown."""
    return message


CLASSIFICATION = {
    "potential_violation": N_("Potential violation"),
    "excluded_actor": N_("Excluded actor"),
    "outside_regime": N_("Outside any regime"),
    "undetermined": N_("Undetermined"),
}
JOINT = {
    "none": N_("Not assessed"),
    "pending": N_("Awaiting a co-chair"),
    "disputed": N_("Disputed"),
    "violation": N_("Agreed: violation"),
    "no_violation": N_("Agreed: no violation"),
    "insufficient_information": N_("Agreed: insufficient information"),
}
FINDING = {
    "violation": N_("Violation"),
    "no_violation": N_("No violation"),
    "insufficient_information": N_("Insufficient information"),
}
CONFIDENCE = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}
ROLE = {
    "observer": N_("observer"),
    "reporter": N_("reporter"),
    "analyst": N_("analyst"),
    "officer": N_("officer"),
    "admin": N_("admin"),
}
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
EVENT_TYPE = {
    "Battles": N_("Battles"),
    "Explosions/Remote violence": N_("Explosions/Remote violence"),
    "Violence against civilians": N_("Violence against civilians"),
    "Protests": N_("Protests"),
    "Riots": N_("Riots"),
    "Strategic developments": N_("Strategic developments"),
}
MEASURE_STATUS = {
    "proposed": N_("proposed"),
    "agreed": N_("agreed"),
    "done": N_("done"),
    "withdrawn": N_("withdrawn"),
}
MEASURE_KIND = {
    "communication": N_("Communication to a party"),
    "demarche": N_("Joint démarche"),
    "referral": N_("Referral to ministers"),
}
REGIME_STATE = {
    "not_started": N_("Not yet started"),
    "in_force": N_("In force"),
    "expired": N_("Expired"),
    "extended": N_("In force, extended"),
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
