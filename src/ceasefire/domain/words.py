"""The words shown for the domain's codes that both the workspace and the daily report
show (classifications, joint findings, event types, measures), marked for translation here
once; each translates them into its reader's language where it shows them."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where shown."""
    return message


class Term(str):
    """A value put into a catalogue message (an error's ``values``) that is itself a
    catalogue word, such as a role's name: translated with the message where it is shown."""

    __slots__ = ()


CLASSIFICATION = {
    "potential_violation": N_("Potential violation"),
    "excluded_actor": N_("Excluded actor"),
    "outside_regime": N_("Outside any regime"),
    "undetermined": N_("Undetermined"),
    "not_covered": N_("Not a prohibited hostility"),
}
JOINT = {
    "none": N_("Not assessed"),
    "pending": N_("Awaiting a co-chair"),
    "disputed": N_("Disputed"),
    "violation": N_("Agreed: violation"),
    "no_violation": N_("Agreed: no violation"),
    "insufficient_information": N_("Agreed: insufficient information"),
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
ROLE = {  # a role's name (domain.workflow.Role.label)
    "observer": N_("observer"),
    "reporter": N_("reporter"),
    "analyst": N_("analyst"),
    "officer": N_("officer"),
    "admin": N_("admin"),
}
MEASURE_KIND = {
    "communication": N_("Communication to a party"),
    "demarche": N_("Joint démarche"),
    "referral": N_("Referral to ministers"),
}
