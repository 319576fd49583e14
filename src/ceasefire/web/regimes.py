"""/regimes: every regime, its window and its state now, the history of its extensions
and endings, and — for an officer of one of its agreement's co-chairs — the forms that
extend it and end it early."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.regimes import Extension
from ceasefire.domain.workflow import Role
from ceasefire.services import designations
from ceasefire.services.findings import require_role
from ceasefire.services.reclassification import Reclassified, Shift, tally
from ceasefire.services.regimes import end_regime, extend_regime, reclassified_by
from ceasefire.services.scopes import audience
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.web.context import (
    MAX_ID,
    Csrf,
    Page,
    UserPage,
    check_csrf,
    ledger_of,
)
from ceasefire.web.moments import form_moment, local_moment, twice_in
from ceasefire.web.problems import form_error
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)
FEW = 10  # incidents linked one by one after a change; the map lists the rest


@dataclass(frozen=True)
class Outcome:
    """What a change of a regime classified anew, as the reader's party reads it."""

    regime_id: str
    reclassified: list[Reclassified]
    shifts: list[Shift]

    @property
    def few(self) -> list[Reclassified]:
        return self.reclassified[:FEW]


def show(
    page: Page,
    *,
    error: CeasefireError | None = None,
    failed: str | None = None,
    failed_form: str = "extend",
    form: dict[str, str] | None = None,
    notice: str | None = None,
    outcome: Outcome | None = None,
    status: int = 200,
    issue_error: CeasefireError | None = None,
    issue_form: dict[str, str] | None = None,
) -> HTMLResponse:
    assert page.user is not None
    with page.db.read() as conn:
        agreements = {a.id: a for a in agreement_store.load_agreements(conn)}
        regimes = agreement_store.load_regimes(conn)
        named = {a for r in regimes for a in r.excluded_actor_ids}
        actor_names = actor_store.actor_names(conn, named)
    lists = {d.id: d.name for d in designations.lists(page.db)}
    now = datetime.now(UTC)
    officer = page.user.role >= Role.OFFICER
    party = page.user.party_id
    shown = None if error is None else form_error(page, error, {"new_end": "end_date"})
    failure = None
    if shown is not None:  # beside the regime it was about, the reason alone
        failure = {
            "regime": failed,
            "form": failed_form,
            "field": shown["field"],
            "text": shown["reason"],
        }
    return render(
        page,
        "regimes.html",
        status=status,
        active="regimes",
        agreements=agreements,
        regimes=sorted(regimes, key=lambda r: (r.agreement_id, r.start, r.id)),
        state=lambda r: r.state_at(now),
        may_extend=lambda r: (
            officer and r.extensible and party in agreements[r.agreement_id].co_chairs
        ),
        may_end=lambda r: officer and party in agreements[r.agreement_id].co_chairs,
        error=failure,
        form=form or {},
        notice=notice,
        outcome=outcome,
        actor_names=actor_names,
        lists=lists,
        # the agreements whose daily report the reader may issue (an officer of a co-chair)
        issuable=[a for a in agreements.values() if officer and party in a.co_chairs],
        issue_error=None if issue_error is None else form_error(page, issue_error),
        issue_form=issue_form or {},
        twice=twice_in(error),  # the failed form's end, a time the clocks showed twice
    )


