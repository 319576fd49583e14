"""ACLED's event and sub-event types, and how UCDP GED's type_of_violence maps onto them.

ACLED restructured its types in 2019; these are the current ones (ACLED codebook).
UCDP GED codes only the kind of organised violence, so its events map to the ACLED type
that carries the same meaning, and keep ``type_of_violence`` in their attributes:

=====================  ==============================  =========================
UCDP type_of_violence  meaning                         ACLED event / sub-event
=====================  ==============================  =========================
1                      state-based conflict            Battles / Armed clash
2                      non-state conflict              Battles / Armed clash
3                      one-sided violence              Violence against civilians / Attack
=====================  ==============================  =========================
"""

from __future__ import annotations

from ceasefire.domain.errors import InvalidInputError

ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

UCDP_TYPE_OF_VIOLENCE: dict[int, tuple[str, str, str]] = {
    1: ("state-based conflict", "Battles", "Armed clash"),
    2: ("non-state conflict", "Battles", "Armed clash"),
    3: ("one-sided violence", "Violence against civilians", "Attack"),
}

_TYPES_BY_KEY = {t.casefold(): t for t in ACLED_EVENT_TYPES}
_SUBTYPES_BY_KEY = {
    (t.casefold(), s.casefold()): (t, s) for t, subs in ACLED_EVENT_TYPES.items() for s in subs
}


# The event types an agreement prohibits as hostilities unless it says otherwise: ACLED's
# "political violence" types. Protests, riots and strategic developments (arrests,
# agreements, bases set up, territory handed over without a fight) break no ceasefire.
HOSTILITIES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
)


def check_hostilities(types: tuple[str, ...], field: str = "hostilities") -> tuple[str, ...]:
    """The canonical spellings of the ACLED event types an agreement prohibits, sorted, each
    once; raises naming the item that is not an event type."""
    if not types:
        raise InvalidInputError(field, "an agreement prohibits at least one event type")
    found: set[str] = set()
    for i, name in enumerate(types):
        canonical = _TYPES_BY_KEY.get(name.strip().casefold())
        if canonical is None:
            known = ", ".join(ACLED_EVENT_TYPES)
            raise InvalidInputError(
                f"{field}[{i}]", f"{name!r} is not an ACLED event type ({known})"
            )
        found.add(canonical)
    return tuple(sorted(found))


def check_event_type(
    event_type: str | None, sub_event_type: str | None, field: str = "event_type"
) -> tuple[str | None, str | None]:
    """Return the canonical spelling of an ACLED type pair, or raise naming the bad value."""
    if event_type is None or not event_type.strip():
        if sub_event_type:
            raise InvalidInputError(field, f"sub-event type {sub_event_type!r} needs an event type")
        return None, None
    canonical = _TYPES_BY_KEY.get(event_type.strip().casefold())
    if canonical is None:
        known = ", ".join(ACLED_EVENT_TYPES)
        raise InvalidInputError(field, f"{event_type!r} is not an ACLED event type ({known})")
    if sub_event_type is None or not sub_event_type.strip():
        return canonical, None
    pair = _SUBTYPES_BY_KEY.get((canonical.casefold(), sub_event_type.strip().casefold()))
    if pair is None:
        known = ", ".join(ACLED_EVENT_TYPES[canonical])
        raise InvalidInputError(
            "sub_event_type", f"{sub_event_type!r} is not a sub-event type of {canonical} ({known})"
        )
    return pair


def ucdp_event_type(type_of_violence: int) -> tuple[str, str]:
    """The ACLED event and sub-event type for a UCDP type_of_violence code."""
    try:
        _, event_type, sub_event_type = UCDP_TYPE_OF_VIOLENCE[type_of_violence]
    except KeyError:
        raise InvalidInputError(
            "type_of_violence", f"{type_of_violence} is not 1, 2 or 3"
        ) from None
    return event_type, sub_event_type
