"""A bounded schemathesis run over the whole OpenAPI, against the demo served by a real
server: no answer is a server error, and every answer matches what the OpenAPI declares
(its status code, content type and schema). CI runs it (``CEASEFIRE_TEST_FUZZ=1``, set by
``.ci/run``); it takes a minute or two."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ceasefire(db: str, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "ceasefire"), "--db", db, *args],
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'demo.sqlite'}"
    _ceasefire(db, "demo", "--no-serve")
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "ceasefire"), "--db", db, "serve", "--port", str(port)],
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=2):
                break
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    try:
        yield base, db
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
        assert "Traceback" not in errors, errors


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
