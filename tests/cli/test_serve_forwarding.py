"""`ceasefire serve` believes X-Forwarded-For from no one but the trusted proxies: not even
from 127.0.0.1, where uvicorn by default would (a real server, in its own process)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from served import run, serving

ENV = {"CEASEFIRE_LEDGER_SECRET": "a served secret", "CEASEFIRE_LEDGER_SEAL_COST": "10"}


def ceasefire(db: str, *args: str, stdin: str = "") -> None:
    run(db, *args, env=ENV, stdin=stdin)


def sign_in(base: str, password: str, forwarded: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{base}/api/v1/session",
        data=json.dumps({"username": "ru-web", "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_served_app_ignores_a_forwarded_header_from_localhost_it_does_not_trust(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'served.sqlite'}"
    ceasefire(db, "init")
    ceasefire(db, "parties", "add", "ru", "--name", "Russian Federation")
    ceasefire(
        db, "users", "add", "ru-web", "--party", "ru", "--password-stdin", stdin="the right one\n"
    )
    with serving(db, {**ENV, "CEASEFIRE_PASSWORD_MEMORY_KIB": "8"}) as base:
        for n in range(4):
            assert sign_in(base, "wrong", f"203.0.113.{n}")[0] == 401
        status, body = sign_in(base, "the right one", "203.0.113.99")
        assert status == 429, body
        assert "from 127.0.0.1" in json.loads(body)["message"]
