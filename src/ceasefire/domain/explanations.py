"""The sentences that say why a regime bears on an incident the way it does.

Written in English unless a ``gettext`` is given: the workspace passes the reader's
catalogue, so that the same rules write the reasons in Russian or Arabic (every sentence
is one message with named placeholders, extracted into the catalogues).
"""

from __future__ import annotations

from collections.abc import Callable

from ceasefire.domain.control import ControlArea
from ceasefire.domain.events import EventLocation, EventTime
from ceasefire.domain.exclusions import Ground
from ceasefire.domain.precision import UNCERTAINTY_RADIUS_M, LocationPrecision, TimePrecision
from ceasefire.domain.times import zone
from ceasefire.domain.verdicts import Space, Subject, Terms, Timing, Verdict
from ceasefire.domain.words import N_

Gettext = Callable[[str], str]


def _same(message: str) -> str:
    return message


# precisions as the sentences name them
PRECISION_WORDS = {
    "exact": N_("exact"),
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "year": N_("year"),
    "settlement": N_("settlement"),
    "near": N_("near"),
    "adm2": N_("adm2"),
    "adm1": N_("adm1"),
    "region": N_("region"),
    "country": N_("country"),
    "water": N_("water"),
}


def explain(
    subject: Subject,
    regime: Terms,
    verdict: Verdict,
    space: Space,
    timing: Timing,
    gettext: Gettext = _same,
    city: Callable[[str], str] | None = None,
) -> str:
    """The sentence that says why a regime bears on an incident the way it does, and who
    involved in it had joined the regime by then. ``city``: a time zone's city in the
    reader's language ('Europe/Kyiv' -> 'Киев'); by default as its IANA name writes it."""
    sentence = _explain(subject, regime, verdict, space, timing, gettext, city)
    if verdict is Verdict.OUTSIDE:
        return sentence
    joined = regime.accessions.joined(
        subject.actor_ids, subject.location.lon, subject.location.lat, subject.time.start.date()
    )
    _ = gettext
    notes = [
        _("%(who)s had joined it on %(date)s (%(channel)s)")
        % {"who": who, "date": a.day.isoformat(), "channel": a.channel}
        for who, a in joined
    ]
    day = subject.time.start.date()
    if subject.attributed is not None:
        who = dict(subject.actor_names).get(subject.attributed, subject.attributed)
        notes.insert(0, _("the co-chairs' joint finding attributes it to %(who)s") % {"who": who})
    elif verdict in (Verdict.COVERED, Verdict.UNCERTAIN) and claims_exclude(regime, subject)[1]:
        names = dict(subject.actor_names)
        claims = "; ".join(
            f"{source}: " + ", ".join(names.get(a, a) for a in sorted(ids))
            for source, ids in sorted(subject.claimed(), key=lambda c: c[0])
        )
        notes.insert(
            0,
            _("attribution disputed, each source's claim of who was involved: %(claims)s")
            % {"claims": claims},
        )
    area = regime.control.holder(subject.location.lon, subject.location.lat, day)
    if area is not None:
        values = {
            "who": regime.control.name(area.actor_id),
            "date": area.valid_from.isoformat(),
            "source": area.source,
        }
        if area.source and len(area.source) <= 80:
            notes.insert(0, _("in an area held by %(who)s from %(date)s (%(source)s)") % values)
        else:
            notes.insert(0, _("in an area held by %(who)s from %(date)s") % values)
    return "; ".join([sentence, *notes])


