"""A bounded schemathesis run over the whole OpenAPI, against the demo served by a real
server: no answer is a server error, and every answer matches what the OpenAPI declares
(its status code, content type and schema). CI runs it (``CEASEFIRE_TEST_FUZZ=1``, set by
``.ci/run``); it takes a minute or two."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from served import run as run_ceasefire
from served import serving

pytestmark = pytest.mark.skipif(
    not os.environ.get("CEASEFIRE_TEST_FUZZ"), reason="set CEASEFIRE_TEST_FUZZ=1 to fuzz the API"
)
BIN = Path(sys.executable).parent
ENV = {
    "CEASEFIRE_LEDGER_SECRET": "a fuzzing secret",
    "CEASEFIRE_LEDGER_SEAL_COST": "10",
    "CEASEFIRE_HOST_PARTY": "un",
    "CEASEFIRE_DELIVER_WEBHOOKS": "false",
}
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def _ceasefire(db: str, *args: str) -> str:
    return run_ceasefire(db, *args, env=ENV)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'demo.sqlite'}"
    _ceasefire(db, "demo", "--no-serve")
    with serving(db, ENV) as base:
        yield base, db


def _fuzz(base: str, token: str, *selection: str) -> None:
    run = subprocess.run(
        [
            str(BIN / "st"),
            "run",
            f"{base}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            "5",
            "--seed",
            "2016",
            "--workers",
            "2",
            *selection,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-6000:]


def test_every_operation_answers_as_its_openapi_says(served: tuple[str, str]) -> None:
    base, db = served
    # an admin's token; deleting tokens and sessions (which would revoke it) last
    token = _ceasefire(db, "users", "token", "un-secretariat").strip().splitlines()[-1]
    _fuzz(base, token, "--exclude-method", "DELETE", "--exclude-path", "/api/v1/session")
    token = _ceasefire(db, "users", "token", "un-secretariat").strip().splitlines()[-1]
    _fuzz(base, token, "--include-method", "DELETE")
    _fuzz(base, token, "--include-path", "/api/v1/session")
