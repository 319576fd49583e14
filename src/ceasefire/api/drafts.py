"""/api/v1/drafts: a party's drafts of reports, which only its own users ever see."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller
from ceasefire.api.convert import report_in, report_out, scope_in, with_ledger_index
from ceasefire.api.deps import Config, Db, Id, Log
from ceasefire.api.preconditions import IfMatch, etag, version_matched
from ceasefire.domain.errors import InvalidInputError
from ceasefire.services import drafts as service
from ceasefire.services.reports_in import still_needed, to_file
from ceasefire.store.drafts import Draft

router = APIRouter(tags=["drafts"])


def draft_out(found: Draft, response: Response | None = None) -> s.DraftOut:
    if response is not None:
        response.headers["ETag"] = etag(found.version)
    return s.DraftOut(
        id=found.id,
        party_id=found.party_id,
        author=found.author,
        created=found.created,
        version=found.version,
        report=found.body,
        still_needed=still_needed(found.body),
    )


def _checked(body: s.DraftIn) -> s.DraftIn:
    if body.signed is not None:
        raise InvalidInputError("signed", "a draft is not signed; sign it when you share it")
    return body


def _version(if_match: str | None) -> str | None:
    return version_matched(if_match, "a draft")


@router.post("/drafts", response_model=s.DraftOut, status_code=201)
def create_draft(body: s.DraftIn, db: Db, user: Caller, response: Response) -> s.DraftOut:
    """Keep a report as your party's draft: no other party sees it, it is in no incident
    and no ledger entry, until your party files it. It may leave out the place (lon and
    lat) and the time (time or date_start); what it gives is checked as a report's is."""
    saved = service.save_draft(db, user, _checked(body))
    return draft_out(saved, response)


@router.get("/drafts", response_model=list[s.DraftOut])
def list_drafts(db: Db, user: Caller) -> list[s.DraftOut]:
    """Your party's drafts."""
    return [draft_out(d) for d in service.drafts(db, user)]


@router.get("/drafts/{draft_id}", response_model=s.DraftOut)
def get_draft(draft_id: Id, db: Db, user: Caller, response: Response) -> s.DraftOut:
    return draft_out(service.draft(db, user, draft_id), response)


@router.put("/drafts/{draft_id}", response_model=s.DraftOut)
def replace_draft(
    draft_id: Id,
    body: s.DraftIn,
    db: Db,
    user: Caller,
    response: Response,
    if_match: IfMatch = None,
) -> s.DraftOut:
    """Keep the draft again, holding this report now (the whole of it: what the body leaves
    out, the draft no longer holds), checked as a new draft is. With If-Match, refused
    (412) if someone of your party kept it since the version named."""
    kept = service.keep_again(db, user, draft_id, _checked(body), expected=_version(if_match))
    return draft_out(kept, response)


@router.delete("/drafts/{draft_id}", status_code=204)
def discard_draft(draft_id: Id, db: Db, user: Caller) -> None:
    service.discard(db, user, draft_id)


@router.post("/drafts/{draft_id}/share", response_model=s.ReportOut, status_code=201)
def share_draft(
    draft_id: Id, ledger: Log, settings: Config, user: Caller, if_match: IfMatch = None
) -> s.ReportOut:
    """File the draft as your party's report (it joins or makes an incident, signed into
    the ledger) and delete the draft. A draft that still leaves out the place or the time
    is refused (422), naming each field it lacks (``problems``)."""
    found = service.draft(ledger.db, user, draft_id)
    body = to_file(found.body)
    stored = service.share(
        ledger,
        user,
        draft_id,
        report_in(body),
        settings.correlation(),
        scope=scope_in(body),
        expected=_version(if_match) or found.version,  # what was checked is what is filed
    )
    return with_ledger_index(ledger.db, "report", [report_out(stored)])[0]
