"""/api/v1/ledger: checkpoints, entries, inclusion and consistency proofs, cosignatures."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, PlainTextResponse
from starlette.background import BackgroundTask

from ceasefire.api import schemas as s
from ceasefire.api.auth import Reader
from ceasefire.api.deps import MAX_ID, Db, Log
from ceasefire.services import bundles, logs

router = APIRouter(tags=["ledger"])
NOTE = "text/plain; charset=utf-8"


@router.get(
    "/ledger/checkpoint",
    response_class=PlainTextResponse,
    responses={200: {"content": {NOTE: {}}, "description": "A C2SP signed note"}},
)
def get_checkpoint(
    db: Db, size: int | None = Query(default=None, ge=1, le=MAX_ID)
) -> PlainTextResponse:
    """The latest checkpoint (or the one of `size`), signed by the host, with the parties'
    cosignatures: C2SP tlog-checkpoint in a C2SP signed note."""
    return PlainTextResponse(logs.checkpoint(db, size).cosigned_note(), media_type=NOTE)


@router.get(
    "/ledger/bundle",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}, "description": "A zip file"}},
)
def get_bundle(db: Db, audience: Reader) -> FileResponse:
    """The verification bundle for your party, zipped: every entry and checkpoint, and the
    openings of the sealed entries your party may read. Check it offline with
    `ceasefire ledger verify <folder>` (docs/ledger.md)."""
    work = Path(tempfile.mkdtemp(prefix="ceasefire-bundle-"))
    try:
        archive, _ = bundles.zipped_bundle(db, audience, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return FileResponse(
        archive,
        media_type="application/zip",
        filename=archive.name,
        background=BackgroundTask(shutil.rmtree, work, ignore_errors=True),
    )


@router.get("/ledger/entries", response_model=s.LedgerEntries)
def get_entries(
    db: Db,
    start: int = Query(default=0, ge=0, le=MAX_ID),
    end: int | None = Query(
        default=None,
        ge=0,
        le=MAX_ID,
        description="Exclusive, at most start + 1000; past the log, its end.",
    ),
) -> s.LedgerEntries:
    size, leaves = logs.leaves(db, start, end)
    return s.LedgerEntries(
        start=start,
        end=start + len(leaves),
        size=size,
        leaves=[leaf.decode("utf-8") for leaf in leaves],
    )


@router.get("/ledger/openings", response_model=s.LedgerOpenings)
def get_openings(
    db: Db,
    audience: Reader,
    start: int = Query(default=0, ge=0, le=MAX_ID),
    end: int | None = Query(
        default=None,
        ge=0,
        le=MAX_ID,
        description="Exclusive, at most start + 1000; past the log, its end.",
    ),
) -> s.LedgerOpenings:
    """The salt and state each sealed entry of the range commits to, for the entries of
    agreements your party is a party of (docs/ledger.md, "Sealed entries")."""
    size, stop, found = logs.openings(db, start, end, audience)
    items = [
        s.OpeningOut(
            sequence=o.opening.sequence,
            agreement=o.agreement_id,
            salt=o.opening.salt.hex(),
            state=dict(o.opening.state),
            line=o.opening.to_json().decode("utf-8"),
        )
        for o in found
    ]
    return s.LedgerOpenings(start=start, end=stop, size=size, openings=items)


@router.get("/ledger/proof/inclusion", response_model=s.InclusionProof)
def get_inclusion_proof(
    db: Db,
    index: int = Query(ge=0, le=MAX_ID),
    size: int | None = Query(default=None, ge=1, le=MAX_ID),
) -> s.InclusionProof:
    proof = logs.inclusion(db, index, size)
    assert proof.leaf_hash is not None
    return s.InclusionProof(
        index=proof.index,
        size=proof.size,
        leaf_hash=proof.leaf_hash.hex(),
        root=proof.root.hex(),
        proof=[h.hex() for h in proof.hashes],
    )


@router.get("/ledger/proof/consistency", response_model=s.ConsistencyProof)
def get_consistency_proof(
    db: Db,
    old: int = Query(ge=0, le=MAX_ID),
    new: int | None = Query(default=None, ge=0, le=MAX_ID),
) -> s.ConsistencyProof:
    proof = logs.consistency(db, old, new)
    assert proof.old_root is not None
    return s.ConsistencyProof(
        old=proof.index,
        new=proof.size,
        old_root=proof.old_root.hex(),
        new_root=proof.root.hex(),
        proof=[h.hex() for h in proof.hashes],
    )


@router.post(
    "/ledger/cosign",
    response_class=PlainTextResponse,
    status_code=201,
    responses={201: {"content": {NOTE: {}}, "description": "The checkpoint, cosigned"}},
)
def cosign(body: s.CosignIn, ledger: Log) -> PlainTextResponse:
    """Add a party's cosignature to a checkpoint; it must verify with a key the party
    registered in the ledger."""
    saved = logs.add_cosignature(ledger, body.size, body.signature)
    return PlainTextResponse(saved.cosigned_note(), status_code=201, media_type=NOTE)
