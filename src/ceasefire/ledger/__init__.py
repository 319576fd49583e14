"""The ledger: an append-only Merkle log (RFC 9162 §2.1) that any party verifies offline.

The tree (hashing, complete-subtree addressing, inclusion and consistency proofs, an
in-memory tree), signed entries in canonical JSON with party keys, and C2SP checkpoints
with cosignatures. See docs/ledger.md.
"""

from .batches import BatchSignature, batch_proof, batch_root, batch_tree
from .canonical import JsonValue, canonical_json, freeze, parse_canonical, thaw
from .checkpoints import (
    Checkpoint,
    Cosignature,
    CosignatureVerifier,
    CosignedCheckpoint,
    Cosigner,
    add_cosignatures,
    cosign,
    cosignature_time,
    open_checkpoint,
    open_cosigned_checkpoint,
    sign_checkpoint,
    verify_checkpoint_consistency,
    verify_cosignature,
)
from .entries import Entry, state_hash
from .errors import ProofError
from .hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, merkle_tree_hash, node_hash
from .keys import PartyKey, PublicKey, SealedKeyError, SignatureError, key_id, seal, unseal
from .leaves import BatchPosition, SignedEntry, batch_message, sign_entry, verify_leaf
from .memory import MemoryTree
from .notes import (
    Note,
    NoteError,
    NoteSignature,
    NoteSigner,
    NoteVerifier,
    Signer,
    Verifier,
    open_note,
    sign_note,
)
from .proofs import consistency_proof, inclusion_proof, verify_consistency, verify_inclusion
from .sealing import Opening, commitment, sealed_change, sealed_of
from .subtrees import LeafStore, Subtree, range_subtrees, root_hash, subtrees_completed_by
from .timestamps import format_time, parse_time

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "BatchPosition",
    "BatchSignature",
    "Checkpoint",
    "Cosignature",
    "CosignatureVerifier",
    "CosignedCheckpoint",
    "Cosigner",
    "Entry",
    "JsonValue",
    "LeafStore",
    "MemoryTree",
    "Note",
    "NoteError",
    "NoteSignature",
    "NoteSigner",
    "NoteVerifier",
    "Opening",
    "PartyKey",
    "ProofError",
    "PublicKey",
    "SealedKeyError",
    "SignatureError",
    "SignedEntry",
    "Signer",
    "Subtree",
    "Verifier",
    "add_cosignatures",
    "batch_message",
    "batch_proof",
    "batch_root",
    "batch_tree",
    "canonical_json",
    "commitment",
    "consistency_proof",
    "cosign",
    "cosignature_time",
    "format_time",
    "freeze",
    "inclusion_proof",
    "key_id",
    "leaf_hash",
    "merkle_tree_hash",
    "node_hash",
    "open_checkpoint",
    "open_cosigned_checkpoint",
    "open_note",
    "parse_canonical",
    "parse_time",
    "range_subtrees",
    "root_hash",
    "seal",
    "sealed_change",
    "sealed_of",
    "sign_checkpoint",
    "sign_entry",
    "sign_note",
    "state_hash",
    "subtrees_completed_by",
    "thaw",
    "unseal",
    "verify_checkpoint_consistency",
    "verify_consistency",
    "verify_cosignature",
    "verify_inclusion",
    "verify_leaf",
]
