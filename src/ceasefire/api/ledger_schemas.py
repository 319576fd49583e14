"""The API's bodies of the ledger: entries, proofs, openings, cosignatures, party keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ceasefire.api.deps import MAX_ID
from ceasefire.api.schemas_base import SignedWrite, Strict


class OpeningOut(BaseModel):
    sequence: int = Field(description="The sealed entry it opens.")
    agreement: str = Field(description="Whose parties alone read it.")
    salt: str = Field(description="32 bytes, hex.")
    state: dict[str, Any] = Field(description="The record's state the entry commits to.")
    line: str = Field(
        description="The opening as a bundle's openings.jsonl holds it (RFC 8785 JSON)."
    )


class LedgerOpenings(BaseModel):
    start: int
    end: int
    size: int = Field(description="How many entries the log holds now.")
    openings: list[OpeningOut]


class LedgerEntries(BaseModel):
    start: int
    end: int
    size: int = Field(description="How many entries the log holds now.")
    leaves: list[str] = Field(
        description="Each leaf's text (RFC 8785 JSON); its UTF-8 bytes are the Merkle leaf."
    )


class InclusionProof(BaseModel):
    index: int
    size: int
    leaf_hash: str = Field(description="Hex SHA-256(0x00 || leaf).")
    root: str = Field(description="Hex root of the tree of `size` entries.")
    proof: list[str] = Field(description="Hex hashes, RFC 9162 §2.1.3, bottom first.")


class ConsistencyProof(BaseModel):
    old: int
    new: int
    old_root: str
    new_root: str
    proof: list[str] = Field(description="Hex hashes, RFC 9162 §2.1.4.")


class CosignIn(Strict):
    size: int = Field(ge=1, le=MAX_ID, description="The size of the checkpoint cosigned.")
    signature: str = Field(
        description="The C2SP tlog-cosignature line: '— <key name> <base64(key id || time || "
        "signature)>'.",
        max_length=1_000,
    )


class KeyIn(Strict):
    name: str = Field(min_length=1, max_length=200, description="The key's name (no spaces or +).")
    public_key: str = Field(description="Base64 of the 32-byte Ed25519 public key.")
    signed: SignedWrite | None = Field(
        default=None, description="Absent to prepare; the signature of the key itself to register."
    )


class KeyOut(BaseModel):
    party_id: str
    key_id: str
    name: str
    ledger_index: int | None
