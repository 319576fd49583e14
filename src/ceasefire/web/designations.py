"""/designations: a designation list as it is consolidated — each group with its level of
agreement, who listed it, who refused and who said nothing, with each member's note — at
any of its versions, with who submitted each version and what it changed, what changed
between any two versions, the regimes that follow it; and, for an officer of a member
party, the form that submits its party's list (previewed before it is signed)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.designations import (
    LEFT_OUT,
    MAX_ROWS,
    Consolidated,
    DesignationList,
    ListEntry,
    Row,
    held_version,
)
from ceasefire.domain.errors import CeasefireError, InvalidInputError, PreconditionFailedError
from ceasefire.domain.list_changes import ListChange
from ceasefire.domain.words import N_
from ceasefire.domain.workflow import Role
from ceasefire.reports.designations import spoken_of
from ceasefire.services import actors as actor_service
from ceasefire.services import designations as service
from ceasefire.services.findings import require_role
from ceasefire.web.context import Csrf, Page, UserPage, check_csrf, ledger_of
from ceasefire.web.designation_form import (
    NEW_ROWS,
    FormRow,
    beside_rows,
    empty_rows,
    form_rows,
    posted_rows,
    submitted_rows,
)
from ceasefire.web.problems import form_error
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)
# the levels from most to least agreed: the table lists the groups in this order
LEVELS = ("unanimous", "majority", "some", "disputed", "none")
CHANGES = ("added", "removed", "moved", "held")  # the order of the changes shown
Version = Annotated[int | None, Query(ge=0, le=2**31)]


@dataclass(frozen=True)
class Comparison:
    """The changes the page shows: from version ``old`` to ``new`` (or, ``preview``, what
    the submission shown would change), each group's with its name."""

    old: int
    new: int
    changes: list[ListChange]
    names: dict[str, str]
    submitted: service.Version | None = None  # the version whose own changes these are


_CHANGED_SINCE = N_(
    "Someone of your party submitted its list since you opened this form: signed, yours "
    "would undo theirs. Nothing was signed; open the page again to see the list as it now "
    "stands."
)


def _no_list(list_id: str) -> InvalidInputError:
    return InvalidInputError.because(
        "list", N_("%(list)s is not a designation list"), list=repr(list_id)
    )


def _chosen(lists: list[DesignationList], list_id: str) -> DesignationList | None:
    wanted = [d for d in lists if d.id == list_id] if list_id else lists[:1]
    if list_id and not wanted:
        raise _no_list(list_id)
    return wanted[0] if wanted else None


def _ordered(page: Page, changes: list[ListChange]) -> Comparison:
    names = service.actor_names(page.db, [c.actor_id for c in changes])
    ordered = sorted(
        changes,
        key=lambda c: (CHANGES.index(c.change.value), names.get(c.actor_id, c.actor_id)),
    )
    return Comparison(0, 0, ordered, names)


def _comparison(
    page: Page,
    list_id: str,
    shown: int,
    versions: list[service.Version],
    asked: tuple[int | None, int | None],
) -> Comparison | None:
    """The versions asked to compare (one missing: the one before the other, or the one
    shown), else the shown version's own changes; None before the first version."""
    old, new = asked
    by_number = {v.number: v for v in versions}
    if old is None and new is None:
        if shown not in by_number:
            return None
        found = _ordered(page, by_number[shown].changes)
        return Comparison(shown - 1, shown, found.changes, found.names, by_number[shown])
    new = shown if new is None else new
    old = max(new - 1, 0) if old is None else old
    found = _ordered(page, service.compare(page.db, list_id, old, new))
    own = by_number.get(new) if new == old + 1 else None  # one version's own changes
    return Comparison(old, new, found.changes, found.names, own)


def show(
    page: Page,
    lists: list[DesignationList],
    chosen: DesignationList,
    version: int | None = None,
    asked: tuple[int | None, int | None] = (None, None),
    *,
    rows: list[FormRow] | None = None,
    preview: service.Plan | None = None,
    error: CeasefireError | None = None,
    notice: str | None = None,
    status: int = 200,
    held_as: str | None = None,
) -> HTMLResponse:
    assert page.user is not None
    found = service.consolidated(page.db, chosen.id, version)
    versions = service.versions(page.db, chosen.id)
    latest = found.version == (versions[-1].number if versions else 0)
    entries = sorted(
        spoken_of(found),
        key=lambda e: (LEVELS.index(e.level), found.names.get(e.actor_id, e.actor_id)),
    )

    def notes(entry: ListEntry) -> list[tuple[str, str]]:
        said = ((p, found.notes.get((entry.actor_id, p))) for p in found.designation_list.members)
        # the note the service writes when a member leaves an actor out of its list
        return [(party, page._(note) if note == LEFT_OUT else note) for party, note in said if note]

    return render(
        page,
        "designations.html",
        status=status,
        active="registers",
        tab="designations",
        lists=lists,
        found=found,
        entries=entries,
        counts=Counter(e.level for e in entries),
        levels=LEVELS,
        notes=notes,
        versions=list(reversed(versions)),
        latest=latest,
        following=service.followed_by(page.db, chosen.id),
        comparison=_comparison(page, chosen.id, found.version, versions, asked),
        preview=None if preview is None else _ordered(page, preview.changes),
        notes_changed=0 if preview is None else len(preview.signed) - len(preview.changes),
        error=None if error is None else form_error(page, error),
        notice=notice,
        **_form(page, chosen, found, entries, rows if latest else [], held_as),
    )


