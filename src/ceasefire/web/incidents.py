"""/incidents/{id}: an incident's file, and the forms that act on it (a co-chair's
finding, response measures and their steps, an analyst's merge and split)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.measures import (
    MeasureKind,
    MeasureParties,
    MeasureStatus,
    is_overdue,
    steps_for,
)
from ceasefire.domain.merges import Apart, FarApartError
from ceasefire.domain.regimes import Agreement
from ceasefire.domain.words import N_
from ceasefire.domain.workflow import Confidence, Finding, Role
from ceasefire.reports.languages import city_in
from ceasefire.services import findings as finding_service
from ceasefire.services import queries
from ceasefire.services.findings import require_role
from ceasefire.services.incident_files import incident_file
from ceasefire.services.merges import Merged, merge_incidents, split_incident
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store.assessments import Measure
from ceasefire.store.incident_rows import StoredIncident
from ceasefire.web.context import (
    MAX_ID,
    Csrf,
    Id,
    Page,
    UserPage,
    check_csrf,
    ledger_of,
    settings_of,
)
from ceasefire.web.problems import form_error
from ceasefire.web.render import render
from ceasefire.web.signin import local

router = APIRouter(include_in_schema=False)


def show(
    page: Page,
    incident_id: int,
    *,
    errors: dict[str, CeasefireError] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
    notice: str | None = None,
    far: Apart | None = None,
) -> HTMLResponse:
    assert page.user is not None and page.audience is not None
    file = incident_file(
        page.db, incident_id, page.audience, page.language.gettext, city_in(page.language.locale)
    )
    with page.db.read() as conn:
        actors = sorted(  # by name, as the reader looks for one
            ((a.id, a.name) for a in actor_store.load_actors(conn)),
            key=lambda a: (a[1].casefold(), a[0]),
        )
        agreement = None
        if file.findings is not None:
            (agreement,) = agreement_store.load_agreements(conn, file.findings.agreement_id)
    officer = page.user.role >= Role.OFFICER
    co_chair = agreement is not None and page.user.party_id in agreement.co_chairs
    today = datetime.now(UTC).date()

    def steps(measure: Measure) -> list[str]:
        if not officer or agreement is None:
            return []
        return open_steps(page, agreement, measure)

    return render(
        page,
        "incident.html",
        status=status,
        file=file,
        actors=actors,
        actor_names=dict(actors),
        can_assess=officer and co_chair,
        can_analyse=page.user.role >= Role.ANALYST,
        agreement_parties=[] if agreement is None else [*agreement.co_chairs, *agreement.members],
        steps=steps,
        overdue=lambda m: is_overdue(m.status, m.due, today),
        errors={k: form_error(page, v) for k, v in (errors or {}).items()},
        form=form or {},
        notice=notice,
        on_map=_on_map(file.incident),
        far=far,
    )


def _on_map(incident: StoredIncident) -> str:
    """The map's address showing the incident: at its point, over the days it may have
    happened on (UTC, as the map's dates are), ringed with its popup open."""
    first = incident.time_start.date()
    last = max(first, (incident.time_end - timedelta(microseconds=1)).date())
    query = urlencode(
        {
            "ll": f"{incident.lat:.4f},{incident.lon:.4f}",
            "z": "12",
            "from": first.isoformat(),
            "to": last.isoformat(),
            "incident": str(incident.id),
        }
    )
    return f"/?{query}"


def open_steps(page: Page, agreement: Agreement, measure: Measure) -> list[str]:
    """The steps the reader's party may take on the measure (an officer's)."""
    assert page.user is not None
    if page.user.role < Role.OFFICER:
        return []
    parties = MeasureParties(agreement.co_chairs, measure.owner_party, measure.proposed_by)
    return [to.value for to in steps_for(measure.status, page.user.party_id, parties)]


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    incident_id: Id,
    page: UserPage,
    filed: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    merged: Annotated[str | None, Query(max_length=200, pattern=r"^\d+(,\d+)*$")] = None,
) -> HTMLResponse:
    notice = None
    if filed is not None:
        notice = page._("Your report %(report)s is filed, signed by your party.") % {
            "report": filed
        }
    elif merged is not None and page.user is not None:
        named = [int(i) for i in merged.split(",")]
        done = queries.merged_here(page.db, incident_id, named, page.user.party_id)
        if done:
            notice = page._(
                "Merged into this incident, signed by your party: %(ids)s (their reports, "
                "findings and measures are here now)."
            ) % {"ids": ", ".join(map(str, done))}
    return show(page, incident_id, notice=notice)


def _back(incident_id: int) -> RedirectResponse:
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


