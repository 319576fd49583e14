"""/drafts/{id}: a draft of the party opened into the report form, holding everything it
holds; kept again (the same draft, changed) or filed (signed by the party, as the form's
File does; the draft is then gone). Filed from the list (``/share``), a draft that still
lacks what a report needs opens with each missing field named beside it. Only the party's
reporters and above open, change, file or discard its drafts; another party's draft does
not exist for a user (404), as over the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.workflow import Role
from ceasefire.services import drafts as service
from ceasefire.services.findings import require_role
from ceasefire.services.reports_in import (
    DraftBody,
    ReportBody,
    report_in,
    scope_in,
)
from ceasefire.store.drafts import Draft
from ceasefire.web.context import Csrf, Id, Page, UserPage, check_csrf, ledger_of, settings_of
from ceasefire.web.draft_forms import carried, extras, form_of
from ceasefire.web.report_forms import ReportForm, body_of, checked
from ceasefire.web.reports import agreements_of, show

router = APIRouter(include_in_schema=False)


def _mine(page: Page, draft_id: int, doing: str) -> Draft:
    """The party's draft, for a reporter of the party (another party's: not found)."""
    assert page.user is not None
    require_role(page.user, Role.REPORTER, doing)
    return service.draft(page.db, page.user, draft_id)


def _zones(page: Page) -> dict[str, str]:
    return {a: z for a, _, z in agreements_of(page)}


def _opened(
    page: Page,
    found: Draft,
    form: dict[str, str] | None = None,
    *,
    error: CeasefireError | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The form holding the draft (as it is kept, or as ``form`` was typed over it)."""
    held = form or {**form_of(page, found.body, _zones(page)), "version": found.version}
    shown = extras(page, found.body)
    return show(page, held, error=error, notice=notice, status=status, opened=found, extras=shown)


@router.get("/drafts/{draft_id}", response_class=HTMLResponse)
def open_draft(draft_id: Id, page: UserPage, kept: bool = False) -> HTMLResponse:
    found = _mine(page, draft_id, "opening a draft")
    notice = page._("The draft is kept: your party sees it as it is now.") if kept else None
    return _opened(page, found, notice=notice)


@router.post("/drafts/{draft_id}")
def keep_or_file(draft_id: Id, page: UserPage, posted: Annotated[ReportForm, Form()]) -> Response:
    """The opened draft, as the form was typed over it: kept again or filed."""
    check_csrf(page, posted.csrf)
    found = _mine(page, draft_id, "changing a draft")
    form = posted.values()
    try:
        if posted.action == "draft":
            _keep(page, found, form)
            return RedirectResponse(f"/drafts/{draft_id}?kept=1", status_code=303)
        return _file(page, found, form)
    except CeasefireError as error:
        return _opened(page, found, form, error=error, status=status_of(error))


@router.post("/drafts/{draft_id}/share")
def share_draft(draft_id: Id, page: UserPage, csrf: Csrf) -> Response:
    """File the draft as it is kept; one that lacks what a report needs opens, saying what."""
    check_csrf(page, csrf)
    found = _mine(page, draft_id, "sharing a draft")
    form = {**form_of(page, found.body, _zones(page)), "version": found.version}
    try:
        return _file(page, found, form)
    except CeasefireError as error:
        return _opened(page, found, form, error=error, status=status_of(error))


@router.post("/drafts/{draft_id}/discard")
def discard_draft(draft_id: Id, page: UserPage, csrf: Csrf) -> Response:
    check_csrf(page, csrf)
    assert page.user is not None
    try:
        service.discard(page.db, page.user, draft_id)
    except CeasefireError as error:
        return show(page, error=error, status=status_of(error))
    return show(page, notice=page._("The draft is discarded."))


def _body(
    page: Page, found: Draft, form: dict[str, str], *, draft: bool
) -> tuple[dict[str, Any], list[InvalidInputError]]:
    """The body the form describes over the draft, and the form's own problems."""
    zones = _zones(page)
    body, problems = body_of(page, form, zones, draft=draft)
    return carried(found.body, form_of(page, found.body, zones), form, body), problems


def _keep(page: Page, found: Draft, form: dict[str, str]) -> None:
    assert page.user is not None
    kept = checked(page, *_body(page, found, form, draft=True), model=DraftBody)
    service.keep_again(page.db, page.user, found.id, kept, expected=form.get("version") or None)


def _file(page: Page, found: Draft, form: dict[str, str]) -> Response:
    assert page.user is not None
    body = checked(page, *_body(page, found, form, draft=False), model=ReportBody)
    stored = service.share(
        ledger_of(page),
        page.user,
        found.id,
        report_in(body),
        settings_of(page).correlation(),
        scope=scope_in(body),
        expected=form.get("version") or None,
    )
    return RedirectResponse(f"/incidents/{stored.incident_id}?filed={stored.id}", status_code=303)
