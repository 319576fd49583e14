"""SQLite's write-ahead log, copied back into the database outside every write.

SQLite copies its WAL back into the database file (a *checkpoint*) by itself, inside the
commit that leaves 1,000 pages or more in it (``wal_autocheckpoint``), so every other write,
queued behind the writer lock (``Database._writer``), waited for it too; and a bulk
import's chunks, each changing pages all over a large database's indexes, had the same
pages copied again after every chunk. Here SQLite's own is off (``wal_autocheckpoint=0``)
and a write, once it has committed and let go of the lock, looks at the WAL's length:
past ``WAL_BYTES`` a thread of the process copies it while the writes go on; after a bulk
import's chunk (``Database.unsynced``), past ``BULK_WAL_BYTES``, the import copies it
itself before its next chunk, so that no write of the server copies the import's pages
and the WAL can start again from its beginning (it can only once every page in it was
copied, at the next write).

The WAL's length is its file's size: every connection sets ``journal_size_limit=0``, so
SQLite cuts the file back to nothing each time the WAL starts again, and its size is then
what was written since. (Not the WAL index, the ``-shm`` file, which holds the exact
count: a file that SQLite locks with ``fcntl`` must not be opened and closed beside it, as
closing any descriptor of a file drops every lock the process holds on it: another
process then took the index for abandoned and cleared it under the import, which died of
SIGBUS.)
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

_log = logging.getLogger(__name__)

WAL_BYTES = 4 * 2**20  # about 1,000 pages of 4 KB: as SQLite's own autocheckpoint
BULK_WAL_BYTES = 200 * 2**20  # measured in docs/benchmarks.md, section 1
_PASSES = 4  # a thread's checkpoints in a row while writes keep adding pages

Checkpoint = Callable[[], int]
"""Copy what can be copied without waiting for anyone (``PASSIVE``); the pages left in the
WAL not copied (a reader still needs them kept, or writes came meanwhile)."""


class WalCheckpoints:
    """When and by whom the WAL of ``database`` (a SQLite file's path) is checkpointed."""

    def __init__(self, database: str, checkpoint: Checkpoint) -> None:
        self._wal = f"{database}-wal"
        self._checkpoint = checkpoint
        self._running = threading.Lock()  # one checkpoint at a time in this process
        self._starting = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False

    def length(self) -> int:
        """Bytes written to the WAL since it last started again (0: no WAL)."""
        try:
            return os.stat(self._wal).st_size
        except OSError:
            return 0

    def written(self, *, bulk: bool) -> None:
        """A write committed and let go of the writer lock; ``bulk``: a bulk import's."""
        if bulk:
            if self.length() >= BULK_WAL_BYTES:
                self._run()
        elif self.length() >= WAL_BYTES:
            self._start()
            self._wake.set()

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> int | None:
        """Checkpoint unless this process is already doing so (None); the pages left. A
        checkpoint that fails is logged: the write it follows was committed, and the next
        one tries again."""
        if not self._running.acquire(blocking=False):
            return None
        try:
            return self._checkpoint()
        except Exception as error:
            _log.warning("checkpoint of %s failed: %s", self._wal, error)
            return None
        finally:
            self._running.release()

    def _start(self) -> None:
        """Start the thread unless it runs (a forked process has none of its parent's)."""
        if self._closed or (self._thread is not None and self._thread.is_alive()):
            return
        with self._starting:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="wal-checkpoints", daemon=True
                )
                self._thread.start()

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            before = None
            for _ in range(_PASSES):  # the pages written meanwhile too, while it gains
                left = self._run()
                if not left or (before is not None and left >= before):
                    break
                before = left
