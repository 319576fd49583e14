"""`ceasefire humanitarian import|list|show|summary|record ...`: humanitarian access."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import database, day_of, handled, open_ledger, out, show_table
from ceasefire.domain.humanitarian import (
    Decision,
    Delivery,
    Location,
    LocationStatus,
    Request,
    RequestKind,
    StatusChange,
    choice,
)
from ceasefire.ingest.corridors import read_corridors
from ceasefire.services import humanitarian as service
from ceasefire.services.humanitarian_imports import import_corridors

humanitarian_app = typer.Typer(
    help="Humanitarian access: besieged and hard-to-reach locations, requests, decisions, "
    "deliveries.",
    no_args_is_help=True,
)
record_app = typer.Typer(
    help="Record a location, its status, a request, a decision or a delivery (signed by "
    "--party, default the host).",
    no_args_is_help=True,
)
humanitarian_app.add_typer(record_app, name="record")

Party = Annotated[str | None, typer.Option(help="The party that signs [default: the host].")]
Day = Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD.")]
Count = Annotated[int | None, typer.Option(help="A number, not negative.")]


def _day(text: str | None, field: str) -> date | None:
    return None if text is None else day_of(text, field)


def _day_required(text: str, field: str) -> date:
    return day_of(text, field)


def _status_text(change: StatusChange | None) -> str:
    return "" if change is None else f"{change.status.value} since {change.since.isoformat()}"


@humanitarian_app.command("import")
@handled
def import_file(
    file: Annotated[Path, typer.Argument(help="The PeaceRep humanitarian-corridor CSV.")],
    encoding: Annotated[str | None, typer.Option(help="The CSV's encoding.")] = None,
    party: Party = None,
) -> None:
    """Import the PeaceRep humanitarian-corridor file (Ukraine 2022): each proposed corridor
    a request from its origin, "successful" ones approved and delivered, every other outcome
    pending with the source's words kept (docs/humanitarian.md). Rows imported before are
    left as they are; a bad row stops the import, naming it."""
    corridors = read_corridors(file, encoding)
    done = import_corridors(open_ledger(), corridors, author=party)
    out.print(done.line(), highlight=False, markup=False)


@humanitarian_app.command("list")
@handled
def list_locations() -> None:
    """The locations with their latest status."""
    rows = [
        [x.id, x.name, f"{x.lat:.5f}, {x.lon:.5f}", _status_text(x.status_on())]
        for x in service.locations(database())
    ]
    show_table(["id", "name", "lat, lon", "status"], rows)


@humanitarian_app.command("show")
@handled
def show(location_id: Annotated[str, typer.Argument(help="The location.")]) -> None:
    """A location: its status history, requests (with decisions) and deliveries."""
    found = service.location_file(database(), location_id)
    where = found.location
    out.print(
        f"{where.name} ({where.id}): {where.lat:.5f}, {where.lon:.5f}",
        highlight=False,
        markup=False,
    )
    for s in where.statuses:
        line = f"  {s.since.isoformat()} {s.status.value} {s.source} {s.note}".rstrip()
        out.print(line, highlight=False, markup=False)
    rows = [
        [
            str(r.id),
            r.requested.isoformat(),
            r.kind.value,
            r.requested_by,
            r.decision.value,
            r.decided.isoformat() if r.decided else "",
            r.reason or (r.source_status or ""),
        ]
        for r in found.requests
    ]
    show_table(["request", "requested", "kind", "by", "decision", "decided", "reason"], rows)
    rows = [
        [
            str(d.id),
            str(d.request_id),
            d.delivered.isoformat(),
            "" if d.people_reached is None else str(d.people_reached),
            d.items,
        ]
        for d in found.deliveries
    ]
    show_table(["delivery", "request", "delivered", "people reached", "items"], rows)


@humanitarian_app.command("summary")
@handled
def summary(
    start: Annotated[str | None, typer.Option("--from", help="First day.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
) -> None:
    """Each location over the period: status at its end, requests approved, denied and
    pending, deliveries, people reached, the latest delivery."""
    found = service.summary(database(), start=_day(start, "--from"), end=_day(end, "--to"))
    if as_json:
        for x in found:
            row = {
                "location_id": x.location.id,
                "name": x.location.name,
                "status": x.status.status.value if x.status else None,
                "requests": x.requests,
                "approved": x.approved,
                "denied": x.denied,
                "pending": x.pending,
                "deliveries": x.deliveries,
                "people_reached": x.people_reached,
                "last_delivery": x.last_delivery.isoformat() if x.last_delivery else None,
            }
            print(json.dumps(row, ensure_ascii=False))
        return
    rows = [
        [
            x.location.id,
            _status_text(x.status),
            str(x.requests),
            str(x.approved),
            str(x.denied),
            str(x.pending),
            str(x.deliveries),
            str(x.people_reached),
            x.last_delivery.isoformat() if x.last_delivery else "",
        ]
        for x in found
    ]
    columns = ["location", "status", "requests", "approved", "denied", "pending"]
    show_table([*columns, "deliveries", "people reached", "last delivery"], rows)


@record_app.command("location")
@handled
def record_location(
    location_id: Annotated[str, typer.Argument(help="The new location's id.")],
    name: Annotated[str, typer.Option(help="Its name.")],
    lon: Annotated[float, typer.Option(help="Longitude (WGS84).")],
    lat: Annotated[float, typer.Option(help="Latitude (WGS84).")],
    place: Annotated[str | None, typer.Option(help="A gazetteer place's id.")] = None,
    agreement: Annotated[str | None, typer.Option(help="The agreement it falls under.")] = None,
    party: Party = None,
) -> None:
    """A location (record its status with `record status`)."""
    location = Location(location_id, name, lon, lat, place, agreement)
    service.add_location(open_ledger(), location, author=party)
    out.print(f"humanitarian location {location_id}: created", highlight=False, markup=False)


@record_app.command("status")
@handled
def record_status(
    location_id: Annotated[str, typer.Argument(help="The location.")],
    status: Annotated[str, typer.Argument(help="besieged, hard_to_reach or accessible.")],
    since: Annotated[str, typer.Option(help="The day it holds from, YYYY-MM-DD.")],
    source: Annotated[str, typer.Option(help="Who says so.")] = "",
    note: Annotated[str, typer.Option(help="A note.")] = "",
    party: Party = None,
) -> None:
    """A location's status from a day on."""
    change = StatusChange(
        choice(LocationStatus, status, "status"), _day_required(since, "--since"), source, note
    )
    found = service.record_status(open_ledger(), location_id, change, author=party)
    out.print(f"{found.id}: {_status_text(found.status_on())}", highlight=False, markup=False)


