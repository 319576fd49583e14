"""The ledger: an append-only Merkle log (RFC 9162 §2.1) that any party verifies offline.

So far the tree itself: hashing, complete-subtree addressing, inclusion and consistency
proofs, and an in-memory tree. Entries, signatures and checkpoints come later.
"""

from .errors import ProofError
from .hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, merkle_tree_hash, node_hash
from .memory import MemoryTree
from .proofs import consistency_proof, inclusion_proof, verify_consistency, verify_inclusion
from .subtrees import LeafStore, Subtree, range_subtrees, root_hash, subtrees_completed_by

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LeafStore",
    "MemoryTree",
    "ProofError",
    "Subtree",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "merkle_tree_hash",
    "node_hash",
    "range_subtrees",
    "root_hash",
    "subtrees_completed_by",
    "verify_consistency",
    "verify_inclusion",
]
