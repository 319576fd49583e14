"""`ceasefire measures list`: the register of response measures across incidents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from ceasefire.cli.common import database, handled, show_table
from ceasefire.domain.measures import MeasureStatus, is_overdue
from ceasefire.services import queries, scopes
from ceasefire.services.findings import measure_register
from ceasefire.store.assessments import MeasureFilter

measures_app = typer.Typer(help="The register of response measures.", no_args_is_help=True)


@measures_app.command("list")
@handled
def measures_list(
    status: Annotated[MeasureStatus | None, typer.Option(help="Only this status.")] = None,
    overdue: Annotated[
        bool | None,
        typer.Option(
            "--overdue/--not-overdue",
            help="Only measures still open after their due date, or only the others.",
        ),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only those this party owns.")] = None,
    agreement: Annotated[str | None, typer.Option(help="Only this agreement's.")] = None,
    party: Annotated[
        str | None, typer.Option(help="Read as this party [default: the host, everything]")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 200,
) -> None:
    """Show response measures across incidents, with their status and whether overdue."""
    db = database()
    # an unknown owner or agreement is an error, not an empty register
    queries.check_named(db, party=(owner, "--owner"), agreement=(agreement, "--agreement"))
    today = datetime.now(UTC).date()
    where = MeasureFilter(
        status=status,
        owner=owner,
        agreement_id=agreement,
        overdue=overdue,
        today=today,
        limit=limit,
    )
    found = measure_register(db, scopes.audience_for(db, party), where)
    rows = [
        [
            str(m.id),
            str(m.incident_id),
            m.agreement_id,
            m.kind.value,
            m.owner_party,
            "" if m.due is None else m.due.isoformat(),
            m.status.value,
            "yes" if is_overdue(m.status, m.due, today) else "",
            m.description,
        ]
        for m in found
    ]
    columns = [
        "id",
        "incident",
        "agreement",
        "kind",
        "owner",
        "due",
        "status",
        "overdue",
        "description",
    ]
    show_table(columns, rows)
