"""/api/v1/incidents/export: the incident list's filters, exported as CSV with HXL hashtags,
GeoJSON, XLSX or ACLED's CSV, streamed as it is written (constant memory however many
incidents match), holding what the caller's party may read."""

from __future__ import annotations

import io
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Annotated, BinaryIO, TextIO, cast

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from ceasefire.api.auth import Reader
from ceasefire.api.deps import Db
from ceasefire.api.incidents import incident_filter
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.filters import IncidentFilter
from ceasefire.reports.acled_export import write_acled
from ceasefire.reports.exports import write_csv, write_geojson, write_xlsx

router = APIRouter(tags=["incidents"])
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "acled": "text/csv; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "geojson": "geojson", "xlsx": "xlsx", "acled": "csv"}
_CHUNK = 64 * 1024
_DONE = object()


class _Cancelled(Exception):
    """The client went away: the writer stops."""


class _Pipe(io.TextIOBase):
    """A text stream whose writes go, in chunks, to a bounded queue a response reads."""

    def __init__(self, chunks: queue.Queue[object], cancelled: threading.Event) -> None:
        self._chunks, self._cancelled = chunks, cancelled
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= _CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._parts:
            self.put("".join(self._parts).encode("utf-8"))
            self._parts, self._size = [], 0

    def put(self, item: object) -> None:
        while True:
            if self._cancelled.is_set():
                raise _Cancelled
            try:
                self._chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def _streamed(write: Callable[[TextIO], object]) -> Iterator[bytes]:
    """The bytes ``write`` writes to a text stream, as it writes them (in another thread,
    at most a few chunks ahead of the client)."""
    chunks: queue.Queue[object] = queue.Queue(maxsize=8)
    cancelled = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        pipe = _Pipe(chunks, cancelled)
        try:
            write(cast(TextIO, pipe))
            pipe.flush()
        except _Cancelled:
            return
        except BaseException as error:  # handed to the response, which ends the stream
            failure.append(error)
        try:
            pipe.put(_DONE)
        except _Cancelled:
            return

    threading.Thread(target=run, daemon=True).start()
    try:
        while (item := chunks.get()) is not _DONE:
            assert isinstance(item, bytes)
            yield item
        if failure:
            raise failure[0]
    finally:
        cancelled.set()


def _file(write: Callable[[BinaryIO], object]) -> Iterator[bytes]:
    """A workbook written to a temporary file first (a zip is not written front to back),
    then streamed from it."""
    with tempfile.TemporaryFile() as spool:
        write(spool)
        spool.seek(0)
        while chunk := spool.read(_CHUNK):
            yield chunk


@router.get(
    "/incidents/export",
    response_class=StreamingResponse,
    responses={200: {"content": {t.split(";")[0]: {} for t in FORMATS.values()}}},
)
def export(
    db: Db,
    audience: Reader,
    filters: Annotated[IncidentFilter, Depends(incident_filter)],
    format: str = Query(default="csv", max_length=8, description="csv, geojson, xlsx or acled"),
    rows: str = Query(default="incidents", max_length=16, description="incidents or reports"),
    hxl: bool = Query(default=True, description="A row of HXL hashtags (csv, xlsx)"),
) -> StreamingResponse:
    """Every incident matching the filters (``limit`` and ``cursor`` do not apply) with its
    places, actors, casualties, classification, reasons, joint finding and ledger indexes,
    a row an incident or a report; ``format=acled``: the reports in ACLED's columns."""
    if format not in FORMATS:
        raise InvalidInputError("format", f"{format!r} is not one of {', '.join(FORMATS)}")
    if rows not in ("incidents", "reports"):
        raise InvalidInputError("rows", f"{rows!r} is not one of incidents, reports")
    reports = rows == "reports"
    body: Iterator[bytes]
    if format == "xlsx":
        body = _file(lambda out: write_xlsx(db, filters, out, audience, hxl=hxl, reports=reports))
    elif format == "geojson":
        body = _streamed(lambda out: write_geojson(db, filters, out, audience, reports=reports))
    elif format == "acled":
        body = _streamed(lambda out: write_acled(db, filters, out, audience))
    else:
        body = _streamed(
            lambda out: write_csv(db, filters, out, audience, hxl=hxl, reports=reports)
        )
    name = f"{'reports' if reports or format == 'acled' else 'incidents'}.{EXTENSIONS[format]}"
    return StreamingResponse(
        body,
        media_type=FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