def _explain(
    subject: Subject,
    regime: Terms,
    verdict: Verdict,
    space: Space,
    timing: Timing,
    gettext: Gettext,
    city: Callable[[str], str] | None = None,
) -> str:
    _ = gettext
    when = _describe_time(subject.time, regime.time_zone, _, city)
    span = _describe_window(regime, _, city)
    values = {"when": when, "regime": f"'{regime.name}'", "span": span}
    if verdict is Verdict.OUTSIDE:
        if timing is Timing.BEFORE:
            return _("%(when)s, before %(regime)s %(span)s") % values
        return _("%(when)s, after %(regime)s %(span)s") % values
    if verdict is Verdict.NOT_COVERED:
        values["type"] = _(str(subject.event_type))  # not covered: it has a type
        values["place"] = _describe_place(subject.location, _, subject.within)
        values["prohibited"] = ", ".join(_(t) for t in sorted(regime.hostilities))
        return (
            _(
                "%(when)s, %(place)s: %(type)s, which %(regime)s %(span)s does not cover "
                "(its agreement prohibits %(prohibited)s)"
            )
            % values
        )
    if verdict is Verdict.EXCLUDED:
        involved = frozenset().union(*(ids for _, ids in subject.claimed()))
        excluded = regime.excludes.excluded(involved, subject.time.start.date())
        names = dict(subject.actor_names)
        values["who"] = ", ".join(_describe_ground(a, g, names, _) for a, g in excluded)
        held = None if excluded else held_by_excluded(regime, subject)
        if held is not None:  # excluded by territory: the area it lies in
            values["who"] = _("the area it lies in, held by %(holder)s,") % {
                "holder": regime.control.name(held.actor_id)
            }
            excluded = [(held.actor_id, Ground("territory"))]
        values["place"] = _describe_place(subject.location, _, subject.within)
        one = len(excluded) == 1
        if space is Space.INSIDE:
            if one:
                return (
                    _("%(when)s, inside %(regime)s %(span)s, but %(who)s is excluded from it")
                    % values
                )
            return (
                _("%(when)s, inside %(regime)s %(span)s, but %(who)s are excluded from it") % values
            )
        if one:
            return (
                _("%(when)s, %(place)s, near %(regime)s %(span)s, but %(who)s is excluded from it")
                % values
            )
        return (
            _("%(when)s, %(place)s, near %(regime)s %(span)s, but %(who)s are excluded from it")
            % values
        )
    if verdict is Verdict.UNCERTAIN:
        precision = _(PRECISION_WORDS[subject.time.precision.value])
        doubts = []
        if timing is Timing.START_DAY:
            doubts.append(
                _("%(regime)s starts within that %(precision)s")
                % {"regime": values["regime"], "precision": precision}
            )
        if timing is Timing.END_DAY:
            doubts.append(
                _("%(regime)s ends within that %(precision)s")
                % {"regime": values["regime"], "precision": precision}
            )
        if space is Space.EDGE:
            doubts.append(
                _("the area it may lie in straddles the boundary of %(regime)s")
                % {"regime": values["regime"]}
            )
        values["doubts"] = _(" and ").join(doubts)
        values["place"] = _describe_place(subject.location, _, subject.within)
        return _("%(when)s, %(place)s: undetermined, since %(doubts)s %(span)s") % values
    if subject.location.precision is not LocationPrecision.EXACT:
        values["place"] = _describe_place(subject.location, _, subject.within)
        return _("%(when)s, %(place)s, inside %(regime)s %(span)s, no excluded actor") % values
    return _("%(when)s, inside %(regime)s %(span)s, no excluded actor") % values


RELATION_WORDS = {
    "part_of": N_("part of"),
    "offshoot_of": N_("an offshoot of"),
    "allied_with": N_("allied with"),
    "renamed_to": N_("the same group as"),
}
RULE_WORDS = {
    "unanimous": N_("every member lists it"),
    "majority": N_("a majority of its members list it"),
    "any": N_("a member lists it"),
    "un_listed": N_("it is on the UN list"),
}


