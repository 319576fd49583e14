"""What routes receive from the app: the database, the ledger, the settings.

Coroutines, though they await nothing: FastAPI runs a plain function in its thread pool,
and a hand-off there and back costs more than reading an attribute (a filed report
made two)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from ceasefire.config import Settings
from ceasefire.services.ledger import Ledger
from ceasefire.store.database import Database


async def get_db(request: Request) -> Database:
    db = request.app.state.db
    assert isinstance(db, Database)
    return db


async def get_ledger(request: Request) -> Ledger:
    ledger = request.app.state.ledger
    assert isinstance(ledger, Ledger)
    return ledger


async def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


Db = Annotated[Database, Depends(get_db)]
Log = Annotated[Ledger, Depends(get_ledger)]
Config = Annotated[Settings, Depends(get_settings)]
MAX_ID = 2**53  # no record id is larger: a larger one is refused (422), never a 500
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A record's id.")]
