"""The ledger: an append-only Merkle log (RFC 9162 §2.1) that any party verifies offline.

So far the tree itself: hashing, complete-subtree addressing, inclusion and consistency
proofs, and an in-memory tree. Entries, signatures and checkpoints come later.
"""

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
from .errors import ProofError
from .hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, merkle_tree_hash, node_hash
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
from .subtrees import LeafStore, Subtree, range_subtrees, root_hash, subtrees_completed_by

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Checkpoint",
    "Cosignature",
    "CosignatureVerifier",
    "CosignedCheckpoint",
    "Cosigner",
    "LeafStore",
    "MemoryTree",
    "Note",
    "NoteError",
    "NoteSignature",
    "NoteSigner",
    "NoteVerifier",
    "ProofError",
    "Signer",
    "Subtree",
    "Verifier",
    "add_cosignatures",
    "consistency_proof",
    "cosign",
    "cosignature_time",
    "inclusion_proof",
    "leaf_hash",
    "merkle_tree_hash",
    "node_hash",
    "open_checkpoint",
    "open_cosigned_checkpoint",
    "open_note",
    "range_subtrees",
    "root_hash",
    "sign_checkpoint",
    "sign_note",
    "subtrees_completed_by",
    "verify_checkpoint_consistency",
    "verify_consistency",
    "verify_cosignature",
    "verify_inclusion",
]