def _describe_ground(actor_id: str, ground: Ground, names: dict[str, str], _: Gettext) -> str:
    """An excluded actor, and why where it is not named by the regime itself."""
    name = names.get(actor_id, actor_id)
    if ground.kind == "listed" and ground.rule is not None:
        return _("%(actor)s (on %(list)s: %(rule)s)") % {
            "actor": name,
            "list": ground.list_name or "",
            "rule": _(RULE_WORDS[ground.rule]),
        }
    if ground.kind == "connected" and ground.via is not None and ground.relation:
        return _("%(actor)s (%(relation)s %(via)s)") % {
            "actor": name,
            "relation": _(RELATION_WORDS[ground.relation]),
            "via": ground.via_name or names.get(ground.via, ground.via),
        }
    return name


def zone_name(name: str, _: Gettext, city: Callable[[str], str] | None = None) -> str:
    """'Asia/Damascus' -> 'Damascus time' (``city``: the zone's city in the reader's
    language; by default as its IANA name writes it)."""
    named = city(name) if city else name.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": named}


def _describe_time(
    value: EventTime, time_zone: str, _: Gettext, city: Callable[[str], str] | None
) -> str:
    if value.is_exact:
        local = value.start.astimezone(zone(time_zone))
        return f"{local:%Y-%m-%d %H:%M} {zone_name(time_zone, _, city)}"
    if value.precision is TimePrecision.DAY and value.first_date == value.last_date:
        return _("%(date)s (known to the day)") % {"date": value.first_date.isoformat()}
    return _("%(first)s to %(last)s (known to the %(precision)s)") % {
        "first": value.first_date.isoformat(),
        "last": value.last_date.isoformat(),
        "precision": _(PRECISION_WORDS[value.precision.value]),
    }


def _describe_window(regime: Terms, _: Gettext, city: Callable[[str], str] | None) -> str:
    tz = zone(regime.time_zone)
    start = f"{regime.start.astimezone(tz):%Y-%m-%d %H:%M}"
    end = regime.effective_end
    if end is None:
        return _("(from %(start)s)") % {"start": start}
    return _("(from %(start)s to %(end)s %(zone)s)") % {
        "start": start,
        "end": f"{end.astimezone(tz):%Y-%m-%d %H:%M}",
        "zone": zone_name(regime.time_zone, _, city),
    }


def _describe_place(location: EventLocation, _: Gettext, within: str | None = None) -> str:
    if location.precision is LocationPrecision.EXACT:
        return _("at its reported point")
    named = location.admin1 if location.precision is LocationPrecision.ADM1 else location.place
    named = named or location.place or location.admin1
    precision = _(PRECISION_WORDS[location.precision.value])
    if within:
        values = {
            "place": named or "",
            "precision": precision,
            "km": f"{UNCERTAINTY_RADIUS_M[location.precision] / 1000:g}",
            "unit": within,
        }
        if not named:
            return _("located only to (%(precision)s, %(km)s km), within %(unit)s") % values
        return _("located only to %(place)s (%(precision)s, %(km)s km), within %(unit)s") % values
    if named:
        return _("located only to %(place)s (%(precision)s)") % {
            "place": named,
            "precision": precision,
        }
    return _("located only to (%(precision)s)") % {"precision": precision}


def claims_exclude(regime: Terms, subject: Subject) -> tuple[bool, bool]:
    """Whether the incident's sources agree that an actor the regime excludes was involved
    (each source that names anyone names one), and whether they disagree (some do, some
    name only actors it covers). One source's claim never decides a disputed attribution."""
    day = subject.time.start.date()
    flags = [bool(regime.excludes.excluded(ids, day)) for _, ids in subject.claimed()]
    agreed = bool(flags) and all(flags)
    return agreed, any(flags) and not agreed


def held_by_excluded(regime: Terms, subject: Subject) -> ControlArea | None:
    """The area of control the incident lies in on its day, when an actor the regime
    excludes held it then (a regime that follows territory excludes such incidents)."""
    day = subject.time.start.date()
    area = regime.control.holder(subject.location.lon, subject.location.lat, day)
    if area is None or not regime.excludes.excluded([area.actor_id], day):
        return None
    return area