@router.get("/regimes", response_class=HTMLResponse)
def regimes_page(
    page: UserPage,
    changed: Annotated[str | None, Query(max_length=64)] = None,
    at: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> HTMLResponse:
    """Every regime; after an extension (``changed``, the write's first entry ``at``),
    the incidents it classified anew that the reader's party reads."""
    assert page.user is not None
    outcome = None
    if changed is not None and at is not None:
        found = reclassified_by(page.db, changed, at, audience(page.db, page.user.party_id))
        if found is not None:
            outcome = Outcome(changed, found, tally(found))
    return show(page, outcome=outcome)


def _local(page: Page, day: str, clock: str, zone: str, field: str) -> datetime | None:
    """A date (and time, else midnight) in the regime's time zone, as UTC; None if empty."""
    if not day:
        return None
    return local_moment(
        day, clock, zone, field=field, message=page._("Give a date, and a time if needed.")
    )


def _end_in(page: Page, form: dict[str, str], zone: str) -> datetime | None:
    """The form's new end in the regime's zone, as UTC (None if no date); a time the clocks
    showed twice there is asked about (``moments.Twice``) unless the form says which."""
    if not form["end_date"]:
        return None
    message = page._("Give a date, and a time if needed.")
    day, clock, fold = form["end_date"], form["end_time"], form.get("fold", "")
    return form_moment(
        page, day, clock, zone, fold, message=message, field="end_date", time_field="end_time"
    )


@router.post("/regimes/{regime_id}/extend")
def extend(
    regime_id: Annotated[str, Path(max_length=64)],
    page: UserPage,
    csrf: Csrf,
    end_date: Annotated[str, Form(max_length=10)] = "",
    end_time: Annotated[str, Form(max_length=8)] = "",
    indefinite: Annotated[str, Form(max_length=8)] = "",
    decided: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=5_000)] = "",
    fold: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Move a regime's end later (or make it open-ended), signed by the officer's party."""
    form = {"end_date": end_date, "end_time": end_time, "decided": decided, "note": note}
    form["fold"] = fold  # which of a time the clocks showed twice (web.moments)
    return _change_end(page, csrf, regime_id, {**form, "indefinite": indefinite}, "extend")


@router.post("/regimes/{regime_id}/end")
def end(
    regime_id: Annotated[str, Path(max_length=64)],
    page: UserPage,
    csrf: Csrf,
    end_date: Annotated[str, Form(max_length=10)] = "",
    end_time: Annotated[str, Form(max_length=8)] = "",
    decided: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=5_000)] = "",
    fold: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """End a regime early (it was declared over), signed by the officer's party."""
    form = {"end_date": end_date, "end_time": end_time, "decided": decided, "note": note}
    form["fold"] = fold  # which of a time the clocks showed twice (web.moments)
    return _change_end(page, csrf, regime_id, form, "end")


# each change of a regime's end the page makes: what the officer is doing, and the service
_CHANGES = {"extend": ("extending a regime", extend_regime), "end": ("ending a regime", end_regime)}


def _change_end(
    page: Page, csrf: str | None, regime_id: str, form: dict[str, str], which: str
) -> Response:
    """The extension (``which``: ``extend``) or ending (``end``) the form describes, in the
    regime's time zone, made by the service; a refusal is shown beside that form."""
    check_csrf(page, csrf)
    assert page.user is not None
    doing, make = _CHANGES[which]
    try:
        require_role(page.user, Role.OFFICER, doing)
        with page.db.read() as conn:
            regime = agreement_store.get_regime(conn, regime_id)
        new_end = _end_in(page, form, regime.time_zone)
        open_ended = bool(form.get("indefinite"))  # (the extension's form alone has the box)
        if which == "extend" and new_end is None and not open_ended:
            raise InvalidInputError(
                "end_date", page._("Give the new end, or make the regime open-ended.")
            )
        change = Extension(
            new_end=None if open_ended else new_end,
            decided=_local(page, form["decided"], "", regime.time_zone, "decided"),
            note=form["note"].strip(),
        )
        done = make(ledger_of(page), regime_id, change, author=page.user.party_id)
    except CeasefireError as error:
        status = status_of(error)
        return show(
            page, error=error, failed=regime_id, failed_form=which, form=form, status=status
        )
    return _changed(regime_id, done.sequence)


def _changed(regime_id: str, sequence: int) -> RedirectResponse:
    """Back to the regime, with what the change (its write's first entry) reclassified."""
    key = quote(regime_id, safe="")
    return RedirectResponse(f"/regimes?changed={key}&at={sequence}#regime-{key}", status_code=303)
