"""/api/v1/designations: designation lists, members' submissions, the consolidated list."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ceasefire.api import designation_schemas as s
from ceasefire.api.auth import Caller
from ceasefire.api.convert import reclassified_out
from ceasefire.api.deps import Db, Log
from ceasefire.api.preconditions import IfMatch, etag, version_matched
from ceasefire.domain.designations import DesignationList, ListRule, Position, Row, held_version
from ceasefire.domain.list_changes import ListChange
from ceasefire.reports.designations import spoken_of, write_csv, write_ftm
from ceasefire.services import designations as service

router = APIRouter(tags=["designations"])


def _list_out(db: Db, found: DesignationList) -> s.DesignationListOut:
    versions = service.versions(db, found.id)
    return s.DesignationListOut(
        id=found.id,
        name=found.name,
        members=list(found.members),
        description=found.description,
        version=versions[-1].number if versions else 0,
    )


def _changes_out(db: Db, found: list[ListChange]) -> list[s.LevelChangeOut]:
    names = service.actor_names(db, [c.actor_id for c in found])
    return [
        s.LevelChangeOut(
            actor_id=c.actor_id,
            name=names.get(c.actor_id, ""),
            change=c.change.value,
            before=c.before,
            after=c.after,
            words=[
                s.WordOut(
                    party_id=w.party_id,
                    before=None if w.before is None else w.before.value,
                    after=None if w.after is None else w.after.value,
                )
                for w in c.words
            ],
        )
        for c in found
    ]


@router.get("/designations", response_model=list[s.DesignationListOut])
def list_lists(db: Db) -> list[s.DesignationListOut]:
    return [_list_out(db, d) for d in service.lists(db)]


@router.post("/designations", response_model=s.DesignationListOut, status_code=201)
def create_list(
    body: s.DesignationListIn, db: Db, ledger: Log, user: Caller
) -> s.DesignationListOut:
    """Create a designation list, or change its name and members (signed by the caller's
    party)."""
    designation_list = DesignationList(body.id, body.name, tuple(body.members), body.description)
    service.save_list(ledger, designation_list, author=user.party_id)
    return _list_out(db, designation_list)


@router.post("/designations/{list_id}/submissions", response_model=s.SubmittedOut, status_code=201)
def submit_list(
    list_id: str,
    body: s.SubmissionIn,
    db: Db,
    ledger: Log,
    user: Caller,
    response: Response,
    if_match: IfMatch = None,
) -> s.SubmittedOut:
    """The caller's party's list (signed by it). Incidents are classified anew where a
    regime follows the list; those that change are in the answer and the live feed. With
    If-Match (the version GET …/submissions/{party} gave), refused with 412 if the party's
    list changed since: a colleague's submission is never undone unseen."""
    rows = [
        Row(number, d.actor, Position(d.position), d.note)
        for number, d in enumerate(body.designations, start=1)
    ]
    expected = version_matched(if_match, "a member's list")
    done = service.submit(
        ledger, list_id, user.party_id, rows, complete=body.complete, expected=expected
    )
    response.headers["ETag"] = etag(done.held_as)
    return s.SubmittedOut(
        list_id=done.list_id,
        party_id=done.party_id,
        held_version=done.held_as,
        version=done.version,
        changes=_changes_out(db, done.changes),
        signed=[
            s.SignedOut(actor_id=d.actor_id, position=d.position.value, note=d.note)
            for d in done.signed
        ],
        reclassified=reclassified_out(done.reclassified),
    )


@router.get("/designations/{list_id}/submissions/{party_id}", response_model=s.HeldOut)
def get_submission(list_id: str, party_id: str, db: Db, response: Response) -> s.HeldOut:
    """A member's designations as they stand, each with its note (as its signed entries
    say them); the version (and ETag) to send as If-Match with its next submission."""
    held = service.held(db, list_id, party_id, member=True)
    version = held_version(held)
    response.headers["ETag"] = etag(version)
    names = service.actor_names(db, held)
    return s.HeldOut(
        list_id=list_id,
        party_id=party_id,
        version=version,
        designations=[
            s.HeldDesignationOut(
                actor_id=d.actor_id,
                name=names.get(d.actor_id, ""),
                position=d.position.value,
                note=d.note,
            )
            for _, d in sorted(held.items())
        ],
    )


@router.get("/designations/{list_id}", response_model=s.ConsolidatedOut)
def get_consolidated(
    list_id: str,
    db: Db,
    version: Annotated[int | None, Query(ge=0, le=2**31, description="Default: latest.")] = None,
    rule: Annotated[ListRule | None, Query(description="Only the actors under it.")] = None,
) -> s.ConsolidatedOut:
    """The consolidated list: each actor with its level of agreement and who listed it."""
    found = service.consolidated(db, list_id, version)
    entries = [
        s.ListEntryOut(
            actor_id=e.actor_id,
            name=found.names.get(e.actor_id, ""),
            level=e.level,
            listed_by=list(e.listed_by),
            not_listed_by=list(e.not_listed_by),
            silent=list(e.silent),
            on_un_list=e.on_un_list,
            under=[r.value for r in ListRule if e.holds_under(r)],
        )
        for e in spoken_of(found)
        if rule is None or e.holds_under(rule)
    ]
    return s.ConsolidatedOut(
        designation_list=_list_out(db, found.designation_list),
        version=found.version,
        entries=entries,
    )


@router.get("/designations/{list_id}/versions", response_model=list[s.VersionOut])
def list_versions(list_id: str, db: Db) -> list[s.VersionOut]:
    return [
        s.VersionOut(
            version=v.number, party_id=v.party_id, submitted=v.submitted, changes=len(v.changes)
        )
        for v in service.versions(db, list_id)
    ]


@router.get("/designations/{list_id}/diff", response_model=list[s.LevelChangeOut])
def diff_versions(
    list_id: str,
    db: Db,
    old: Annotated[int, Query(alias="from", ge=0, le=2**31)],
    new: Annotated[int, Query(alias="to", ge=0, le=2**31)],
) -> list[s.LevelChangeOut]:
    """What changed from one version to another (in either order): each actor a member's
    position on moved, with its level of agreement before and after and who moved it.
    From a version to the next: that version's changes, as many as /versions counts."""
    return _changes_out(db, service.compare(db, list_id, old, new))


@router.get(
    "/designations/{list_id}/export",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {}, "application/x-ndjson": {}},
            "description": "CSV, or FollowTheMoney entities one JSON object a line.",
        }
    },
)
def export_list(
    list_id: str,
    db: Db,
    format: Annotated[str, Query(pattern="^(csv|ftm)$")] = "csv",
    version: Annotated[int | None, Query(ge=0, le=2**31)] = None,
) -> Response:
    found = service.consolidated(db, list_id, version)
    buffer = io.StringIO()
    if format == "csv":
        write_csv(found, buffer)
        media, suffix = "text/csv; charset=utf-8", "csv"
    else:
        write_ftm(found, buffer)
        media, suffix = "application/x-ndjson", "ftm.json"
    name = f"{list_id}-v{found.version}.{suffix}"
    return Response(
        buffer.getvalue(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
