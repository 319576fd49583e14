"""The API's bodies of sign-in, sessions and tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ceasefire.api.schemas_base import Strict


class SignIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1_000)


class Me(BaseModel):
    username: str
    display_name: str
    party_id: str
    role: str


class SessionOut(Me):
    csrf_token: str = Field(description="Send it as X-CSRF-Token with every unsafe request.")
    expires: datetime


class TokenIn(Strict):
    name: str = Field(default="", max_length=200)
    days: int = Field(default=90, ge=1, le=3650)


class TokenOut(BaseModel):
    id: int
    token: str = Field(description="Shown only now: the server keeps only its hash.")
    expires_in_days: int
