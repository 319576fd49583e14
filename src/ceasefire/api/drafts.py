"""/api/v1/drafts: a party's drafts of reports, which only its own users ever see."""

from __future__ import annotations

from fastapi import APIRouter

from ceasefire.api import schemas as s
from ceasefire.api.auth import Caller
from ceasefire.api.convert import report_in, report_out, scope_in, with_ledger_index
from ceasefire.api.deps import Config, Db, Id, Log
from ceasefire.domain.errors import InvalidInputError
from ceasefire.services import drafts as service
from ceasefire.store.drafts import Draft

router = APIRouter(tags=["drafts"])


def draft_out(found: Draft) -> s.DraftOut:
    return s.DraftOut(
        id=found.id,
        party_id=found.party_id,
        author=found.author,
        created=found.created,
        report=found.body,
    )


@router.post("/drafts", response_model=s.DraftOut, status_code=201)
def create_draft(body: s.ReportIn, db: Db, user: Caller) -> s.DraftOut:
    """Keep a report as your party's draft: no other party sees it, it is in no incident
    and no ledger entry, until your party shares it."""
    if body.signed is not None:
        raise InvalidInputError("signed", "a draft is not signed; sign it when you share it")
    report_in(body)  # checked now, not when it is shared
    # an agreement left out stays left out, so the default applies when it is shared
    unsaid = set() if "agreement" in body.model_fields_set else {"agreement"}
    saved = service.save_draft(db, user, body.model_dump(mode="json", exclude={"signed", *unsaid}))
    return draft_out(saved)


@router.get("/drafts", response_model=list[s.DraftOut])
def list_drafts(db: Db, user: Caller) -> list[s.DraftOut]:
    """Your party's drafts."""
    return [draft_out(d) for d in service.drafts(db, user)]


@router.get("/drafts/{draft_id}", response_model=s.DraftOut)
def get_draft(draft_id: Id, db: Db, user: Caller) -> s.DraftOut:
    return draft_out(service.draft(db, user, draft_id))


@router.delete("/drafts/{draft_id}", status_code=204)
def discard_draft(draft_id: Id, db: Db, user: Caller) -> None:
    service.discard(db, user, draft_id)


@router.post("/drafts/{draft_id}/share", response_model=s.ReportOut, status_code=201)
def share_draft(draft_id: Id, ledger: Log, settings: Config, user: Caller) -> s.ReportOut:
    """File the draft as your party's report (it joins or makes an incident, signed into
    the ledger) and delete the draft."""
    found = service.draft(ledger.db, user, draft_id)
    body = s.ReportIn.model_validate(found.body)
    stored = service.share(
        ledger, user, draft_id, report_in(body), settings.correlation(), scope=scope_in(body)
    )
    return with_ledger_index(ledger.db, "report", [report_out(stored)])[0]
