"""/ledger: the latest checkpoint and who cosigned it, the verification bundle of the
reader's party to download, and the command that checks it offline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.api.errors import status_of
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.workflow import Role
from ceasefire.services import logs
from ceasefire.services.findings import require_role
from ceasefire.web.context import MAX_ID, Csrf, Page, UserPage, check_csrf, ledger_of
from ceasefire.web.problems import form_error
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(
    page: UserPage, cosigned: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> HTMLResponse:
    notice = None
    if cosigned is not None:
        notice = page._("Your party cosigned the checkpoint of %(n)s entries.") % {
            "n": page.language.number(cosigned)
        }
    return show(page, notice=notice)


@router.post("/ledger/cosign")
def cosign(page: UserPage, csrf: Csrf) -> Response:
    """An officer cosigns the latest checkpoint as the party, with the key the server
    holds for it, once it has checked that the log only grew since the party's last
    cosignature (``logs.cosign_as``); a party holding its own key cosigns over the API."""
    check_csrf(page, csrf)
    assert page.user is not None
    try:
        require_role(page.user, Role.OFFICER, "cosigning a checkpoint")
        saved = logs.cosign_as(ledger_of(page), [page.user.party_id])
    except InvalidInputError as error:
        if error.field != "author":
            raise
        own = page._(
            "Your party holds its own key: it cosigns with it, over the API "
            "(POST /api/v1/ledger/cosign)."
        )
        return show(page, error=own, status=409)
    except CeasefireError as error:
        return show(page, error=form_error(page, error)["message"], status=status_of(error))
    return RedirectResponse(f"/ledger?cosigned={saved.checkpoint.size}", status_code=303)


def show(
    page: Page, *, notice: str | None = None, error: str | None = None, status: int = 200
) -> HTMLResponse:
    assert page.user is not None
    latest = logs.summary(page.db)
    cosigned = logs.summary(page.db, cosigned=True)
    size = latest.size if latest is not None else 0
    # the zip is named for the log's size when it is made, which may be past this page's
    folder = "ceasefire-ledger-*"
    return render(
        page,
        "ledger.html",
        status=status,
        active="ledger",
        notice=notice,
        error=error,
        # an officer whose party has not cosigned the latest checkpoint yet
        may_cosign=page.user.role >= Role.OFFICER
        and latest is not None
        and page.user.party_id not in {s.party for s in latest.signers},
        latest=latest,
        cosigned=None if cosigned == latest else cosigned,
        commands=[f"unzip {folder}.zip", f"ceasefire ledger verify {folder}/"],
        trusted=f"--trusted-checkpoint checkpoint-{size}.txt",
    )
