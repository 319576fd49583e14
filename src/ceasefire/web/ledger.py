"""/ledger: the latest checkpoint and who cosigned it, the verification bundle of the
reader's party to download, and the command that checks it offline."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ceasefire.services import logs
from ceasefire.web.context import UserPage
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(page: UserPage) -> HTMLResponse:
    latest = logs.summary(page.db)
    cosigned = logs.summary(page.db, cosigned=True)
    size = latest.size if latest is not None else 0
    # the zip is named for the log's size when it is made, which may be past this page's
    folder = "ceasefire-ledger-*"
    return render(
        page,
        "ledger.html",
        active="ledger",
        latest=latest,
        cosigned=None if cosigned == latest else cosigned,
        commands=[f"unzip {folder}.zip", f"ceasefire ledger verify {folder}/"],
        trusted=f"--trusted-checkpoint checkpoint-{size}.txt",
    )