@router.post("/incidents/{incident_id}/assess")
def assess(
    incident_id: Id,
    page: UserPage,
    csrf: Csrf,
    finding: Annotated[str, Form(max_length=32)] = "",
    confidence: Annotated[str, Form(max_length=16)] = "medium",
    reasoning: Annotated[str, Form(max_length=20_000)] = "",
    attributed_actor_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    check_csrf(page, csrf)
    assert page.user is not None
    form = {
        "finding": finding,
        "confidence": confidence,
        "reasoning": reasoning,
        "attributed_actor_id": attributed_actor_id,
    }
    try:
        if finding not in {f.value for f in Finding}:
            raise InvalidInputError("finding", page._("Choose a finding."))
        if not reasoning.strip():
            raise InvalidInputError("reasoning", page._("Say why."))
        assessing = finding_service.Assessing(
            Finding(finding),
            Confidence(confidence)
            if confidence in {c.value for c in Confidence}
            else Confidence.MEDIUM,
            reasoning,
            attributed_actor_id or None,
        )
        finding_service.assess(ledger_of(page), page.user, incident_id, assessing)
    except CeasefireError as error:
        return show(page, incident_id, errors={"assess": error}, form=form, status=status_of(error))
    return _back(incident_id)


@router.post("/incidents/{incident_id}/measures")
def propose(
    incident_id: Id,
    page: UserPage,
    csrf: Csrf,
    kind: Annotated[str, Form(max_length=16)],
    owner_party: Annotated[str, Form(max_length=64)],
    description: Annotated[str, Form(max_length=20_000)],
    due: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    check_csrf(page, csrf)
    assert page.user is not None
    try:
        if kind not in {k.value for k in MeasureKind}:
            raise InvalidInputError("kind", page._("Choose a kind of measure."))
        try:
            when = date.fromisoformat(due) if due else None
        except ValueError:
            raise InvalidInputError("due", page._("Give a date.")) from None
        finding_service.propose_measure(
            ledger_of(page),
            page.user,
            incident_id,
            kind=MeasureKind(kind),
            description=description,
            owner_party=owner_party,
            due=when,
        )
    except CeasefireError as error:
        return show(page, incident_id, errors={"measure": error}, status=status_of(error))
    return _back(incident_id)


@router.post("/measures/{measure_id}/step")
def step(
    measure_id: Id,
    page: UserPage,
    csrf: Csrf,
    status: Annotated[str, Form(max_length=16)],
    next: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    check_csrf(page, csrf)
    assert page.user is not None
    if status not in {s.value for s in MeasureStatus}:
        raise InvalidInputError.because("status", N_("Choose a step."))
    moved = finding_service.set_status(
        ledger_of(page), page.user, measure_id, MeasureStatus(status)
    )
    if next.startswith("/measures"):
        return RedirectResponse(local(next), status_code=303)
    return _back(moved.incident_id)


@router.post("/measures/{measure_id}/comment")
def comment(
    measure_id: Id, page: UserPage, csrf: Csrf, text: Annotated[str, Form(max_length=20_000)]
) -> Response:
    check_csrf(page, csrf)
    assert page.user is not None
    measure = finding_service.comment(ledger_of(page), page.user, measure_id, text)
    return _back(measure.incident_id)


@router.post("/incidents/{incident_id}/merge")
def merge(
    incident_id: Id,
    page: UserPage,
    csrf: Csrf,
    other: Annotated[str, Form(max_length=20)],
    confirm_far: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Merge with the incident whose id the analyst typed; one far apart (``domain.merges``)
    only once the analyst, shown both and how far apart they are, ticks that they are one
    event (``confirm_far``, posted back with the same ``other``)."""
    check_csrf(page, csrf)
    assert page.user is not None and page.audience is not None
    try:
        require_role(page.user, Role.ANALYST, "merging incidents")
        if not (other.isascii() and other.isdigit()) or int(other) > MAX_ID:
            raise InvalidInputError("other", page._("Give the other incident's number."))
        merged = merge_incidents(
            ledger_of(page),
            [incident_id, int(other)],
            author=page.user.party_id,
            audience=page.audience,
            settings=settings_of(page).correlation(),
            confirm_far=confirm_far == "yes",
        )
    except FarApartError as error:  # a question, not a refusal: the form asks it
        return show(page, incident_id, far=error.apart, form={"other": other})
    except CeasefireError as error:
        return show(page, incident_id, errors={"analysis": error}, status=status_of(error))
    return _merged(merged)


def _merged(merged: Merged) -> RedirectResponse:
    """To the incident a merge kept, saying which it took in."""
    ids = ",".join(str(i) for i in merged.merged_ids)
    return RedirectResponse(f"/incidents/{merged.incident.id}?merged={ids}", status_code=303)


@router.post("/incidents/{incident_id}/split")
def split(
    incident_id: Id,
    page: UserPage,
    csrf: Csrf,
    report: Annotated[list[int] | None, Form()] = None,
) -> Response:
    check_csrf(page, csrf)
    assert page.user is not None and page.audience is not None
    try:
        require_role(page.user, Role.ANALYST, "splitting an incident")
        if any(not 1 <= r <= MAX_ID for r in report or []):
            raise InvalidInputError("report", page._("Choose reports of this incident."))
        _, new = split_incident(
            ledger_of(page),
            incident_id,
            report or [],
            author=page.user.party_id,
            audience=page.audience,
        )
    except CeasefireError as error:
        return show(page, incident_id, errors={"analysis": error}, status=status_of(error))
    return _back(new.id)
