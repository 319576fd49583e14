"""/actors: the actor register — every armed group and force with the names it goes by in
any script, the datasets' names for it, its UN listing, its affiliations and where each
designation list puts it — a search by any name (the resolver reports use, with its
scores), and the names the reader's reports give that no actor matches, which an analyst
says once which actor they are (a signed name mapping)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.actors import Actor
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.resolution import Resolution
from ceasefire.domain.words import N_
from ceasefire.domain.workflow import Role
from ceasefire.reports.designations import spoken_of
from ceasefire.services import actors as service
from ceasefire.services import designations, mapping_runs
from ceasefire.services.findings import require_role
from ceasefire.services.mapping_runs import MappingRunner, Progress
from ceasefire.web.context import MAX_ID, Csrf, Page, UserPage, check_csrf, ledger_of
from ceasefire.web.problems import form_error
from ceasefire.web.render import render
from ceasefire.web.strings import SCRIPT_STRINGS

router = APIRouter(include_in_schema=False)
NAME = 300  # the longest name a report gives (``services.actors.map_name``)
NONE = "-"  # the form's value for "no actor of the register"
UNRESOLVED = 100  # names listed at once, most mentioned first
NEAR = 0.5  # a candidate a search lists with the actors it finds
FEW = 8  # an actor's other names shown before "n more"


@router.get("/actors", response_class=HTMLResponse)
def register(page: UserPage, q: Annotated[str, Query(max_length=NAME)] = "") -> HTMLResponse:
    q = q.strip()
    actors = service.register(page.db)
    found: Resolution | None = service.resolve_names(ledger_of(page), [q])[0] if q else None
    return render(
        page,
        "actors.html",
        active="registers",
        tab="actors",
        q=q,
        found=found,
        actors=[a for a in actors if _found(a, q, found)] if q else actors,
        names={a.id: a.name for a in actors},
        levels=_levels(page),
        few=FEW,
    )


@router.get("/actors/names", response_class=HTMLResponse)
def unresolved_names(
    page: UserPage, mapping: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> HTMLResponse:
    """The names the reader's reports give that no actor matches (it reads every report
    the party reads: a page of its own, not the register's); after a mapping, what it says,
    as recorded."""
    assert page.user is not None
    found = None
    if mapping is not None:
        found = mapping_runs.progress_of(ledger_of(page), mapping, page.user.party_id)
    if found is None:
        return show_names(page)
    said = (
        page._("“%(name)s” is %(actor)s, signed by %(party)s.")
        if found.mapping.actor_id
        else page._("“%(name)s” is none of the register, signed by %(party)s.")
    )
    actor = found.mapping.actor_name or found.mapping.actor_id
    notice = said % {"name": found.mapping.name, "actor": actor, "party": found.mapping.mapped_by}
    return show_names(page, notice=notice, mapping=mapping, run=_run(page, found))


def _run(page: Page, found: Progress) -> tuple[str, bool]:
    """How far a mapping's run got, as the page says it (``names.js`` follows it): the
    sentence, and whether it finished."""
    if found.finished is not None:
        if found.changed is None:
            return page._(SCRIPT_STRINGS["run_done"]), True
        count = {"count": page.language.number(found.changed)}
        return page._(SCRIPT_STRINGS["run_changed"]) % count, True
    if found.failures:
        return page._(SCRIPT_STRINGS["run_failing"]), False
    if found.fraction is None:
        return page._(SCRIPT_STRINGS["run_finding"]), False
    share = {"share": page.language.percent(found.fraction)}
    return page._(SCRIPT_STRINGS["run_progress"]) % share, False


def show_names(
    page: Page,
    *,
    notice: str | None = None,
    error: CeasefireError | None = None,
    failed: str | None = None,
    status: int = 200,
    mapping: int | None = None,
    run: tuple[str, bool] | None = None,
) -> HTMLResponse:
    assert page.user is not None and page.audience is not None
    ledger = ledger_of(page)
    actors = service.register(page.db)
    unresolved, total = service.unresolved_names(ledger, page.audience, limit=UNRESOLVED)
    return render(
        page,
        "actor_names.html",
        status=status,
        active="registers",
        tab="names",
        everyone=actors,
        unresolved=unresolved,
        unresolved_total=total,
        may_map=page.user.role >= Role.ANALYST,
        nobody=NONE,
        notice=notice,
        mapping=mapping,
        run=run,
        problem=None if error is None else form_error(page, error)["message"],
        failed=failed,
    )


def _found(actor: Actor, q: str, found: Resolution | None) -> bool:
    """An actor a search finds: one the resolver matched or found near, or one with a name
    that holds the words as typed."""
    if found is not None and actor.id in _near(found):
        return True
    wanted = q.casefold()
    return any(wanted in name.casefold() for name in (actor.id, *actor.names()))


def _near(found: Resolution) -> set[str]:
    near = {c.actor_id for c in found.candidates if c.score >= NEAR}
    return near | ({found.match.actor_id} if found.match else set())


def _levels(page: Page) -> dict[str, list[tuple[str, str, str]]]:
    """Each actor's level on each designation list: (list id, list name, level)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for listed in designations.lists(page.db):
        for entry in spoken_of(designations.consolidated(page.db, listed.id)):
            found.setdefault(entry.actor_id, []).append((listed.id, listed.name, entry.level))
    return found


@router.post("/actors/names")
def map_a_name(
    page: UserPage,
    csrf: Csrf,
    name: Annotated[str, Form(max_length=NAME)],
    actor: Annotated[str, Form(max_length=64)] = "",
    other: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """An analyst's word that a name reports give is this actor (or none of the register),
    signed by their party; the reports giving it are resolved again apart (a thread of the
    server: ``services.mapping_runs``), and the page it goes to follows that."""
    check_csrf(page, csrf)
    assert page.user is not None
    try:
        require_role(page.user, Role.ANALYST, "saying which actor a name is")
        if not actor and other.strip():  # the actor typed beside the button: an id or a name
            actor = service.actor_typed(ledger_of(page), other.strip())
        if not actor:
            raise InvalidInputError(
                "actor",
                "choose the actor the name is, or none of the register",
                template=N_("Choose the actor the name is, or none of the register."),
            )
        mapping_id = service.record_mapping(
            ledger_of(page), name, None if actor == NONE else actor, author=page.user.party_id
        )
    except CeasefireError as error:
        return show_names(page, error=error, failed=name, status=status_of(error))
    runner = page.request.app.state.mapping_runner
    if isinstance(runner, MappingRunner):
        runner.wake()  # its reports are resolved again apart, at once
    return RedirectResponse(f"/actors/names?mapping={mapping_id}", status_code=303)
