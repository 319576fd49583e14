"""/designations: a designation list as it is consolidated — each group with its level of
agreement, who listed it, who refused and who said nothing, with each member's note — at
any of its versions, with who submitted each version, and the regimes that follow it."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from ceasefire.domain.designations import LEFT_OUT, ListEntry
from ceasefire.domain.errors import InvalidInputError
from ceasefire.reports.designations import spoken_of
from ceasefire.services import designations as service
from ceasefire.web.context import UserPage
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)
# the levels from most to least agreed: the table lists the groups in this order
LEVELS = ("unanimous", "majority", "some", "disputed", "none")


@router.get("/designations", response_class=HTMLResponse)
def consolidated_list(
    page: UserPage,
    list_id: Annotated[str, Query(alias="list", max_length=64)] = "",
    version: Annotated[int | None, Query(ge=0, le=2**31)] = None,
) -> HTMLResponse:
    lists = service.lists(page.db)
    wanted = [d for d in lists if d.id == list_id] if list_id else lists[:1]
    if list_id and not wanted:
        raise InvalidInputError("list", f"{list_id!r} is not a designation list")
    if not wanted:
        return render(
            page, "designations.html", active="registers", tab="designations", lists=[], found=None
        )
    chosen = wanted[0]
    found = service.consolidated(page.db, chosen.id, version)
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
        active="registers",
        tab="designations",
        lists=lists,
        found=found,
        entries=entries,
        counts=Counter(e.level for e in entries),
        levels=LEVELS,
        notes=notes,
        versions=list(reversed(service.versions(page.db, chosen.id))),
        following=service.followed_by(page.db, chosen.id),
    )