@record_app.command("request")
@handled
def record_request(
    location_id: Annotated[str, typer.Argument(help="The location.")],
    requested_by: Annotated[str, typer.Option(help="Who asks for access, as named.")],
    day: Day,
    people: Count = None,
    trucks: Count = None,
    kind: Annotated[str, typer.Option(help="convoy or corridor.")] = "convoy",
    destination: Annotated[str | None, typer.Option(help="A corridor's destination.")] = None,
    note: Annotated[str, typer.Option(help="A note.")] = "",
    party: Party = None,
) -> None:
    """A request for access to a location (pending until decided)."""
    request = Request(
        id=0,
        location_id=location_id,
        kind=choice(RequestKind, kind, "--kind"),
        requested_by=requested_by,
        requested=_day_required(day, "--date"),
        people=people,
        trucks=trucks,
        destination=destination,
        note=note,
    )
    made = service.record_request(open_ledger(), request, author=party)
    out.print(f"request {made.id} for {location_id}: pending", highlight=False, markup=False)


@record_app.command("decision")
@handled
def record_decision(
    request_id: Annotated[int, typer.Argument(help="The request.")],
    decision: Annotated[str, typer.Argument(help="approved, partially_approved or denied.")],
    day: Day,
    decided_by: Annotated[str, typer.Option(help="Who decided, as named.")],
    reason: Annotated[str, typer.Option(help="Why (required for a denial).")] = "",
    approved_people: Count = None,
    approved_trucks: Count = None,
    party: Party = None,
) -> None:
    """The decision on a request."""
    decided = service.record_decision(
        open_ledger(),
        request_id,
        choice(Decision, decision, "decision"),
        decided=_day_required(day, "--date"),
        decided_by=decided_by,
        reason=reason,
        approved_people=approved_people,
        approved_trucks=approved_trucks,
        author=party,
    )
    out.print(f"request {request_id}: {decided.decision.value}", highlight=False, markup=False)


@record_app.command("delivery")
@handled
def record_delivery(
    request_id: Annotated[int, typer.Argument(help="The approved request.")],
    day: Day,
    people_reached: Count = None,
    trucks: Count = None,
    items: Annotated[str, typer.Option(help="What was delivered.")] = "",
    note: Annotated[str, typer.Option(help="A note.")] = "",
    party: Party = None,
) -> None:
    """A convoy or evacuation under an approved request."""
    delivery = Delivery(
        0, request_id, _day_required(day, "--date"), people_reached, trucks, items, note
    )
    made = service.record_delivery(open_ledger(), delivery, author=party)
    out.print(
        f"delivery {made.id} under request {request_id}: recorded", highlight=False, markup=False
    )
