"""`ceasefire` as a user runs it, in its own process: a command to completion, or `serve`
on a free port until the block ends (a traceback on its stderr fails the test)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Coroutine, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

BIN = Path(sys.executable).parent


def run_apart(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(main())`` in a thread of its own, whose event loop it is: in a worker
    that also ran a browser test, Playwright keeps a loop running in the main thread."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, main()).result()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run(db: str, *args: str, env: Mapping[str, str], stdin: str = "") -> str:
    """``ceasefire --db DB ARGS``, which must succeed; its standard output."""
    done = subprocess.run(
        [str(BIN / "ceasefire"), "--db", db, *args],
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def serving(db: str, env: Mapping[str, str], *args: str) -> Iterator[str]:
    """``ceasefire serve ARGS`` on DB, once it answers; its base URL."""
    with server_process(db, env, *args) as (base, _):
        yield base


@contextmanager
def server_process(
    db: str, env: Mapping[str, str], *args: str
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``ceasefire serve ARGS`` on DB, once it answers: its base URL and its process."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "ceasefire"), "--db", db, "serve", "--port", str(port), *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors
