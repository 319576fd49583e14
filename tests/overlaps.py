"""How many threads are inside a piece of work at once: what a limit on concurrency must
keep under its bound."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class AtOnce:
    """Counts the threads inside ``during()``; ``most``: the most there were at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self.most = 0

    @contextmanager
    def during(self) -> Iterator[None]:
        with self._lock:
            self._inside += 1
            self.most = max(self.most, self._inside)
        try:
            yield
        finally:
            with self._lock:
                self._inside -= 1
