"""``ceasefire serve --workers N``: N server processes, each accepting on a socket of its own
bound to the same address with ``SO_REUSEPORT``, so that the kernel spreads connections
evenly across them.

uvicorn's own workers share one listening socket, and whichever process wakes first
accepts a whole burst of new connections: 32 connections opened at once were split 30 to 2
between two processes (tests/cli/test_serve_workers.py), and a process with one or two
clients files each of their writes as a group of its own, holding the log's lock for one
write at a time. With a socket each, the kernel hashes each connection to one of them.
Where the platform has no ``SO_REUSEPORT`` (Windows), uvicorn's workers serve instead.

The parent holds the address (bound, never listening, so the kernel gives it no
connection), starts the workers, restarts one that dies, and stops them all on SIGINT or
SIGTERM.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

SPREADS = hasattr(socket, "SO_REUSEPORT")  # this platform can spread connections
RESTART_AFTER = 1.0  # seconds before a worker that died is started again
STARTING = 10.0  # seconds: a worker that dies sooner after its start stops the server
BACKLOG = 2048
OPTIONS: dict[str, Any] = {  # uvicorn's, for every process
    "log_level": "warning",
    # the client's address is the app's to read (CEASEFIRE_TRUSTED_PROXIES): uvicorn's own
    # rewriting would believe X-Forwarded-For from any local process
    "proxy_headers": False,
}


def serve(app: str, host: str, port: int, workers: int) -> int:
    """Serve ``app`` (an import string of an app factory) from ``workers`` processes, a
    socket each where the platform spreads connections so, else as uvicorn's workers (one
    process: uvicorn alone); the exit code once stopped. ``OSError`` if the address is
    taken."""
    if workers > 1 and SPREADS:
        return serve_workers(app, host, port, workers)
    uvicorn.run(app, factory=True, host=host, port=port, workers=workers, **OPTIONS)
    return 0


def serve_workers(app: str, host: str, port: int, workers: int) -> int:
    """Serve ``app`` (an import string of an app factory) from ``workers`` processes until a
    signal stops them; the exit code."""
    held = _bound(host, port, listen=False)  # the address is ours (or this fails at once)
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    running = [_started(context, app, host, port) for _ in range(workers)]
    code = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for n, (worker, began) in enumerate(running):
                if worker.is_alive() or stopping:
                    continue
                if time.monotonic() - began < STARTING:  # it cannot start: say so, stop
                    sys.stderr.write(
                        f"a server process exited {time.monotonic() - began:.1f} s after it "
                        f"started (exit code {worker.exitcode}): stopping\n"
                    )
                    stopping, code = True, 1
                    break
                time.sleep(RESTART_AFTER)
                running[n] = _started(context, app, host, port)
    finally:
        for worker, _ in running:
            if worker.is_alive():
                worker.terminate()  # uvicorn finishes the requests under way
        for worker, _ in running:
            worker.join(30)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        held.close()
    return code


def _started(context: Any, app: str, host: str, port: int) -> tuple[BaseProcess, float]:
    """A worker started, and when (``time.monotonic``)."""
    worker: BaseProcess = context.Process(target=_serve_one, args=(app, host, port))
    worker.start()
    return worker, time.monotonic()


def _serve_one(app: str, host: str, port: int) -> None:
    """One worker: its own socket on the shared address, and uvicorn on it."""
    sock = _bound(host, port, listen=True)
    config = uvicorn.Config(app, factory=True, host=host, port=port, **OPTIONS)
    uvicorn.Server(config).run(sockets=[sock])


def _bound(host: str, port: int, *, listen: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    if listen:
        sock.listen(BACKLOG)
    return sock