def _form(
    page: Page,
    chosen: DesignationList,
    found: Consolidated,
    entries: list[ListEntry],
    rows: list[FormRow] | None,
    held_as: str | None,
) -> dict[str, object]:
    """What the submission form needs: whether the reader may submit (an officer of a
    member party), its rows (as posted, else as the party's list stands) and the version
    of the party's list they were built from (as posted, else as it stands), the names."""
    assert page.user is not None
    member = page.user.party_id in chosen.members
    may_submit = member and page.user.role >= Role.OFFICER
    if may_submit and (rows is None or held_as is None):
        held = service.held(page.db, chosen.id, page.user.party_id)
        rows = form_rows(held, entries, found.names) if rows is None else rows
        held_as = held_version(held) if held_as is None else held_as
    return {
        "member": member,
        "may_submit": may_submit,
        "held_as": held_as or "",
        "rows": rows or [],
        "actors": actor_service.register(page.db) if may_submit else [],
    }


@router.get("/designations", response_class=HTMLResponse)
def consolidated_list(
    page: UserPage,
    list_id: Annotated[str, Query(alias="list", max_length=64)] = "",
    version: Version = None,
    old: Annotated[int | None, Query(alias="from", ge=0, le=2**31)] = None,
    new: Annotated[int | None, Query(alias="to", ge=0, le=2**31)] = None,
    signed: Annotated[int | None, Query(ge=0, le=2**31)] = None,
) -> HTMLResponse:
    """The list at a version, with what it changed (or what changed between ``from`` and
    ``to``); after a submission (``signed``: how many designations it signed), says so."""
    assert page.user is not None
    lists = service.lists(page.db)
    chosen = _chosen(lists, list_id)
    if chosen is None:
        return render(
            page, "designations.html", active="registers", tab="designations", lists=[], found=None
        )
    return show(
        page, lists, chosen, version, (old, new), notice=_notice(page, chosen, version, signed)
    )


def _notice(page: Page, chosen: DesignationList, version: int | None, signed: int | None) -> str:
    """What the reader's party's submission did, said once it is signed."""
    assert page.user is not None
    if signed is None:
        return ""
    if version is not None:
        made = [v for v in service.versions(page.db, chosen.id) if v.number == version]
        if made and made[0].party_id == page.user.party_id:
            return page._("Your party's list is signed: it made version %(version)s.") % {
                "version": page.language.number(version)
            }
        return ""
    if signed == 0:
        return page._("Nothing to sign: your party's list is as it was.")
    return page._(
        "Your party's notes are signed; no position moved, so the list keeps its version."
    )


Column = Annotated[list[str] | None, Form()]


def submit_list(
    list_id: Annotated[str, Path(max_length=64)],
    page: UserPage,
    csrf: Csrf,
    action: Annotated[str, Form(max_length=16)] = "preview",
    actor: Column = None,
    position: Column = None,
    note: Column = None,
    new_actor: Column = None,
    new_position: Column = None,
    new_note: Column = None,
    held_as: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The reader's party's list from the form: previewed (what it would change), or
    signed and submitted, as the API submits it; a refusal is shown beside its row. The
    form says which version of the party's list it was built from (``held_as``): signed
    after a colleague submitted another, it would undo theirs, so it is refused."""
    check_csrf(page, csrf)
    assert page.user is not None
    lists = service.lists(page.db)
    chosen = _chosen(lists, list_id)
    if chosen is None:
        raise _no_list(list_id)
    party = page.user.party_id
    held = service.held(page.db, chosen.id, party) if party in chosen.members else {}
    known = (actor or [], position or [], note or [])
    added = (new_actor or [], new_position or [], new_note or [])
    names = service.actor_names(page.db, known[0])
    rows = posted_rows(page, known, added, names, held)
    plan: service.Plan | None = None
    try:
        require_role(page.user, Role.OFFICER, "submitting a party's designation list")
        wanted = submitted_rows(page, rows)
        if action == "submit":
            done = _signed(page, chosen.id, party, wanted, held_as)
        else:
            plan = service.preview(page.db, chosen.id, party, wanted, complete=True)
    except CeasefireError as error:
        shown = beside_rows(error)
        status = status_of(error)
        return show(page, lists, chosen, rows=rows, error=shown, status=status, held_as=held_as)
    if plan is not None:  # the form again, as typed, with room to add groups
        kept = [r for r in rows if not r.added or r.actor or r.note] + empty_rows(len(rows))
        return show(page, lists, chosen, rows=_renumbered(kept), preview=plan, held_as=held_as)
    where = f"/designations?list={quote(chosen.id, safe='')}&signed={len(done.signed)}"
    made = "#submit" if done.version is None else f"&version={done.version}#changes"
    return RedirectResponse(where + made, status_code=303)


def _signed(
    page: Page, list_id: str, party: str, rows: list[Row], held_as: str
) -> service.Submitted:
    """The party's list signed as the API submits it, unless the party's list is no longer
    the one the form was built from (``held_as``; checked by the service under the log's
    lock): then refused in the form's words, which say to open the page again."""
    try:
        return service.submit(
            ledger_of(page), list_id, party, rows, complete=True, expected=held_as
        )
    except PreconditionFailedError:
        raise PreconditionFailedError(_CHANGED_SINCE, template=_CHANGED_SINCE) from None


def _renumbered(rows: list[FormRow]) -> list[FormRow]:
    return [
        FormRow(n, r.actor, r.name, r.position, r.note, r.spoken)
        for n, r in enumerate(rows, start=1)
    ]


# the whole list comes in one form: three fields a row, for as many rows as a submission
router.add_api_route(
    "/designations/{list_id}/submission",
    submit_list,
    methods=["POST"],
    form_limits={"max_fields": 3 * (MAX_ROWS + NEW_ROWS) + 16},
)
