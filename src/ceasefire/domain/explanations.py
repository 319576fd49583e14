"""The sentences that say why a regime bears on an incident the way it does."""

from __future__ import annotations

from ceasefire.domain.events import EventLocation, EventTime
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.times import zone, zone_label
from ceasefire.domain.verdicts import Space, Subject, Terms, Timing, Verdict


def explain(subject: Subject, regime: Terms, verdict: Verdict, space: Space, timing: Timing) -> str:
    """The sentence that says why a regime bears on an incident the way it does."""
    when = _describe_time(subject.time, regime.time_zone)
    name, span = f"'{regime.name}'", _describe_window(regime)
    if verdict is Verdict.OUTSIDE:
        side = "before" if timing is Timing.BEFORE else "after"
        return f"{when}, {side} {name} {span}"
    if verdict is Verdict.EXCLUDED:
        excluded = sorted(subject.actor_ids & regime.excluded_actor_ids)
        names = dict(subject.actor_names)
        who = ", ".join(names.get(a, a) for a in excluded)
        place = _describe_place(subject.location)
        where = "inside " if space is Space.INSIDE else f"{place}, near "
        verb = "is" if len(excluded) == 1 else "are"
        return f"{when}, {where}{name} {span}, but {who} {verb} excluded from it"
    if verdict is Verdict.UNCERTAIN:
        doubts = []
        if timing is Timing.START_DAY:
            doubts.append(f"{name} starts within that {subject.time.precision}")
        if timing is Timing.END_DAY:
            doubts.append(f"{name} ends within that {subject.time.precision}")
        if space is Space.EDGE:
            doubts.append(f"the area it may lie in straddles the boundary of {name}")
        since = " and ".join(doubts)
        return f"{when}, {_describe_place(subject.location)}: undetermined, since {since} {span}"
    return f"{when}, inside {name} {span}, no excluded actor"


def _describe_time(value: EventTime, time_zone: str) -> str:
    if value.is_exact:
        local = value.start.astimezone(zone(time_zone))
        return f"{local:%Y-%m-%d %H:%M} {zone_label(time_zone)}"
    if value.precision is TimePrecision.DAY and value.first_date == value.last_date:
        return f"{value.first_date.isoformat()} (known to the day)"
    span = f"{value.first_date.isoformat()} to {value.last_date.isoformat()}"
    return f"{span} (known to the {value.precision})"


def _describe_window(regime: Terms) -> str:
    tz = zone(regime.time_zone)
    start = f"{regime.start.astimezone(tz):%Y-%m-%d %H:%M}"
    end = regime.effective_end
    if end is None:
        return f"(from {start})"
    return f"(from {start} to {end.astimezone(tz):%Y-%m-%d %H:%M} {zone_label(regime.time_zone)})"


def _describe_place(location: EventLocation) -> str:
    if location.precision is LocationPrecision.EXACT:
        return "at its reported point"
    named = location.admin1 if location.precision is LocationPrecision.ADM1 else location.place
    named = named or location.place or location.admin1
    label = f" {named}" if named else ""
    return f"located only to{label} ({location.precision})"
