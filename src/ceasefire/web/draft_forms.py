"""A kept draft as the report form shows it (``form_of``), and the form posted back as the
draft's body (``carried``): what the draft holds that the form does not show — a date
range, admin areas, a sub-event type, actors' roles, a time to the second — is kept as
long as the inputs it qualifies are as the draft opened, and listed on the page
(``extras``), so that opening a draft and keeping it again loses nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.taxonomy import check_event_type
from ceasefire.web.context import Page
from ceasefire.web.labels import label
from ceasefire.web.report_forms import BLANK

# inputs of the form -> the fields of the body they stand for, with what qualifies them
GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("date", "time", "fold", "agreement"), ("time", "date_start", "date_end", "time_precision")),
    (
        ("lat", "lon", "place", "location_precision"),
        ("lon", "lat", "place", "location_precision", "admin1", "admin2", "country"),
    ),
    (("event_type",), ("event_type", "sub_event_type")),
    (("agreement",), ("agreement",)),
)


def form_of(page: Page, body: Mapping[str, Any], zones: Mapping[str, str]) -> dict[str, str]:
    """The report form holding the draft ``body``: its time in its agreement's zone (the
    party's agreement when it names none, as filing it would choose)."""
    if "agreement" in body:
        agreement = str(body["agreement"] or "")
    else:
        agreement = page.agreements[0] if page.agreements else ""
    day, clock, fold = _when_of(body, zones.get(agreement, "UTC"))
    fatalities = body.get("fatalities") or {}
    return {
        **BLANK,
        "source": str(body.get("source", "")),
        "source_id": str(body.get("source_id", "")),
        "agreement": agreement,
        "date": day,
        "time": clock,
        "fold": fold,
        "lat": _text(body.get("lat")),
        "lon": _text(body.get("lon")),
        "place": str(body.get("place") or ""),
        "location_precision": str(body.get("location_precision") or "exact"),
        "event_type": _event_type(body.get("event_type")),
        "actors": "\n".join(str(a.get("name", "")) for a in body.get("actors") or []),
        "fatalities_low": _text(fatalities.get("low")),
        "fatalities_best": _text(fatalities.get("best")),
        "fatalities_high": _text(fatalities.get("high")),
        "narrative": str(body.get("narrative", "")),
        "citations": "\n".join(str(c) for c in body.get("citations") or []),
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _event_type(value: object) -> str:
    """The type as the form's choice spells it (the API takes any letter case)."""
    if not value:
        return ""
    try:
        canonical, _ = check_event_type(str(value), None)
    except InvalidInputError:
        return str(value)
    return canonical or ""


def _when_of(body: Mapping[str, Any], zone: str) -> tuple[str, str, str]:
    """(date, time, which of a repeated time) of the draft's time in ``zone``."""
    if body.get("time"):
        local = datetime.fromisoformat(str(body["time"])).astimezone(ZoneInfo(zone))
        clock = local.strftime("%H:%M:%S" if local.second else "%H:%M")
        naive = local.replace(tzinfo=None)
        first, second = (naive.replace(tzinfo=ZoneInfo(zone), fold=f) for f in (0, 1))
        fold = (
            "" if first.utcoffset() == second.utcoffset() else ("second" if local.fold else "first")
        )
        return local.date().isoformat(), clock, fold
    return str(body.get("date_start") or ""), "", ""


def carried(
    stored: Mapping[str, Any],
    opened: Mapping[str, str],
    posted: Mapping[str, str],
    body: dict[str, Any],
) -> dict[str, Any]:
    """``body`` (what the ``posted`` form describes) with the draft's own fields where the
    inputs that show them are as the draft ``opened``; each actor keeps its role."""
    out = dict(body)
    for inputs, fields in GROUPS:
        if all(posted.get(i, "") == opened.get(i, "") for i in inputs):
            for field in fields:
                if field in stored:
                    out[field] = stored[field]
                else:
                    out.pop(field, None)
    roles = {a.get("name"): a.get("role", "actor") for a in stored.get("actors") or []}
    out["actors"] = [{**a, "role": roles.get(a["name"], "actor")} for a in out.get("actors", [])]
    return out


def _date(page: Page, value: object) -> str:
    try:
        return page.language.date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def extras(page: Page, body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the draft holds that the form does not show, as (what, value)."""
    found: list[tuple[str, object]] = []
    if body.get("date_end") not in (None, body.get("date_start")):
        found.append((page._("Last date"), _date(page, body["date_end"])))
    precision = body.get("time_precision")
    if precision not in (None, "day", "exact") and not body.get("time"):
        found.append((page._("Time known"), label(page.language, "time_precision", str(precision))))
    for field, what in (
        ("sub_event_type", page._("Sub-event type")),
        ("admin1", page._("First-level area")),
        ("admin2", page._("Second-level area")),
        ("country", page._("Country")),
    ):
        if body.get(field):
            found.append((what, body[field]))
    actors = body.get("actors") or []
    roles = [f"{a.get('name')}: {a.get('role')}" for a in actors if a.get("role") != "actor"]
    if roles:
        found.append((page._("Actors' roles"), "; ".join(roles)))
    return [(what, str(value)) for what, value in found]
